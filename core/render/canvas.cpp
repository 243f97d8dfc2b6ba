#include "render/canvas.h"

#include "graph/palette.h"

#include <algorithm>

namespace bulkhead::render {

namespace {

// Text metrics from cairo's font machinery (fontconfig + FreeType), the same for both formats.
class TextMetrics
{
public:
    TextMetrics()
        : m_surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1))
        , m_cr(cairo_create(m_surface))
    {
    }
    ~TextMetrics()
    {
        cairo_destroy(m_cr);
        cairo_surface_destroy(m_surface);
    }
    TextMetrics(const TextMetrics &) = delete;
    TextMetrics &operator=(const TextMetrics &) = delete;

    double advance(const std::string &text, double size, bool bold)
    {
        select(size, bold);
        cairo_text_extents_t extents;
        cairo_text_extents(m_cr, text.c_str(), &extents);
        return extents.x_advance;
    }
    cairo_font_extents_t font(double size, bool bold)
    {
        select(size, bold);
        cairo_font_extents_t extents;
        cairo_font_extents(m_cr, &extents);
        return extents;
    }

private:
    void select(double size, bool bold)
    {
        cairo_select_font_face(m_cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(m_cr, size);
    }

    cairo_surface_t *m_surface;
    cairo_t *m_cr;
};

} // namespace

Measured measure(const GraphModel &graph)
{
    TextMetrics metrics;
    Measured m;
    m.title = metrics.font(kTitleSize, true);
    m.caption = metrics.font(kCaptionSize, false);
    m.label = metrics.font(kLabelSize, false);
    m.input.nodes.reserve(graph.nodes.size());
    for (const GraphModelNode &node : graph.nodes) {
        const double width = std::max(metrics.advance(node.title, kTitleSize, true),
                                      metrics.advance(node.caption, kCaptionSize, false));
        m.input.nodes.push_back({std::max(60.0, std::ceil(width) + 20),
                                 std::ceil(m.title.height + m.caption.height) + 14, node.cluster});
    }
    for (const GraphModelEdge &edge : graph.edges) {
        m.input.edges.push_back({edge.from, edge.to, edge.tailCluster, edge.headCluster});
        // A folded arrow of many ports says how many pairs and ports (as the application does).
        std::string label = edge.label();
        m.labelWidths.push_back(metrics.advance(label, kLabelSize, false));
        m.input.edgeLabelWidth = std::max(m.input.edgeLabelWidth, m.labelWidths.back() + 8);
        m.edgeLabels.push_back(std::move(label));
    }
    return m;
}

Color clusterColor(const GraphModel &graph, const std::string &cluster)
{
    if (cluster == GraphModel::externalCluster)
        return Color::of(palette::externalCluster);
    for (const GraphModelNode &node : graph.nodes)
        if (node.cluster == cluster && node.kind != BoxKind::Peer
            && node.kind != BoxKind::PeerGroup)
            return Color::fromHex(node.color);
    return Color::of(palette::namespaceCluster);
}

Color edgeColor(const GraphModelEdge &edge)
{
    if (edge.blocked)
        return Color::of(palette::edgeBlocked);
    if (edge.denied)
        return Color::of(palette::edgeDenied);
    if (!edge.zoneRule.empty())
        return Color::of(palette::edgeFlagged);
    if (edge.added)
        return Color::of(palette::edgeAdded);
    return Color::of(palette::edgeObserved);
}

namespace {

// An arrowhead 10 points long, 22 degrees each side, its tip on `tip` (an end of the edge, on
// the border of its box), pointing away from `toward` (the curve's next point inward); none where
// the two coincide.
void arrowHead(Canvas &canvas, LayoutPoint tip, LayoutPoint toward, const Color &color)
{
    if (toward.x == tip.x && toward.y == tip.y)
        return;
    const double angle = std::atan2(toward.y - tip.y, toward.x - tip.x);
    const double spread = 22 * M_PI / 180;
    const LayoutPoint head[3]
        = {tip,
           {tip.x + 10 * std::cos(angle + spread), tip.y + 10 * std::sin(angle + spread)},
           {tip.x + 10 * std::cos(angle - spread), tip.y + 10 * std::sin(angle - spread)}};
    canvas.triangle(head, color);
}

} // namespace

void draw(Canvas &canvas, const GraphModel &graph, const Measured &m, const GraphLayout &layout)
{
    for (const ClusterBox &cluster : layout.clusters) {
        const Color color = clusterColor(graph, cluster.name);
        canvas.roundedRect(cluster.rect, 10,
                           {color.darker(1.2), 1.2, cluster.name == GraphModel::externalCluster},
                           color.withAlpha(28 / 255.0));
        canvas.text(cluster.name, cluster.rect.x + 10, cluster.rect.y + 4 + m.title.ascent,
                    kTitleSize, true, Align::Left, color.darker(1.6));
    }
    std::vector<std::pair<double, double>> labelSizes;
    for (size_t i = 0; i < graph.edges.size(); ++i)
        labelSizes.emplace_back(m.labelWidths[i] + 8, m.label.height + 2);
    const std::vector<LayoutPoint> labelCentres = placeEdgeLabels(layout, labelSizes);
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const GraphModelEdge &edge = graph.edges[i];
        const EdgePath &path = layout.edges[i];
        const Color color = edgeColor(edge);
        canvas.path(path, {color, 1.3, edge.blocked || edge.denied});
        arrowHead(canvas, path.end, path.bezier.empty() ? path.start : path.bezier.back(), color);
        if (edge.bothWays) { // and one at the start
            const LayoutPoint tail = path.start;
            const LayoutPoint next = path.bezier.empty() ? path.end : path.bezier.front();
            const LayoutPoint toward
                = (next.x != tail.x || next.y != tail.y) || path.bezier.size() < 2 ? next
                                                                                   : path.bezier[1];
            arrowHead(canvas, tail, toward, color);
        }
        const LayoutPoint centre = labelCentres[i];
        const double width = m.labelWidths[i] + 8, height = m.label.height + 2;
        canvas.roundedRect(
            {centre.x - width / 2, centre.y - height / 2, width, height}, 3,
            {Color::of(palette::labelBorder), 0.8},
            Color::of(palette::labelFill).withAlpha(palette::labelFillAlpha / 255.0));
        canvas.text(m.edgeLabels[i], centre.x, centre.y - height / 2 + 1 + m.label.ascent,
                    kLabelSize, false, Align::Centre, color.darker(1.2));
    }
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const GraphModelNode &node = graph.nodes[i];
        const LayoutRect box = layout.nodes[i].rect();
        const bool external = node.kind == BoxKind::Peer || node.kind == BoxKind::PeerGroup;
        const Color fill = external ? Color::of(palette::externalFill) : Color::fromHex(node.color);
        canvas.roundedRect(box, 8, {Color::fromHex(node.color).darker(1.5), 1.2, external}, fill);
        const Color text = external ? Color::of(palette::externalText) : fill.textOn();
        const double middle = box.y + box.height / 2;
        canvas.text(node.title, box.x + box.width / 2, middle - 3 - m.title.descent, kTitleSize,
                    true, Align::Centre, text);
        canvas.text(node.caption, box.x + box.width / 2, middle + 2 + m.caption.ascent,
                    kCaptionSize, false, Align::Centre, text);
    }
}
} // namespace bulkhead::render
