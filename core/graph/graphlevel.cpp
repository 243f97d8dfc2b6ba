#include "graph/graphlevel.h"

#include "analysis/pipeline.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <unordered_map>

namespace bulkhead {

std::string_view graphLevelName(GraphLevel level)
{
    switch (level) {
    case GraphLevel::Zones:
        return "zones";
    case GraphLevel::Namespaces:
        return "namespaces";
    case GraphLevel::Workloads:
        return "workloads";
    case GraphLevel::Focus:
        return "focus";
    }
    return "zones";
}

std::optional<GraphLevel> graphLevelFromName(std::string_view name)
{
    for (GraphLevel level : {GraphLevel::Zones, GraphLevel::Namespaces, GraphLevel::Workloads, GraphLevel::Focus})
        if (graphLevelName(level) == name)
            return level;
    return std::nullopt;
}

std::string LevelView::key(const Model &model) const
{
    std::string key(graphLevelName(level));
    switch (level) {
    case GraphLevel::Zones:
        break;
    case GraphLevel::Namespaces:
        if (!zone.empty())
            key += '@' + zone;
        break;
    case GraphLevel::Workloads:
        if (!zone.empty())
            key += '@' + zone + (ns.empty() ? "" : '/' + ns);
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
    std::string caption = withThousands(n) + (n == 1 ? " workload" : " workloads");
    if (box.kind == BoxKind::Namespace)
        caption = box.caption + " · " + caption;
    return caption;
}

std::string peerGroupTitle(PeerKind kind)
{
    switch (kind) {
    case PeerKind::Node:
        return "nodes";
    case PeerKind::External:
        return "external addresses";
    case PeerKind::Unattributed:
        return "unattributed addresses";
    default:
        return "other peers";
    }
}

// Builds boxes from a node -> box assignment (-1: left out), folding arrows per pair of boxes.
struct Folder
{
    const GraphModel &full;
    GraphModel out;
    std::vector<int> boxOf; // full node -> out node
    std::unordered_map<std::string, int> boxByKey;

    explicit Folder(const GraphModel &graph) : full(graph), boxOf(graph.nodes.size(), -1) {}

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
            target.workloads.insert(target.workloads.end(), source.workloads.begin(), source.workloads.end());
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
            GraphModelEdge &arrow = out.edges[it->second];
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
        for (GraphModelEdge &arrow : out.edges)
            std::stable_sort(arrow.ports.begin(), arrow.ports.end(), [](const std::string &a, const std::string &b) {
                const size_t sa = a.find('/'), sb = b.find('/');
                const std::string pa = a.substr(0, sa), pb = b.substr(0, sb);
                if (pa != pb)
                    return pa < pb;
                return std::atoi(a.c_str() + sa + 1) < std::atoi(b.c_str() + sb + 1);
            });
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

} // namespace

// (Namespace and workload boxes sit in their zone's cluster; a zone box in none.)
GraphModel buildLevelGraph(const GraphModel &full, const Model &model, const LevelView &view)
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
        std::sort(order.begin(), order.end()); // workloads first, inventory order, as the full graph
        for (int node : order) {
            const int box = folder.box(full.nodes[node].key, [&] {
                GraphModelNode made = full.nodes[node];
                if (made.peer.isWorkload())
                    made.cluster = workloads[made.peer.index].zone;
                made.caption += hops[node] == 0 ? std::string(" · focus")
                                                : " · " + std::to_string(hops[node]) + (hops[node] == 1 ? " hop" : " hops");
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
        case GraphLevel::Zones:
            return GraphLevel::Zones;
        case GraphLevel::Namespaces:
            return view.zone.empty() || w.zone == view.zone ? GraphLevel::Namespaces : GraphLevel::Zones;
        case GraphLevel::Workloads:
            if (view.zone.empty())
                return GraphLevel::Workloads;
            if (w.zone != view.zone)
                return GraphLevel::Zones;
            return view.ns.empty() || w.ns == view.ns ? GraphLevel::Workloads : GraphLevel::Namespaces;
        case GraphLevel::Focus:
            break;
        }
        return GraphLevel::Workloads;
    };
    const bool foldPeers = view.level != GraphLevel::Workloads || !view.zone.empty();

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
            default:
                box = folder.box(node.key, [&] {
                    GraphModelNode made = node;
                    made.cluster = w.zone;
                    return made;
                });
                break;
            }
        } else if (foldPeers && node.peer.kind != PeerKind::ExternalNetwork) {
            box = folder.box("g:" + peerGroupTitle(node.peer.kind), [&] {
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
    return std::move(folder.out);
}

GraphLevel autoLevel(const GraphModel &full, const Model &model, int limit)
{
    if (static_cast<int>(full.nodes.size()) <= limit)
        return GraphLevel::Workloads;
    const GraphModel namespaces = buildLevelGraph(full, model, {GraphLevel::Namespaces});
    if (static_cast<int>(namespaces.nodes.size()) <= limit)
        return GraphLevel::Namespaces;
    return GraphLevel::Zones;
}

std::optional<LevelView> openBox(const GraphModel &levelGraph, int box, const LevelView &view, int hops)
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
    case BoxKind::Workload:
        if (view.level == GraphLevel::Focus && node.peer.index == view.focus)
            return std::nullopt;
        next.level = GraphLevel::Focus;
        next.focus = node.peer.index;
        next.hops = hops;
        return next;
    case BoxKind::Peer:
    case BoxKind::PeerGroup:
        break;
    }
    return std::nullopt;
}

} // namespace bulkhead
