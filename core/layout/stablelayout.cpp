#include "layout/stablelayout.h"

#include "layout/gridlayout.h"
#include "layout/readablelayout.h"

#include <algorithm>
#include <cmath>

namespace bulkhead {

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
            kept.arrows[{keys[edge.from], keys[edge.to]}] = layout.edges[i];
    }
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
    for (size_t i = 0; i < input.edges.size() && i < fresh.edges.size(); ++i) {
        const LayoutEdge &edge = input.edges[i];
        const Where from = where[edge.from], to = where[edge.to];
        if (from == Where::Fresh && to == Where::Fresh)
            continue;
        if (from != Where::Moved && to != Where::Moved) {
            auto it = kept.arrows.find({keys[edge.from], keys[edge.to]});
            const bool bothKept = (from == Where::Kept || placed[edge.from])
                                  && (to == Where::Kept || placed[edge.to]);
            if (it != kept.arrows.end() && bothKept) {
                fresh.edges[i] = it->second;
                continue;
            }
        }
        fresh.edges[i] = straight(fresh.nodes[edge.from], fresh.nodes[edge.to]);
    }
    enclose(fresh, input);
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
    for (const LayoutEdge &edge : input.edges) {
        auto it = kept.arrows.find({keys[edge.from], keys[edge.to]});
        layout.edges.push_back(it != kept.arrows.end()
                                   ? it->second
                                   : straight(layout.nodes[edge.from], layout.nodes[edge.to]));
    }
    enclose(layout, input);
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
