#include "graph/graphlevel.h"

#include "graph/workloadgroups.h"
#include "model/model.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

namespace bulkhead {

std::string_view graphLevelName(GraphLevel level)
{
    switch (level) {
    case GraphLevel::Zones: return "zones";
    case GraphLevel::Namespaces: return "namespaces";
    case GraphLevel::Workloads: return "workloads";
    case GraphLevel::Focus: return "focus";
    }
    return "zones";
}

std::optional<GraphLevel> graphLevelFromName(std::string_view name)
{
    for (GraphLevel level :
         {GraphLevel::Zones, GraphLevel::Namespaces, GraphLevel::Workloads, GraphLevel::Focus})
        if (graphLevelName(level) == name)
            return level;
    return std::nullopt;
}

std::string LevelView::key(const Model &model) const
{
    std::string key(graphLevelName(level));
    switch (level) {
    case GraphLevel::Zones: break;
    case GraphLevel::Namespaces:
        if (!zone.empty())
            key += '@' + zone;
        break;
    case GraphLevel::Workloads:
        if (!zone.empty())
            key += '@' + zone + (ns.empty() ? "" : '/' + ns) + (group.empty() ? "" : '/' + group);
        break;
    case GraphLevel::Focus:
        if (focus >= 0 && focus < static_cast<int>(model.inventory.workloads.size()))
            key += '@' + model.inventory.workloads[focus].id() + '/' + std::to_string(hops);
        break;
    }
    return key;
}

namespace {

std::string withThousands(size_t n)
{
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<size_t>(i), ",");
    return digits;
}

std::string countCaption(const GraphModelNode &box)
{
    if (box.kind == BoxKind::PeerGroup)
        return withThousands(box.peers) + (box.peers == 1 ? " address" : " addresses");
    const size_t n = box.workloads.size();
    // (a namespace box sits in its zone's cluster, which names the zone)
    return withThousands(n) + (n == 1 ? " workload" : " workloads");
}

const char *peerGroupTitle(PeerKind kind)
{
    switch (kind) {
    case PeerKind::Node: return "nodes";
    case PeerKind::External: return "external addresses";
    case PeerKind::Unattributed: return "unattributed addresses";
    default: return "other peers";
    }
}

// Folds `edge` into `arrow` (the same pair of boxes, or of clusters).
void mergeArrow(GraphModelEdge &arrow, const GraphModelEdge &edge)
{
    for (const std::string &port : edge.ports)
        if (std::find(arrow.ports.begin(), arrow.ports.end(), port) == arrow.ports.end())
            arrow.ports.push_back(port);
    arrow.members.insert(arrow.members.end(), edge.members.begin(), edge.members.end());
    arrow.evidence.merge(edge.evidence);
    if (arrow.zoneRule.empty())
        arrow.zoneRule = edge.zoneRule;
    arrow.allowed = arrow.allowed || edge.allowed;
    arrow.added = arrow.added || edge.added;
    // Folded: denied or blocked only when nothing folded into it is allowed.
    arrow.denied = !arrow.allowed && (arrow.denied || edge.denied);
    arrow.blocked = !arrow.allowed && (arrow.blocked || edge.blocked);
    arrow.arrows += edge.arrows;
}

// Ports in a stable order: by protocol name then number.
void sortPorts(GraphModelEdge &arrow)
{
    std::stable_sort(arrow.ports.begin(), arrow.ports.end(),
                     [](const std::string &a, const std::string &b) {
                         const size_t sa = a.find('/'), sb = b.find('/');
                         const std::string pa = a.substr(0, sa), pb = b.substr(0, sb);
                         if (pa != pb)
                             return pa < pb;
                         return std::atoi(a.c_str() + sa + 1) < std::atoi(b.c_str() + sb + 1);
                     });
}

// Builds boxes from a node -> box assignment (-1: left out), folding arrows per pair of boxes.
struct Folder
{
    const GraphModel &full;
    GraphModel out;
    std::vector<int> boxOf; // full node -> out node
    std::unordered_map<std::string, int> boxByKey;

    explicit Folder(const GraphModel &graph)
        : full(graph)
        , boxOf(graph.nodes.size(), -1)
    {
    }

    int box(const std::string &key, const std::function<GraphModelNode()> &make)
    {
        auto [it, inserted] = boxByKey.emplace(key, static_cast<int>(out.nodes.size()));
        if (inserted) {
            out.nodes.push_back(make());
            out.nodes.back().key = key;
        }
        return it->second;
    }

    void assign(size_t node, int box)
    {
        boxOf[node] = box;
        GraphModelNode &target = out.nodes[box];
        const GraphModelNode &source = full.nodes[node];
        if (target.isAggregate()) {
            target.workloads.insert(target.workloads.end(), source.workloads.begin(),
                                    source.workloads.end());
            target.peers += source.peers;
        }
    }

    void fold()
    {
        for (GraphModelNode &node : out.nodes)
            if (node.isAggregate())
                node.caption = countCaption(node);
        std::map<std::pair<int, int>, size_t> edgeOfPair;
        for (const GraphModelEdge &edge : full.edges) {
            const int from = boxOf[edge.from];
            const int to = boxOf[edge.to];
            if (from < 0 || to < 0)
                continue;
            if (from == to && out.nodes[from].isAggregate()) {
                ++out.nodes[from].innerArrows;
                continue;
            }
            auto [it, inserted] = edgeOfPair.emplace(std::pair(from, to), out.edges.size());
            if (inserted) {
                GraphModelEdge &arrow = out.edges.emplace_back(edge);
                arrow.from = from;
                arrow.to = to;
                arrow.arrows = 1;
                continue;
            }
            mergeArrow(out.edges[it->second], edge);
        }
        for (GraphModelEdge &arrow : out.edges)
            sortPorts(arrow);
    }
};

GraphModelNode zoneBox(const Model &model, const std::string &zone, const std::string &color)
{
    (void)model;
    GraphModelNode box;
    box.title = zone;
    // A zone box stands for its zone (in its colour): no cluster of one box around it.
    box.color = color;
    box.kind = BoxKind::Zone;
    return box;
}

// Where many boxes of one cluster have arrows to the same place, one arrow of the whole cluster
// says it (docs/gui.md, "Folded arrows"): arrows between two clusters, or between a cluster and a
// box outside it, fold into one arrow per direction when there are more than kClusterArrowLimit
// of them. Arrows between folded boxes of one cluster fold into counts on the boxes when the
// cluster has more of them than boxes. Peers outside the workloads keep their own arrows.
constexpr int kClusterArrowLimit = 3;

void foldClusterArrows(GraphModel &graph, const Model &model)
{
    std::map<std::string, std::vector<int>> boxesOf;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const std::string &cluster = graph.nodes[i].cluster;
        if (!cluster.empty() && cluster != GraphModel::externalCluster)
            boxesOf[cluster].push_back(static_cast<int>(i));
    }
    const auto liftable = [&](int box) {
        auto it = boxesOf.find(graph.nodes[box].cluster);
        return it != boxesOf.end() && it->second.size() > 1;
    };
    // Each arrow's ends as drawn when folded: a cluster ("c:" name) or the box itself.
    const auto end = [&](int box) {
        return liftable(box) ? "c:" + graph.nodes[box].cluster : "b:" + std::to_string(box);
    };
    std::map<std::pair<std::string, std::string>, std::vector<size_t>> groups;
    std::map<std::string, std::vector<size_t>> inside; // arrows between folded boxes of one cluster
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        const GraphModelEdge &edge = graph.edges[e];
        const GraphModelNode &from = graph.nodes[edge.from];
        const GraphModelNode &to = graph.nodes[edge.to];
        if (!liftable(edge.from) && !liftable(edge.to)) {
            if (from.isAggregate() && to.isAggregate()) // (drawn once when it runs both ways)
                groups[{end(edge.from), end(edge.to)}].push_back(e);
            continue;
        }
        if (from.cluster == to.cluster) {
            if (from.isAggregate() && to.isAggregate())
                inside[from.cluster].push_back(e);
            continue;
        }
        groups[{end(edge.from), end(edge.to)}].push_back(e);
    }
    // Per arrow: -1 kept, -2 counted on its boxes, else the first member of the arrow it folds
    // into.
    std::vector<int> foldedInto(graph.edges.size(), -1);
    for (const auto &[cluster, members] : inside)
        if (members.size() > boxesOf[cluster].size())
            for (size_t e : members)
                foldedInto[e] = -2;
    // The lower zone of an end (its boxes' first workload's), peers last: an arrow both ways
    // runs from the lower zone to the higher, so dot ranks the zones in their order.
    const auto zoneRank = [&](int box) {
        const GraphModelNode &node = graph.nodes[box];
        if (node.workloads.empty())
            return static_cast<int>(model.zones.levels.size());
        return model.zones.levelIndex(model.inventory.workloads[node.workloads.front()].zone);
    };
    std::map<size_t, std::string> tailOfTrunk; // first member -> its tail end
    // A group folds into one arrow when it has more than the limit, or when it is one arrow
    // between two folded boxes (then only to be drawn once with its way back).
    const auto folds
        = [](const std::pair<std::string, std::string> &ends, const std::vector<size_t> &members) {
              const bool lifted = ends.first.starts_with("c:") || ends.second.starts_with("c:");
              return !lifted || static_cast<int>(members.size()) > kClusterArrowLimit;
          };
    for (const auto &[ends, members] : groups) {
        if (!folds(ends, members) || foldedInto[members.front()] >= 0)
            continue;
        auto back = groups.find({ends.second, ends.first});
        const bool both = back != groups.end() && folds(back->first, back->second);
        const std::vector<size_t> *forward = &members;
        if (both) {
            const GraphModelEdge &there = graph.edges[members.front()];
            if (zoneRank(there.from) > zoneRank(there.to))
                forward = &back->second;
        }
        const size_t first = forward->front();
        tailOfTrunk[first] = forward == &members ? ends.first : ends.second;
        for (size_t e : members)
            foldedInto[e] = static_cast<int>(first);
        if (both)
            for (size_t e : back->second)
                foldedInto[e] = static_cast<int>(first);
    }

    std::vector<GraphModelEdge> kept;
    std::map<size_t, size_t> trunkOf; // first member -> kept index
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        GraphModelEdge &edge = graph.edges[e];
        if (foldedInto[e] == -1) {
            kept.push_back(std::move(edge));
            continue;
        }
        if (foldedInto[e] == -2 || liftable(edge.from))
            ++graph.nodes[edge.from].foldedOut;
        if (foldedInto[e] == -2 || liftable(edge.to))
            ++graph.nodes[edge.to].foldedIn;
        if (foldedInto[e] == -2)
            continue;
        const size_t first = static_cast<size_t>(foldedInto[e]);
        auto it = trunkOf.find(first);
        if (it == trunkOf.end()) {
            const bool reversed = end(edge.from) != tailOfTrunk[first];
            GraphModelEdge trunk = std::move(edge);
            if (reversed) {
                std::swap(trunk.from, trunk.to);
                trunk.bothWays = true;
                trunk.backArrows = trunk.arrows;
            }
            if (liftable(trunk.from)) {
                trunk.tailCluster = graph.nodes[trunk.from].cluster;
                trunk.from = boxesOf[trunk.tailCluster].front();
            }
            if (liftable(trunk.to)) {
                trunk.headCluster = graph.nodes[trunk.to].cluster;
                trunk.to = boxesOf[trunk.headCluster].front();
            }
            trunkOf.emplace(first, kept.size());
            kept.push_back(std::move(trunk));
            continue;
        }
        GraphModelEdge &trunk = kept[it->second];
        if (end(edge.from) != tailOfTrunk[first]) {
            trunk.bothWays = true;
            trunk.backArrows += edge.arrows;
        }
        mergeArrow(trunk, edge);
    }
    for (GraphModelEdge &arrow : kept)
        sortPorts(arrow);
    graph.edges = std::move(kept);
    for (GraphModelNode &box : graph.nodes)
        if (box.foldedOut > 0 || box.foldedIn > 0)
            box.caption += " · " + std::to_string(box.foldedOut) + " out, "
                           + std::to_string(box.foldedIn) + " in";
}

} // namespace

// (Namespace and workload boxes sit in their zone's cluster; a zone box in none.)
GraphModel buildLevelGraph(const GraphModel &full, const Model &model, const LevelView &view,
                           int groupLimit)
{
    Folder folder(full);
    const auto &workloads = model.inventory.workloads;

    if (view.level == GraphLevel::Focus) {
        // Breadth-first over the arrows in both directions from the focused workload.
        int start = -1;
        for (size_t i = 0; i < full.nodes.size() && start < 0; ++i)
            if (full.nodes[i].peer.isWorkload() && full.nodes[i].peer.index == view.focus)
                start = static_cast<int>(i);
        if (start < 0)
            return {};
        std::vector<std::vector<int>> neighbours(full.nodes.size());
        for (const GraphModelEdge &edge : full.edges) {
            neighbours[edge.from].push_back(edge.to);
            neighbours[edge.to].push_back(edge.from);
        }
        std::vector<int> hops(full.nodes.size(), -1);
        std::deque<int> queue{start};
        hops[start] = 0;
        std::vector<int> order;
        while (!queue.empty()) {
            const int node = queue.front();
            queue.pop_front();
            order.push_back(node);
            if (hops[node] >= view.hops)
                continue;
            for (int next : neighbours[node])
                if (hops[next] < 0) {
                    hops[next] = hops[node] + 1;
                    queue.push_back(next);
                }
        }
        std::sort(order.begin(),
                  order.end()); // workloads first, inventory order, as the full graph
        for (int node : order) {
            const int box = folder.box(full.nodes[node].key, [&] {
                GraphModelNode made = full.nodes[node];
                if (made.peer.isWorkload())
                    made.cluster = workloads[made.peer.index].zone;
                made.caption += hops[node] == 0 ? std::string(" · focus")
                                                : " · " + std::to_string(hops[node])
                                                      + (hops[node] == 1 ? " hop" : " hops");
                return made;
            });
            folder.out.nodes[box].hops = hops[node];
            folder.assign(static_cast<size_t>(node), box);
        }
        folder.fold();
        return std::move(folder.out);
    }

    // Which level each workload shows at: inside the opened zone/namespace one level finer.
    const auto detailOf = [&](const Workload &w) {
        switch (view.level) {
        case GraphLevel::Zones: return GraphLevel::Zones;
        case GraphLevel::Namespaces:
            return view.zone.empty() || w.zone == view.zone ? GraphLevel::Namespaces
                                                            : GraphLevel::Zones;
        case GraphLevel::Workloads:
            if (view.zone.empty())
                return GraphLevel::Workloads;
            if (w.zone != view.zone)
                return GraphLevel::Zones;
            return view.ns.empty() || w.ns == view.ns ? GraphLevel::Workloads
                                                      : GraphLevel::Namespaces;
        case GraphLevel::Focus: break;
        }
        return GraphLevel::Workloads;
    };
    const bool foldPeers = view.level != GraphLevel::Workloads || !view.zone.empty();
    // An opened namespace of more than groupLimit workloads: each workload's group.
    std::vector<WorkloadGroup> groups;
    std::vector<const WorkloadGroup *> groupOf;
    if (view.level == GraphLevel::Workloads && !view.zone.empty() && !view.ns.empty()) {
        std::vector<int> members;
        for (size_t i = 0; i < workloads.size(); ++i)
            if (workloads[i].zone == view.zone && workloads[i].ns == view.ns)
                members.push_back(static_cast<int>(i));
        groups = groupWorkloads(model.inventory, members, groupLimit);
        if (!groups.empty()) {
            groupOf.assign(workloads.size(), nullptr);
            for (const WorkloadGroup &group : groups)
                for (int w : group.workloads)
                    groupOf[static_cast<size_t>(w)] = &group;
        }
    }

    // Boxes in the order of the full graph's nodes (workloads in inventory order, then peers).
    for (size_t i = 0; i < full.nodes.size(); ++i) {
        const GraphModelNode &node = full.nodes[i];
        int box = -1;
        if (node.peer.isWorkload()) {
            const Workload &w = workloads[node.peer.index];
            switch (detailOf(w)) {
            case GraphLevel::Zones:
                box = folder.box("z:" + w.zone, [&] { return zoneBox(model, w.zone, node.color); });
                break;
            case GraphLevel::Namespaces:
                box = folder.box("n:" + w.zone + '/' + w.ns, [&] {
                    GraphModelNode made;
                    made.title = w.ns;
                    made.caption = w.zone;
                    made.cluster = w.zone;
                    made.color = node.color;
                    made.kind = BoxKind::Namespace;
                    return made;
                });
                break;
            default: {
                // A big namespace's workloads in their groups, the opened group's in detail.
                const WorkloadGroup *group
                    = groupOf.empty() ? nullptr : groupOf[static_cast<size_t>(node.peer.index)];
                const bool opened = group && group->title == view.group;
                if (group && group->workloads.size() > 1 && !opened) {
                    box = folder.box("s:" + w.zone + '/' + w.ns + '/' + group->title, [&] {
                        GraphModelNode made;
                        made.title = group->title;
                        made.cluster = namespaceClusterName(w.zone, w.ns);
                        made.color = node.color;
                        made.kind = BoxKind::Group;
                        return made;
                    });
                    break;
                }
                box = folder.box(node.key, [&] {
                    GraphModelNode made = node;
                    // An opened namespace (or group) is a cluster of its own beside its zone's
                    // folded rest.
                    made.cluster = view.ns.empty() ? w.zone
                                   : opened        ? groupClusterName(w.zone, w.ns, view.group)
                                                   : namespaceClusterName(w.zone, w.ns);
                    return made;
                });
                break;
            }
            }
        } else if (foldPeers && node.peer.kind != PeerKind::ExternalNetwork) {
            box = folder.box(std::string("g:") + peerGroupTitle(node.peer.kind), [&] {
                GraphModelNode made;
                made.peer = node.peer;
                made.title = peerGroupTitle(node.peer.kind);
                made.cluster = GraphModel::externalCluster;
                made.color = node.color;
                made.kind = BoxKind::PeerGroup;
                return made;
            });
        } else {
            box = folder.box(node.key, [&] { return node; });
        }
        folder.assign(i, box);
    }
    folder.fold();
    if (foldPeers)
        foldClusterArrows(folder.out, model);
    return std::move(folder.out);
}

std::string namespaceClusterName(const std::string &zone, const std::string &ns)
{
    return ns + " (" + zone + ')';
}

std::string groupClusterName(const std::string &zone, const std::string &ns,
                             const std::string &group)
{
    return ns + " › " + group + " (" + zone + ')';
}

GraphLevel autoLevel(const GraphModel &full, const Model &model, int limit)
{
    if (static_cast<int>(full.nodes.size()) <= limit)
        return GraphLevel::Workloads;
    // The namespaces level's boxes counted, not built (the view is built once, after): one per
    // (zone, namespace), one per kind of peer outside the workloads, one per external network.
    std::set<std::pair<std::string_view, std::string_view>> namespaces;
    std::set<std::string_view> others;
    for (const GraphModelNode &node : full.nodes) {
        if (node.peer.isWorkload()) {
            const Workload &w = model.inventory.workloads[node.peer.index];
            namespaces.emplace(w.zone, w.ns);
        } else {
            others.insert(node.peer.kind == PeerKind::ExternalNetwork
                              ? std::string_view(node.key)
                              : peerGroupTitle(node.peer.kind));
        }
    }
    if (static_cast<int>(namespaces.size() + others.size()) <= limit)
        return GraphLevel::Namespaces;
    return GraphLevel::Zones;
}

std::optional<LevelView> openBox(const GraphModel &levelGraph, int box, const LevelView &view,
                                 int hops)
{
    if (box < 0 || box >= static_cast<int>(levelGraph.nodes.size()))
        return std::nullopt;
    const GraphModelNode &node = levelGraph.nodes[box];
    LevelView next;
    switch (node.kind) {
    case BoxKind::Zone:
        next.level = GraphLevel::Namespaces;
        next.zone = node.title;
        return next;
    case BoxKind::Namespace:
        next.level = GraphLevel::Workloads;
        next.zone = node.cluster;
        next.ns = node.title;
        return next;
    case BoxKind::Group:
        if (view.level != GraphLevel::Workloads || view.ns.empty())
            return std::nullopt;
        next = view;
        next.group = node.title;
        return next;
    case BoxKind::Workload:
        if (view.level == GraphLevel::Focus && node.peer.index == view.focus)
            return std::nullopt;
        next.level = GraphLevel::Focus;
        next.focus = node.peer.index;
        next.hops = hops;
        return next;
    case BoxKind::Peer:
    case BoxKind::PeerGroup: break;
    }
    return std::nullopt;
}

} // namespace bulkhead
