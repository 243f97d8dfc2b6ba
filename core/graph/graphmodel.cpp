#include "graph/graphmodel.h"

#include "design/intent.h"
#include "graph/palette.h"
#include "model/model.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace bulkhead {

namespace {

using EdgeKey = std::tuple<Peer, Peer, Protocol, uint16_t>;

EdgeKey keyOf(const Edge &edge)
{
    return {edge.from, edge.to, edge.protocol, edge.port};
}

std::string peerCaption(PeerKind kind)
{
    switch (kind) {
    case PeerKind::Node: return "node";
    case PeerKind::ExternalNetwork: return "external network";
    case PeerKind::External: return "external";
    case PeerKind::Unattributed: return "unattributed";
    case PeerKind::Workload: break;
    }
    return {};
}

} // namespace

std::string GraphModelEdge::portsLabel(size_t shown) const
{
    std::string label;
    for (size_t i = 0; i < ports.size() && i < shown; ++i)
        label += (i ? ", " : "") + ports[i];
    if (ports.size() > shown)
        label += " +" + std::to_string(ports.size() - shown);
    return label;
}

std::string GraphModelEdge::label() const
{
    const std::string manyPorts = std::to_string(ports.size()) + " ports";
    if (bothWays)
        return std::to_string(arrows - backArrows) + " pairs → · " + std::to_string(backArrows)
               + " ← · " + (ports.size() > 3 ? manyPorts : portsLabel());
    if (arrows > 1 && ports.size() > 3)
        return std::to_string(arrows) + " pairs · " + manyPorts;
    return portsLabel() + (arrows > 1 ? " · " + std::to_string(arrows) + " pairs" : std::string());
}

GraphModel buildGraphModel(const Model &model, const Intent &intent, GraphClusters clusters)
{
    GraphModel graph;
    const Inventory &inventory = model.inventory;
    const auto zoneColor
        = [&](const std::string &zone) { return palette::zoneColor(model.zones, zone); };

    graph.nodes.reserve(inventory.workloads.size());
    for (size_t i = 0; i < inventory.workloads.size(); ++i) {
        const Workload &w = inventory.workloads[i];
        GraphModelNode &node = graph.nodes.emplace_back(
            GraphModelNode{Peer::workload(static_cast<int>(i)), w.name, w.zone,
                           clusters == GraphClusters::Zone ? w.zone : w.ns, zoneColor(w.zone)});
        node.key = "w:" + w.ns + '/' + w.name;
        node.workloads = {static_cast<int>(i)};
    }

    // Other peers get a box on first use, in the edges' order.
    std::map<Peer, int> otherNodes;
    const auto nodeFor = [&](const Peer &peer) {
        if (peer.isWorkload())
            return peer.index;
        auto [it, inserted] = otherNodes.emplace(peer, static_cast<int>(graph.nodes.size()));
        if (inserted) {
            // An external address with a name from the captures' DNS answers or TLS server names
            // shows the name; the address moves to the caption.
            const auto named = peer.kind == PeerKind::External
                                   ? model.analysis.externalNames.find(peer.address)
                                   : model.analysis.externalNames.end();
            std::string title = peerName(inventory, peer);
            const std::string key = "p:" + title; // stable whatever name the captures give it
            std::string caption = peerCaption(peer.kind);
            if (named != model.analysis.externalNames.end() && !named->second.empty()) {
                title = named->second.front();
                if (named->second.size() > 1)
                    title += " +" + std::to_string(named->second.size() - 1);
                caption = "external " + peer.address.toString();
            }
            GraphModelNode &node = graph.nodes.emplace_back(
                GraphModelNode{peer, std::move(title), std::move(caption),
                               GraphModel::externalCluster, palette::hex(palette::externalBorder)});
            node.key = key;
            node.kind = BoxKind::Peer;
            node.peers = 1;
        }
        return it->second;
    };

    std::set<EdgeKey> allowed, denied, added;
    std::map<EdgeKey, const ZoneFinding *> findings;
    for (const Edge &edge : intent.edges)
        allowed.insert(keyOf(edge));
    for (const Edge &edge : intent.denied)
        denied.insert(keyOf(edge));
    for (const Edge &edge : intent.added)
        added.insert(keyOf(edge));
    for (const auto *list : {&intent.blocked, &intent.flagged})
        for (const ZoneFinding &finding : *list)
            findings.emplace(keyOf(finding.edge), &finding);

    // Observed edges, then hand-added and denied ones nobody observed.
    std::vector<Edge> edges = model.analysis.edges;
    std::set<EdgeKey> shown;
    for (const Edge &edge : edges)
        shown.insert(keyOf(edge));
    for (const auto *list : {&intent.added, &intent.denied})
        for (const Edge &edge : *list)
            if (shown.insert(keyOf(edge)).second)
                edges.push_back(edge);
    std::stable_sort(edges.begin(), edges.end(), edgeLess);

    std::map<std::pair<int, int>, size_t> edgeOfPair;
    for (const Edge &edge : edges) {
        const int from = nodeFor(edge.from);
        const int to = nodeFor(edge.to);
        auto [it, inserted] = edgeOfPair.emplace(std::pair(from, to), graph.edges.size());
        if (inserted)
            graph.edges.push_back({from, to});
        GraphModelEdge &arrow = graph.edges[it->second];
        std::string label = portLabel(edge);
        if (std::find(arrow.ports.begin(), arrow.ports.end(), label) == arrow.ports.end())
            arrow.ports.push_back(std::move(label));
        arrow.members.push_back(edge);
        arrow.evidence.merge(edge.evidence);
        const EdgeKey key = keyOf(edge);
        arrow.allowed = arrow.allowed || allowed.count(key);
        arrow.denied = arrow.denied || denied.count(key);
        arrow.added = arrow.added || added.count(key);
        if (auto finding = findings.find(key); finding != findings.end()) {
            if (arrow.zoneRule.empty())
                arrow.zoneRule = finding->second->rule;
            arrow.blocked = arrow.blocked || finding->second->action == ZoneRule::Action::Block;
        }
    }
    // An arrow is denied or blocked only when nothing on it is allowed.
    for (GraphModelEdge &arrow : graph.edges) {
        arrow.blocked = arrow.blocked && !arrow.allowed;
        arrow.denied = arrow.denied && !arrow.allowed;
    }
    return graph;
}

} // namespace bulkhead
