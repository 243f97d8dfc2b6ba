#include "render/graphrender.h"

#include "graph/palette.h"
#include "layout/readablelayout.h"

#include <cairo.h>
#include <graphviz/cgraph.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

namespace bulkhead {

namespace {

std::unexpected<Error> fail(std::string message)
{
    return makeError(std::string(), 0, std::move(message));
}

constexpr const char *kFontFamily = "sans-serif";
constexpr double kTitleSize = 11;  // points, bold
constexpr double kCaptionSize = 9; // points
constexpr double kLabelSize = 9;   // edge port labels
constexpr double kMargin = 16;     // points around the layout: labels may stick out of it

struct Color
{
    double r = 0.53, g = 0.53, b = 0.53, a = 1;

    static Color rgb(int r, int g, int b) { return {r / 255.0, g / 255.0, b / 255.0, 1}; }
    static Color of(uint32_t rgb)
    {
        return Color::rgb(int(rgb >> 16 & 0xff), int(rgb >> 8 & 0xff), int(rgb & 0xff));
    }
    static Color fromHex(const std::string &hex)
    {
        unsigned value = 0;
        if (hex.size() == 7 && hex[0] == '#' && std::sscanf(hex.c_str() + 1, "%6x", &value) == 1)
            return rgb(int(value >> 16 & 0xff), int(value >> 8 & 0xff), int(value & 0xff));
        return rgb(0x88, 0x88, 0x88);
    }
    Color darker(double factor) const { return {r / factor, g / factor, b / factor, a}; }
    Color withAlpha(double alpha) const { return {r, g, b, alpha}; }
    std::string hex() const
    {
        char text[8];
        std::snprintf(text, sizeof text, "#%02x%02x%02x", int(std::lround(r * 255)),
                      int(std::lround(g * 255)), int(std::lround(b * 255)));
        return text;
    }
    // Dark text on light fills, white on dark ones.
    Color textOn() const
    {
        const double luminance = 255 * (0.299 * r + 0.587 * g + 0.114 * b);
        return luminance > 150 ? rgb(0x20, 0x20, 0x20) : rgb(0xff, 0xff, 0xff);
    }
};

struct Pen
{
    Color color;
    double width = 1;
    bool dashed = false;
};

enum class Align { Left, Centre };

// What the drawing needs from a surface; two implementations below (SVG text, cairo pixels), so
// both formats draw the same picture from one piece of code.
class Canvas
{
public:
    virtual ~Canvas() = default;
    virtual void roundedRect(const LayoutRect &rect, double radius, const Pen &pen,
                             const Color &fill)
        = 0;
    virtual void path(const EdgePath &path, const Pen &pen) = 0;
    virtual void triangle(const LayoutPoint (&points)[3], const Color &fill) = 0;
    // Text with its baseline at y, starting at x (Left) or centred on x.
    virtual void text(const std::string &text, double x, double y, double size, bool bold,
                      Align align, const Color &color)
        = 0;
};

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

std::string xmlEscaped(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default:
            // XML 1.0 has no place for other control characters.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t')
                out += c;
        }
    }
    return out;
}

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

class SvgCanvas : public Canvas
{
public:
    SvgCanvas(double width, double height)
    {
        width += 2 * kMargin;
        height += 2 * kMargin;
        m_out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
                + number(width) + "pt\" height=\"" + number(height) + "pt\" viewBox=\"0 0 "
                + number(width) + ' ' + number(height)
                + "\">\n"
                  "<title>Bulkhead graph</title>\n"
                  "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
                  "<g transform=\"translate("
                + number(kMargin) + ',' + number(kMargin) + ")\">\n";
    }
    std::string finish() { return std::move(m_out) + "</g>\n</svg>\n"; }

    void roundedRect(const LayoutRect &rect, double radius, const Pen &pen,
                     const Color &fill) override
    {
        m_out += "<rect x=\"" + number(rect.x) + "\" y=\"" + number(rect.y) + "\" width=\""
                 + number(rect.width) + "\" height=\"" + number(rect.height) + "\" rx=\""
                 + number(radius) + "\" " + fillText(fill) + ' ' + penText(pen) + "/>\n";
    }
    void path(const EdgePath &path, const Pen &pen) override
    {
        std::string d = "M" + point(path.start);
        if (!path.bezier.empty()) {
            d += " L" + point(path.bezier[0]);
            for (size_t i = 1; i + 2 < path.bezier.size(); i += 3)
                d += " C" + point(path.bezier[i]) + ' ' + point(path.bezier[i + 1]) + ' '
                     + point(path.bezier[i + 2]);
        }
        d += " L" + point(path.end);
        m_out += "<path d=\"" + d + "\" fill=\"none\" " + penText(pen) + "/>\n";
    }
    void triangle(const LayoutPoint (&points)[3], const Color &fill) override
    {
        m_out += "<polygon points=\"" + point(points[0]) + ' ' + point(points[1]) + ' '
                 + point(points[2]) + "\" " + fillText(fill) + "/>\n";
    }
    void text(const std::string &text, double x, double y, double size, bool bold, Align align,
              const Color &color) override
    {
        m_out += "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-family=\""
                 + kFontFamily + "\" font-size=\"" + number(size) + "\""
                 + (bold ? " font-weight=\"bold\"" : "")
                 + (align == Align::Centre ? " text-anchor=\"middle\"" : "") + " fill=\""
                 + color.hex() + "\">" + xmlEscaped(text) + "</text>\n";
    }

private:
    static std::string point(const LayoutPoint &p) { return number(p.x) + ',' + number(p.y); }
    static std::string fillText(const Color &fill)
    {
        std::string out = "fill=\"" + fill.hex() + '"';
        if (fill.a < 1)
            out += " fill-opacity=\"" + number(fill.a) + '"';
        return out;
    }
    static std::string penText(const Pen &pen)
    {
        return "stroke=\"" + pen.color.hex() + "\" stroke-width=\"" + number(pen.width) + '"'
               + (pen.dashed ? " stroke-dasharray=\"5,3\"" : "");
    }

    std::string m_out;
};

class CairoCanvas : public Canvas
{
public:
    explicit CairoCanvas(cairo_t *cr)
        : m_cr(cr)
    {
    }

    void roundedRect(const LayoutRect &rect, double radius, const Pen &pen,
                     const Color &fill) override
    {
        const double r = std::min({radius, rect.width / 2, rect.height / 2});
        const double x = rect.x, y = rect.y, w = rect.width, h = rect.height;
        cairo_new_sub_path(m_cr);
        cairo_arc(m_cr, x + w - r, y + r, r, -M_PI / 2, 0);
        cairo_arc(m_cr, x + w - r, y + h - r, r, 0, M_PI / 2);
        cairo_arc(m_cr, x + r, y + h - r, r, M_PI / 2, M_PI);
        cairo_arc(m_cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
        cairo_close_path(m_cr);
        setColor(fill);
        cairo_fill_preserve(m_cr);
        stroke(pen);
    }
    void path(const EdgePath &path, const Pen &pen) override
    {
        cairo_move_to(m_cr, path.start.x, path.start.y);
        if (!path.bezier.empty()) {
            cairo_line_to(m_cr, path.bezier[0].x, path.bezier[0].y);
            for (size_t i = 1; i + 2 < path.bezier.size(); i += 3)
                cairo_curve_to(m_cr, path.bezier[i].x, path.bezier[i].y, path.bezier[i + 1].x,
                               path.bezier[i + 1].y, path.bezier[i + 2].x, path.bezier[i + 2].y);
        }
        cairo_line_to(m_cr, path.end.x, path.end.y);
        stroke(pen);
    }
    void triangle(const LayoutPoint (&points)[3], const Color &fill) override
    {
        cairo_move_to(m_cr, points[0].x, points[0].y);
        cairo_line_to(m_cr, points[1].x, points[1].y);
        cairo_line_to(m_cr, points[2].x, points[2].y);
        cairo_close_path(m_cr);
        setColor(fill);
        cairo_fill(m_cr);
    }
    void text(const std::string &text, double x, double y, double size, bool bold, Align align,
              const Color &color) override
    {
        cairo_select_font_face(m_cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(m_cr, size);
        if (align == Align::Centre) {
            cairo_text_extents_t extents;
            cairo_text_extents(m_cr, text.c_str(), &extents);
            x -= extents.x_advance / 2;
        }
        cairo_move_to(m_cr, x, y);
        setColor(color);
        cairo_show_text(m_cr, text.c_str());
        cairo_new_path(m_cr);
    }

private:
    void setColor(const Color &c) { cairo_set_source_rgba(m_cr, c.r, c.g, c.b, c.a); }
    void stroke(const Pen &pen)
    {
        setColor(pen.color);
        cairo_set_line_width(m_cr, pen.width);
        const double dashes[] = {5, 3};
        cairo_set_dash(m_cr, dashes, pen.dashed ? 2 : 0, 0);
        cairo_stroke(m_cr);
    }

    cairo_t *m_cr;
};

// Measured boxes and texts, then Graphviz.
struct Measured
{
    LayoutInput input;
    std::vector<std::string> edgeLabels;
    cairo_font_extents_t title{}, caption{}, label{};
    std::vector<double> labelWidths;
};

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
        // The arrowhead: 10 points long, 22 degrees each side, its tip on the target's border.
        const LayoutPoint tip = path.end;
        const LayoutPoint from = path.bezier.empty() ? path.start : path.bezier.back();
        const double angle = std::atan2(from.y - tip.y, from.x - tip.x);
        const double spread = 22 * M_PI / 180;
        const LayoutPoint head[3]
            = {tip,
               {tip.x + 10 * std::cos(angle + spread), tip.y + 10 * std::sin(angle + spread)},
               {tip.x + 10 * std::cos(angle - spread), tip.y + 10 * std::sin(angle - spread)}};
        if (from.x != tip.x || from.y != tip.y)
            canvas.triangle(head, color);
        if (edge.bothWays) { // and one at the start
            const LayoutPoint tail = path.start;
            const LayoutPoint next = path.bezier.empty() ? path.end : path.bezier.front();
            const LayoutPoint toward
                = (next.x != tail.x || next.y != tail.y) || path.bezier.size() < 2 ? next
                                                                                   : path.bezier[1];
            const double back = std::atan2(toward.y - tail.y, toward.x - tail.x);
            const LayoutPoint second[3]
                = {tail,
                   {tail.x + 10 * std::cos(back + spread), tail.y + 10 * std::sin(back + spread)},
                   {tail.x + 10 * std::cos(back - spread), tail.y + 10 * std::sin(back - spread)}};
            if (toward.x != tail.x || toward.y != tail.y)
                canvas.triangle(second, color);
        }
        const LayoutPoint centre = labelCentres[i];
        const double width = m.labelWidths[i] + 8, height = m.label.height + 2;
        canvas.roundedRect({centre.x - width / 2, centre.y - height / 2, width, height}, 3,
                           {Color::rgb(0xd0, 0xd0, 0xd0), 0.8},
                           Color::rgb(0xff, 0xff, 0xff).withAlpha(230 / 255.0));
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

cairo_status_t appendToString(void *closure, const unsigned char *data, unsigned int length)
{
    static_cast<std::string *>(closure)->append(reinterpret_cast<const char *>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

Expected<std::string> drawPng(const GraphModel &graph, const Measured &m, const GraphLayout &layout,
                              double scale)
{
    // (less a rounding error, so that a scale made to fit gives exactly the size it aimed at)
    const int width
        = std::max(1, int(std::ceil((layout.boundingBox.width + 2 * kMargin) * scale - 1e-6)));
    const int height
        = std::max(1, int(std::ceil((layout.boundingBox.height + 2 * kMargin) * scale - 1e-6)));
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> owner(surface,
                                                                             cairo_surface_destroy);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
        return fail("cairo could not make a " + std::to_string(width) + "x" + std::to_string(height)
                    + " image: " + cairo_status_to_string(cairo_surface_status(surface)));
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_translate(cr, kMargin, kMargin);
    CairoCanvas canvas(cr);
    draw(canvas, graph, m, layout);
    const cairo_status_t drawn = cairo_status(cr);
    cairo_destroy(cr);
    if (drawn != CAIRO_STATUS_SUCCESS)
        return fail(std::string("cairo could not draw the graph: ")
                    + cairo_status_to_string(drawn));
    std::string png;
    const cairo_status_t written = cairo_surface_write_to_png_stream(surface, appendToString, &png);
    if (written != CAIRO_STATUS_SUCCESS)
        return fail(std::string("cairo could not encode the PNG: ")
                    + cairo_status_to_string(written));
    return png;
}

// Graphviz's own language, with the layout in it (pos in points, y up; width/height in
// inches), so `neato -n2 -Tsvg` redraws it as laid out. Written by cgraph, which quotes.
Expected<std::string> writeDot(const GraphModel &graph, const Measured &m,
                               const GraphLayout &layout)
{
    std::lock_guard lock(graphvizMutex());
    Agdesc_t directed = Agdirected;
    Agraph_t *g = agopen(const_cast<char *>("bulkhead"), directed, nullptr);
    if (!g)
        return fail("Graphviz could not make a graph");
    std::unique_ptr<Agraph_t, decltype(&agclose)> owner(g, agclose);
    const double top = layout.boundingBox.height;
    const auto set = [](void *object, const char *name, const std::string &value) {
        char empty[] = "";
        agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.c_str()), empty);
    };
    set(g, "bb", "0,0," + number(layout.boundingBox.width) + ',' + number(top));
    std::map<std::string, Agraph_t *> subgraphs;
    for (size_t c = 0; c < layout.clusters.size(); ++c) {
        const ClusterBox &cluster = layout.clusters[c];
        const std::string name = "cluster_" + std::to_string(c);
        Agraph_t *sub = agsubg(g, const_cast<char *>(name.c_str()), 1);
        set(sub, "label", cluster.name);
        set(sub, "bb",
            number(cluster.rect.x) + ',' + number(top - cluster.rect.y - cluster.rect.height) + ','
                + number(cluster.rect.x + cluster.rect.width) + ',' + number(top - cluster.rect.y));
        set(sub, "color", clusterColor(graph, cluster.name).hex());
        subgraphs[cluster.name] = sub;
    }
    std::vector<Agnode_t *> nodes;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const GraphModelNode &node = graph.nodes[i];
        const NodePlacement &place = layout.nodes[i];
        const std::string name = "n" + std::to_string(i);
        auto sub = subgraphs.find(node.cluster);
        Agnode_t *n
            = agnode(sub != subgraphs.end() ? sub->second : g, const_cast<char *>(name.c_str()), 1);
        set(n, "label", node.title + "\\n" + node.caption);
        set(n, "shape", "box");
        set(n, "style",
            node.kind == BoxKind::Peer || node.kind == BoxKind::PeerGroup ? "rounded,dashed"
                                                                          : "rounded,filled");
        set(n, "bulkhead_key", node.key);
        set(n, "fillcolor", node.color);
        set(n, "pos", number(place.centre.x) + ',' + number(top - place.centre.y));
        set(n, "width", number(place.width / 72));
        set(n, "height", number(place.height / 72));
        nodes.push_back(n);
    }
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const GraphModelEdge &edge = graph.edges[i];
        Agedge_t *e = agedge(g, nodes[size_t(edge.from)], nodes[size_t(edge.to)], nullptr, 1);
        set(e, "label", m.edgeLabels[i]);
        set(e, "color", edgeColor(edge).hex());
        // An arrow of a whole cluster: from (to) the cluster's frame, named by its label.
        if (!edge.tailCluster.empty())
            set(e, "bulkhead_from_cluster", edge.tailCluster);
        if (!edge.headCluster.empty())
            set(e, "bulkhead_to_cluster", edge.headCluster);
        if (edge.blocked || edge.denied)
            set(e, "style", "dashed");
        const EdgePath &path = layout.edges[i];
        const auto gv = [&](const LayoutPoint &p) { return number(p.x) + ',' + number(top - p.y); };
        std::string pos = "e," + gv(path.end);
        if (!path.bezier.empty()) {
            for (const LayoutPoint &p : path.bezier)
                pos += ' ' + gv(p);
        } else {
            // A straight line as one cubic segment.
            pos += ' ' + gv(path.start) + ' ' + gv(path.start) + ' ' + gv(path.end) + ' '
                   + gv(path.end);
        }
        set(e, "pos", pos);
    }
    char *buffer = nullptr;
    size_t size = 0;
    FILE *stream = open_memstream(&buffer, &size);
    if (!stream)
        return fail("could not write the DOT text");
    const int rc = agwrite(g, stream);
    std::fclose(stream);
    std::string text(buffer ? buffer : "", size);
    std::free(buffer);
    if (rc != 0)
        return fail("Graphviz could not write the DOT text");
    return text;
}

} // namespace

std::optional<RenderFormat> renderFormatForFile(std::string_view path)
{
    const size_t dot = path.rfind('.');
    if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos)
        return std::nullopt;
    std::string extension(path.substr(dot + 1));
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (extension == "svg")
        return RenderFormat::Svg;
    if (extension == "png")
        return RenderFormat::Png;
    if (extension == "dot" || extension == "gv")
        return RenderFormat::Dot;
    return std::nullopt;
}

Expected<RenderedGraph> renderGraph(const GraphModel &graph, RenderFormat format,
                                    const RenderOptions &options)
{
    const Measured m = measure(graph);
    auto layout = layoutGraph(m.input, options.layout);
    if (!layout)
        return std::unexpected(layout.error());
    if (options.layout.engine == LayoutEngine::Auto) // as the desktop application: no sliver
        *layout = readableLayout(std::move(*layout), m.input);
    RenderedGraph out;
    switch (format) {
    case RenderFormat::Svg: {
        SvgCanvas canvas(layout->boundingBox.width, layout->boundingBox.height);
        draw(canvas, graph, m, *layout);
        out.bytes = canvas.finish();
        break;
    }
    case RenderFormat::Png: {
        const double longest
            = std::max(layout->boundingBox.width, layout->boundingBox.height) + 2 * kMargin;
        out.pngScale = std::min(options.pngScale,
                                longest > 0 ? options.pngMaxPixels / longest : options.pngScale);
        auto png = drawPng(graph, m, *layout, out.pngScale);
        if (!png)
            return std::unexpected(png.error());
        out.bytes = std::move(*png);
        break;
    }
    case RenderFormat::Dot: {
        auto dot = writeDot(graph, m, *layout);
        if (!dot)
            return std::unexpected(dot.error());
        out.bytes = std::move(*dot);
        break;
    }
    }
    out.layout = std::move(*layout);
    return out;
}

} // namespace bulkhead
