#include "layout/graphlayout.h"

#include "layout/graphvizids.h"
#include "layout/gridlayout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

namespace bulkhead {

namespace {

// Graphviz reports errors through a callback; collected here while graphvizMutex() is held.
std::string &graphvizMessages()
{
    static std::string messages;
    return messages;
}

int collectGraphvizMessage(char *text)
{
    graphvizMessages() += text;
    return 0;
}

struct ContextDeleter
{
    void operator()(GVC_t *gvc) const { gvFreeContext(gvc); }
};

// Owns a graph and, once laid out, its layout (freed before the graph).
class GraphOwner
{
public:
    GraphOwner(GVC_t *gvc, Agraph_t *graph)
        : m_gvc(gvc)
        , m_graph(graph)
    {
    }
    ~GraphOwner()
    {
        if (m_laidOut)
            gvFreeLayout(m_gvc, m_graph);
        if (m_graph)
            agclose(m_graph);
    }
    GraphOwner(const GraphOwner &) = delete;
    GraphOwner &operator=(const GraphOwner &) = delete;

    Agraph_t *get() const { return m_graph; }
    void setLaidOut() { m_laidOut = true; }

private:
    GVC_t *m_gvc;
    Agraph_t *m_graph;
    bool m_laidOut = false;
};

void set(void *object, const char *name, const std::string &value)
{
    agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.c_str()),
              const_cast<char *>(""));
}

std::string number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", value);
    return buffer;
}

// dot puts every box that no arrow from its own cluster enters (a box without arrows, the first
// of a short chain) in one rank: a cluster of hundreds of them (a namespace whose arrows to the
// rest are folded into its cluster's) becomes a sliver. Invisible edges chain such boxes into rows
// of about equal length, so the cluster comes out about 1.6 times wider than tall; the boxes
// their arrows reach follow them in the next ranks.
void addRows(Agraph_t *g, const LayoutInput &input, const std::vector<Agnode_t *> &nodes)
{
    constexpr size_t kRowsFrom = 12; // fewer such boxes than this stay as dot puts them
    std::vector<char> entered(input.nodes.size(), 0);
    for (const LayoutEdge &edge : input.edges)
        if (input.nodes[edge.from].cluster == input.nodes[edge.to].cluster && edge.from != edge.to)
            entered[edge.to] = 1;
    std::map<std::string, std::vector<int>> starts;
    std::map<std::string, size_t> members;
    for (size_t i = 0; i < input.nodes.size(); ++i) {
        ++members[input.nodes[i].cluster];
        if (!entered[i])
            starts[input.nodes[i].cluster].push_back(static_cast<int>(i));
    }
    int chained = 0;
    for (const auto &[cluster, boxes] : starts) {
        if (boxes.size() < kRowsFrom)
            continue;
        double width = 0, height = 0;
        for (int i : boxes) {
            width += input.nodes[i].width;
            height += input.nodes[i].height;
        }
        width /= double(boxes.size());
        height /= double(boxes.size());
        const double rankGap = 65, boxGap = 22; // ranksep 0.9 in, nodesep 0.3 in
        const double n = double(members[cluster]);
        const size_t perRow = std::max<size_t>(
            2, size_t(std::lround(std::sqrt(1.6 * n * (height + boxGap) / (width + rankGap)))));
        for (size_t i = 0; i + 1 < boxes.size(); ++i) {
            if ((i + 1) % perRow == 0)
                continue;
            const std::string name = "row" + std::to_string(chained++);
            Agedge_t *e = agedge(g, nodes[boxes[i]], nodes[boxes[i + 1]],
                                 const_cast<char *>(name.c_str()), 1);
            set(e, "style", "invis");
        }
    }
}

} // namespace

LayoutPoint LayoutRect::borderTowards(LayoutPoint towards) const
{
    const double cx = x + width / 2;
    const double cy = y + height / 2;
    const double dx = towards.x - cx;
    const double dy = towards.y - cy;
    if (dx == 0 && dy == 0)
        return {cx, y};
    const double sx = dx != 0 ? (width / 2) / std::abs(dx) : INFINITY;
    const double sy = dy != 0 ? (height / 2) / std::abs(dy) : INFINITY;
    const double s = std::min({sx, sy, 1.0});
    return {cx + dx * s, cy + dy * s};
}

std::mutex &graphvizMutex()
{
    static std::mutex mutex;
    return mutex;
}

std::string_view layoutEngineName(LayoutEngine engine)
{
    switch (engine) {
    case LayoutEngine::Auto: return "auto";
    case LayoutEngine::Dot: return "dot";
    case LayoutEngine::Sfdp: return "sfdp";
    case LayoutEngine::Grid: return "grid";
    }
    return "auto";
}

LayoutPoint EdgePath::midpoint() const
{
    return pointAt(0.5);
}

LayoutPoint EdgePath::pointAt(double fraction) const
{
    // The drawn path: start, the bezier's segments sampled (a long curve's control points lie far
    // off it), end.
    std::vector<LayoutPoint> points;
    points.reserve(bezier.size() * 3 + 2);
    points.push_back(start);
    if (!bezier.empty())
        points.push_back(bezier.front());
    for (size_t i = 1; i + 2 < bezier.size(); i += 3) {
        const LayoutPoint &p0 = bezier[i - 1], &p1 = bezier[i], &p2 = bezier[i + 1],
                          &p3 = bezier[i + 2];
        constexpr int kSteps = 8;
        for (int k = 1; k <= kSteps; ++k) {
            const double t = double(k) / kSteps, u = 1 - t;
            points.push_back(
                {u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
                 u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y
                     + t * t * t * p3.y});
        }
    }
    points.push_back(end);
    double total = 0;
    for (size_t i = 1; i < points.size(); ++i)
        total += std::hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    double remaining = total * fraction;
    for (size_t i = 1; i < points.size(); ++i) {
        const double length
            = std::hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
        if (length >= remaining && length > 0) {
            const double t = remaining / length;
            return {points[i - 1].x + (points[i].x - points[i - 1].x) * t,
                    points[i - 1].y + (points[i].y - points[i - 1].y) * t};
        }
        remaining -= length;
    }
    return start;
}

std::vector<LayoutPoint> placeEdgeLabels(const GraphLayout &layout,
                                         const std::vector<std::pair<double, double>> &sizes,
                                         size_t maxEdges)
{
    std::vector<LayoutPoint> centres;
    centres.reserve(layout.edges.size());
    for (const EdgePath &path : layout.edges)
        centres.push_back(path.midpoint());
    if (layout.edges.size() > maxEdges || sizes.size() != layout.edges.size())
        return centres;
    const auto overlap = [](const LayoutRect &a, const LayoutRect &b) {
        const double w = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
        const double h = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
        return w > 0 && h > 0 ? w * h : 0.0;
    };
    std::vector<LayoutRect> placed;
    placed.reserve(layout.edges.size());
    static constexpr double fractions[] = {0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78};
    for (size_t i = 0; i < layout.edges.size(); ++i) {
        const auto [width, height] = sizes[i];
        double best = -1;
        LayoutRect chosen;
        for (double fraction : fractions) {
            const LayoutPoint p = layout.edges[i].pointAt(fraction);
            const LayoutRect rect{p.x - width / 2, p.y - height / 2, width, height};
            double covered = 0;
            for (const LayoutRect &other : placed)
                covered += overlap(rect, other);
            for (const NodePlacement &node : layout.nodes)
                covered += overlap(rect, node.rect());
            if (best < 0 || covered < best) {
                best = covered;
                chosen = rect;
                centres[i] = p;
            }
            if (covered == 0)
                break;
        }
        placed.push_back(chosen);
    }
    return centres;
}

Expected<GraphLayout> layoutGraph(const LayoutInput &input, const LayoutOptions &options)
{
    for (const LayoutEdge &edge : input.edges) {
        const int n = static_cast<int>(input.nodes.size());
        if (edge.from < 0 || edge.from >= n || edge.to < 0 || edge.to >= n)
            return makeError({}, 0, "Graph layout: an edge refers to a node that does not exist.");
    }
    if (options.engine == LayoutEngine::Grid
        || (options.engine == LayoutEngine::Auto
            && static_cast<int>(input.nodes.size()) > options.gridAbove))
        return gridLayout(input);
    GraphLayout result;
    result.engine = options.engine;
    if (result.engine == LayoutEngine::Auto)
        result.engine = static_cast<int>(input.nodes.size()) <= options.dotLimit
                            ? LayoutEngine::Dot
                            : LayoutEngine::Sfdp;
    const bool dot = result.engine == LayoutEngine::Dot;
    if (input.nodes.empty())
        return result;

    std::lock_guard lock(graphvizMutex());
    graphvizMessages().clear();
    agseterr(AGERR);
    agseterrf(collectGraphvizMessage);

    std::unique_ptr<GVC_t, ContextDeleter> gvc(gvContext());
    if (!gvc)
        return makeError({}, 0, "Graphviz could not start (gvContext failed).");
    GraphOwner graph(gvc.get(),
                     agopen(const_cast<char *>("bulkhead"), Agdirected, creationOrderDiscipline()));
    Agraph_t *g = graph.get();

    if (dot) {
        set(g, "nslimit", "1");
        set(g, "nslimit1", "1");
        set(g, "mclimit", "0.1");
        set(g, "rankdir", options.leftToRight ? "LR" : "TB");
        set(g, "nodesep", "0.3");
        // A small graph (an aggregate level): ranks far enough apart for the labels between them.
        const bool roomForLabels
            = input.nodes.size() <= 60 && input.edges.size() <= 80; // (not a hairball)
        // (an arrow of a whole cluster crosses two cluster margins, 26 points each, as well)
        const bool clusterArrows
            = std::any_of(input.edges.begin(), input.edges.end(), [](const LayoutEdge &e) {
                  return !e.tailCluster.empty() || !e.headCluster.empty();
              });
        const double rankGap
            = roomForLabels
                  ? std::max(0.9, input.edgeLabelWidth / 72.0 + 0.5 + (clusterArrows ? 0.75 : 0))
                  : 0.9;
        set(g, "ranksep", std::to_string(rankGap).c_str());
        // and boxes of a rank apart by the labels of the arrows that run between them
        if (roomForLabels && input.edgeLabelWidth > 0 && !input.nodes.empty()) {
            const double perBox = double(input.edges.size()) / double(input.nodes.size());
            set(g, "nodesep", std::to_string(std::clamp(0.25 * perBox, 0.4, 1.6)));
        }
        set(g, "compound", "true");
    } else {
        set(g, "overlap", "scale");
        set(g, "sep", "+12");
    }

    // Clusters, sorted by name (std::map) for a deterministic graph: made in that order, they
    // keep it (creationOrderDiscipline).
    std::map<std::string, Agraph_t *> clusterGraphs;
    std::map<std::string, std::string> clusterOfGraphName;
    if (dot) {
        for (const LayoutNode &node : input.nodes)
            if (!node.cluster.empty())
                clusterGraphs.emplace(node.cluster, nullptr);
        int i = 0;
        for (auto &[name, sub] : clusterGraphs) {
            const std::string graphName = "cluster_" + std::to_string(i++);
            sub = agsubg(g, const_cast<char *>(graphName.c_str()), 1);
            clusterOfGraphName[graphName] = name;
            // No Graphviz label: Qt draws the title in the top margin. Graphviz 2.42's text
            // measuring (pango plugin, textspan_size) reads a freed font name once a previous
            // context was freed (ASan: heap-use-after-free), so Graphviz never measures text here.
            set(sub, "margin", "26");
        }
    }

    std::vector<Agnode_t *> nodes;
    nodes.reserve(input.nodes.size());
    for (size_t i = 0; i < input.nodes.size(); ++i) {
        const LayoutNode &in = input.nodes[i];
        Agraph_t *parent = g;
        if (dot && !in.cluster.empty())
            parent = clusterGraphs.at(in.cluster);
        const std::string name = "n" + std::to_string(i);
        Agnode_t *n = agnode(parent, const_cast<char *>(name.c_str()), 1);
        set(n, "shape", "box");
        set(n, "fixedsize", "true");
        set(n, "label", "");
        set(n, "width", number(in.width / 72.0));
        set(n, "height", number(in.height / 72.0));
        nodes.push_back(n);
    }
    std::map<std::string, std::string> graphNameOfCluster;
    for (const auto &[graphName, cluster] : clusterOfGraphName)
        graphNameOfCluster[cluster] = graphName;
    std::vector<Agedge_t *> edges;
    edges.reserve(input.edges.size());
    for (size_t i = 0; i < input.edges.size(); ++i) {
        const LayoutEdge &in = input.edges[i];
        const std::string name = "e" + std::to_string(i);
        Agedge_t *e = agedge(g, nodes[in.from], nodes[in.to], const_cast<char *>(name.c_str()), 1);
        edges.push_back(e);
        if (!dot)
            continue;
        // An arrow of a whole cluster ends at the cluster's frame (compound=true).
        if (auto it = graphNameOfCluster.find(in.tailCluster);
            !in.tailCluster.empty() && it != graphNameOfCluster.end())
            set(e, "ltail", it->second);
        if (auto it = graphNameOfCluster.find(in.headCluster);
            !in.headCluster.empty() && it != graphNameOfCluster.end())
            set(e, "lhead", it->second);
    }
    if (dot)
        addRows(g, input, nodes);

    const auto started = std::chrono::steady_clock::now();
    const char *engine = dot ? "dot" : "sfdp";
    if (gvLayout(gvc.get(), g, engine) != 0) {
        std::string detail = graphvizMessages();
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' '))
            detail.pop_back();
        return makeError({}, 0,
                         std::string("Graphviz could not lay out the graph with ") + engine
                             + (detail.empty() ? "." : ": " + detail)
                             + " (is the Graphviz layout plugin installed? try `dot -c`)");
    }
    graph.setLaidOut();
    result.seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    const boxf bb = GD_bb(g);
    const auto toQt = [&](pointf p) { return LayoutPoint{p.x - bb.LL.x, bb.UR.y - p.y}; };
    result.boundingBox = {0, 0, bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y};

    result.nodes.reserve(nodes.size());
    for (Agnode_t *n : nodes) {
        NodePlacement placement;
        placement.centre = toQt(ND_coord(n));
        placement.width = ND_width(n) * 72.0;
        placement.height = ND_height(n) * 72.0;
        result.nodes.push_back(placement);
    }

    result.edges.reserve(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) {
        const LayoutRect fromRect = result.nodes[input.edges[i].from].rect();
        const LayoutRect toRect = result.nodes[input.edges[i].to].rect();
        EdgePath path;
        const splines *spl = ED_spl(edges[i]);
        if (spl && spl->size > 0 && spl->list[0].size > 0) {
            const bezier &first = spl->list[0];
            const bezier &last = spl->list[spl->size - 1];
            for (int b = 0; b < spl->size; ++b)
                for (int p = (b == 0 ? 0 : 1); p < spl->list[b].size; ++p)
                    path.bezier.push_back(toQt(spl->list[b].list[p]));
            path.start = first.sflag ? toQt(first.sp) : path.bezier.front();
            path.end = last.eflag ? toQt(last.ep) : path.bezier.back();
        } else {
            // No spline from the engine: a straight line between the borders.
            path.start = fromRect.borderTowards(result.nodes[input.edges[i].to].centre);
            path.end = toRect.borderTowards(result.nodes[input.edges[i].from].centre);
        }
        result.edges.push_back(std::move(path));
    }

    if (dot) {
        for (int c = 1; c <= GD_n_cluster(g); ++c) {
            Agraph_t *sub = GD_clust(g)[c];
            const boxf box = GD_bb(sub);
            const LayoutPoint topLeft = toQt(pointf{box.LL.x, box.UR.y});
            result.clusters.push_back(
                ClusterBox{clusterOfGraphName[agnameof(sub)],
                           {topLeft.x, topLeft.y, box.UR.x - box.LL.x, box.UR.y - box.LL.y}});
        }
        std::sort(result.clusters.begin(), result.clusters.end(),
                  [](const ClusterBox &a, const ClusterBox &b) { return a.name < b.name; });
    }
    return result;
}

} // namespace bulkhead
