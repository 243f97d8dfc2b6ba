#include "layout/stablelayout.h"

#include "layout/gridlayout.h"
#include "layout/readablelayout.h"

#include <algorithm>
#include <cmath>

namespace bulkhead {

std::pair<std::string, std::string> arrowEnds(const LayoutEdge &edge,
                                              const std::vector<std::string> &keys)
{
    const auto end = [&](int box, const std::string &cluster) {
        return cluster.empty() ? "b:" + keys[box] : "c:" + cluster;
    };
    return {end(edge.from, edge.tailCluster), end(edge.to, edge.headCluster)};
}

KeptLayout keepLayout(const LayoutInput &input, const std::vector<std::string> &keys,
                      const GraphLayout &layout)
{
    KeptLayout kept;
    for (size_t i = 0; i < keys.size() && i < layout.nodes.size() && i < input.nodes.size(); ++i)
        kept.boxes[keys[i]] = {input.nodes[i].cluster, layout.nodes[i].centre,
                               layout.nodes[i].width, layout.nodes[i].height};
    for (size_t i = 0; i < input.edges.size() && i < layout.edges.size(); ++i) {
        const LayoutEdge &edge = input.edges[i];
        if (edge.from >= 0 && edge.to >= 0
            && static_cast<size_t>(std::max(edge.from, edge.to)) < keys.size())
            kept.arrows[arrowEnds(edge, keys)] = layout.edges[i];
    }
    for (const ClusterBox &cluster : layout.clusters)
        kept.clusters[cluster.name] = cluster.rect;
    return kept;
}

namespace {

constexpr double kGap = 14;           // between a placed box and its neighbours
constexpr double kClusterMargin = 12; // cluster border around its boxes
constexpr double kClusterTop = 26;    // room for the cluster's name

bool overlaps(const LayoutRect &a, const LayoutRect &b)
{
    return a.x < b.x + b.width + kGap && b.x < a.x + a.width + kGap && a.y < b.y + b.height + kGap
           && b.y < a.y + a.height + kGap;
}

EdgePath straight(const NodePlacement &from, const NodePlacement &to)
{
    EdgePath path;
    path.start = from.rect().borderTowards(to.centre);
    path.end = to.rect().borderTowards(from.centre);
    return path;
}

// Cluster boxes around their members; the bounding box around everything.
void enclose(GraphLayout &fresh, const LayoutInput &input)
{
    const size_t n = fresh.nodes.size();
    std::map<std::string, LayoutRect> clusters;
    double right = 0, bottom = 0;
    for (size_t i = 0; i < n; ++i) {
        const LayoutRect rect = fresh.nodes[i].rect();
        right = std::max(right, rect.x + rect.width);
        bottom = std::max(bottom, rect.y + rect.height);
        const std::string &name = input.nodes[i].cluster;
        if (name.empty())
            continue;
        const LayoutRect around{rect.x - kClusterMargin, rect.y - kClusterTop,
                                rect.width + 2 * kClusterMargin,
                                rect.height + kClusterTop + kClusterMargin};
        auto [it, inserted] = clusters.emplace(name, around);
        if (!inserted) {
            LayoutRect &r = it->second;
            const double x2 = std::max(r.x + r.width, around.x + around.width);
            const double y2 = std::max(r.y + r.height, around.y + around.height);
            r.x = std::min(r.x, around.x);
            r.y = std::min(r.y, around.y);
            r.width = x2 - r.x;
            r.height = y2 - r.y;
        }
    }
    fresh.clusters.clear();
    for (auto &[name, rect] : clusters) {
        fresh.clusters.push_back({name, rect});
        right = std::max(right, rect.x + rect.width);
        bottom = std::max(bottom, rect.y + rect.height);
    }
    fresh.boundingBox = {0, 0, right, bottom};
}

// Moves the end of `path` at `point` (and the control point beside it, so that the arrowhead
// keeps its shape) with the side of the frame it lies on, from `was` to `now`.
void followFrame(LayoutPoint &point, LayoutPoint *beside, const LayoutRect &was,
                 const LayoutRect &now)
{
    const double left = std::abs(point.x - was.x), right = std::abs(point.x - was.x - was.width);
    const double top = std::abs(point.y - was.y), bottom = std::abs(point.y - was.y - was.height);
    const double nearest = std::min({left, right, top, bottom});
    LayoutPoint delta;
    if (nearest == left)
        delta.x = now.x - was.x;
    else if (nearest == right)
        delta.x = now.x + now.width - was.x - was.width;
    else if (nearest == top)
        delta.y = now.y - was.y;
    else
        delta.y = now.y + now.height - was.y - was.height;
    point.x += delta.x;
    point.y += delta.y;
    if (beside) {
        beside->x += delta.x;
        beside->y += delta.y;
    }
}

const LayoutRect *frameOf(const GraphLayout &layout, const std::string &name)
{
    for (const ClusterBox &cluster : layout.clusters)
        if (cluster.name == name)
            return &cluster.rect;
    return nullptr;
}

// The kept routes of the arrows that leave or enter a cluster's frame (`routed`: by edge index),
// their ends moved with the frames as they are drawn now.
void keepClusterRoutes(GraphLayout &layout, const LayoutInput &input,
                       const std::vector<std::pair<size_t, EdgePath>> &routed,
                       const KeptLayout &kept)
{
    for (const auto &[i, keptPath] : routed) {
        EdgePath path = keptPath;
        const LayoutEdge &edge = input.edges[i];
        for (const bool tail : {true, false}) {
            const std::string &cluster = tail ? edge.tailCluster : edge.headCluster;
            if (cluster.empty())
                continue;
            auto was = kept.clusters.find(cluster);
            const LayoutRect *now = frameOf(layout, cluster);
            if (was == kept.clusters.end() || !now)
                continue;
            LayoutPoint *beside = path.bezier.empty()
                                      ? nullptr
                                      : (tail ? &path.bezier.front() : &path.bezier.back());
            followFrame(tail ? path.start : path.end, beside, was->second, *now);
        }
        layout.edges[i] = std::move(path);
    }
}

} // namespace

GraphLayout stabilizeLayout(GraphLayout fresh, const LayoutInput &input,
                            const std::vector<std::string> &keys, const KeptLayout &kept)
{
    if (kept.empty() || keys.size() != fresh.nodes.size())
        return fresh;
    const size_t n = fresh.nodes.size();
    enum class Where : char { Fresh, Kept, Moved };
    std::vector<Where> where(n, Where::Fresh);
    std::vector<char> placed(n, 0);
    std::vector<LayoutRect> placedRects;
    placedRects.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        auto it = kept.boxes.find(keys[i]);
        // (a box read from a project file has no cluster nor size: any cluster, its size now)
        if (it == kept.boxes.end()
            || (!it->second.cluster.empty() && it->second.cluster != input.nodes[i].cluster))
            continue;
        NodePlacement &node = fresh.nodes[i];
        const bool sameSize
            = it->second.width == 0
              || (it->second.width == node.width && it->second.height == node.height);
        where[i] = it->second.centre == node.centre && sameSize ? Where::Fresh
                   : sameSize                                   ? Where::Kept
                                                                : Where::Moved;
        node.centre = it->second.centre;
        placed[i] = 1;
        placedRects.push_back(node.rect());
    }
    // New boxes: where dot put them, stepped down until they overlap nothing placed.
    for (size_t i = 0; i < n; ++i) {
        if (placed[i])
            continue;
        NodePlacement &node = fresh.nodes[i];
        const LayoutPoint dotCentre = node.centre;
        for (int step = 0; step < 10000; ++step) {
            const LayoutRect rect = node.rect();
            if (std::none_of(placedRects.begin(), placedRects.end(),
                             [&](const LayoutRect &other) { return overlaps(rect, other); }))
                break;
            node.centre.y += node.height + kGap;
        }
        if (!(node.centre == dotCentre))
            where[i] = Where::Moved;
        placedRects.push_back(node.rect());
    }
    std::vector<std::pair<size_t, EdgePath>> routed; // cluster arrows, ends set once framed
    for (size_t i = 0; i < input.edges.size() && i < fresh.edges.size(); ++i) {
        const LayoutEdge &edge = input.edges[i];
        // (a frame's end stands for the cluster, not for the box it is tied to in Graphviz)
        const bool tailFrame = !edge.tailCluster.empty(), headFrame = !edge.headCluster.empty();
        const Where from = tailFrame ? Where::Kept : where[edge.from];
        const Where to = headFrame ? Where::Kept : where[edge.to];
        if (!tailFrame && !headFrame && from == Where::Fresh && to == Where::Fresh)
            continue;
        if (from != Where::Moved && to != Where::Moved) {
            auto it = kept.arrows.find(arrowEnds(edge, keys));
            const bool bothKept = (tailFrame || from == Where::Kept || placed[edge.from])
                                  && (headFrame || to == Where::Kept || placed[edge.to]);
            if (it != kept.arrows.end() && bothKept) {
                fresh.edges[i] = it->second;
                if (tailFrame || headFrame)
                    routed.emplace_back(i, it->second);
                continue;
            }
        }
        if ((tailFrame || headFrame) && where[edge.from] == Where::Fresh
            && where[edge.to] == Where::Fresh)
            continue; // a new cluster arrow between boxes dot placed: its fresh route
        fresh.edges[i] = straight(fresh.nodes[edge.from], fresh.nodes[edge.to]);
    }
    enclose(fresh, input);
    keepClusterRoutes(fresh, input, routed, kept);
    return fresh;
}

} // namespace bulkhead

namespace bulkhead {

std::optional<GraphLayout> reuseLayout(const LayoutInput &input,
                                       const std::vector<std::string> &keys, const KeptLayout &kept)
{
    if (kept.empty() || keys.size() != input.nodes.size())
        return std::nullopt;
    GraphLayout layout;
    layout.engine = LayoutEngine::Dot;
    layout.nodes.reserve(input.nodes.size());
    for (size_t i = 0; i < input.nodes.size(); ++i) {
        auto it = kept.boxes.find(keys[i]);
        if (it == kept.boxes.end() || it->second.cluster != input.nodes[i].cluster
            || it->second.width != input.nodes[i].width
            || it->second.height != input.nodes[i].height)
            return std::nullopt;
        layout.nodes.push_back({it->second.centre, it->second.width, it->second.height});
    }
    layout.edges.reserve(input.edges.size());
    std::vector<std::pair<size_t, EdgePath>> routed;
    for (const LayoutEdge &edge : input.edges) {
        auto it = kept.arrows.find(arrowEnds(edge, keys));
        if (it != kept.arrows.end() && (!edge.tailCluster.empty() || !edge.headCluster.empty()))
            routed.emplace_back(layout.edges.size(), it->second);
        layout.edges.push_back(it != kept.arrows.end()
                                   ? it->second
                                   : straight(layout.nodes[edge.from], layout.nodes[edge.to]));
    }
    enclose(layout, input);
    keepClusterRoutes(layout, input, routed, kept);
    return layout;
}

} // namespace bulkhead

namespace bulkhead {

GraphLayout readableLayout(GraphLayout layout, const LayoutInput &input)
{
    const double w = layout.boundingBox.width, h = layout.boundingBox.height;
    if (input.nodes.size() <= 40 || w <= 0 || h <= 0 || (w <= 4 * h && h <= 4 * w))
        return layout;
    GraphLayout grid = gridLayout(input);
    grid.seconds = layout.seconds;
    return grid;
}

} // namespace bulkhead
