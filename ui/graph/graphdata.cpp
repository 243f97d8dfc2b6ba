#include "graph/graphdata.h"

#include "analysis/pipeline.h"
#include "design/intent.h"

#include <QFontMetricsF>

#include <algorithm>
#include <set>
#include <tuple>

namespace bulkhead::ui {

QString GraphData::externalCluster()
{
    return QStringLiteral("outside the workloads");
}

int GraphData::nodeOf(const Peer &peer) const
{
    if (peer.isWorkload()) {
        auto it = nodeOfWorkload.find(peer.index);
        return it == nodeOfWorkload.end() ? -1 : it->second;
    }
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].peer == peer)
            return static_cast<int>(i);
    return -1;
}

LayoutInput GraphData::layoutInput() const
{
    LayoutInput input;
    input.nodes.reserve(nodes.size());
    for (const GraphNode &node : nodes)
        input.nodes.push_back({node.size.width(), node.size.height(), node.cluster.toStdString()});
    input.edges.reserve(edges.size());
    for (const GraphEdge &edge : edges)
        input.edges.push_back({edge.from, edge.to});
    return input;
}

QString portLabel(const Edge &edge)
{
    return QString::fromUtf8(protocolName(edge.protocol).data()) + '/' + QString::number(edge.port);
}

QColor zoneColor(const Model &model, const std::string &zone)
{
    if (const ZoneLevel *level = model.zones.level(zone))
        return QColor(QString::fromStdString(level->color));
    return QColor(0x88, 0x88, 0x88);
}

namespace {

QString peerCaption(PeerKind kind)
{
    switch (kind) {
    case PeerKind::Node:
        return QStringLiteral("node");
    case PeerKind::ExternalNetwork:
        return QStringLiteral("external network");
    case PeerKind::External:
        return QStringLiteral("external");
    case PeerKind::Unattributed:
        return QStringLiteral("unattributed");
    case PeerKind::Workload:
        break;
    }
    return {};
}

} // namespace

bool sameShape(const GraphData &a, const GraphData &b)
{
    if (a.nodes.size() != b.nodes.size() || a.edges.size() != b.edges.size()
        || a.clusterMode != b.clusterMode)
        return false;
    for (size_t i = 0; i < a.nodes.size(); ++i)
        if (a.nodes[i].peer != b.nodes[i].peer || a.nodes[i].cluster != b.nodes[i].cluster
            || a.nodes[i].size != b.nodes[i].size)
            return false;
    for (size_t i = 0; i < a.edges.size(); ++i)
        if (a.edges[i].from != b.edges[i].from || a.edges[i].to != b.edges[i].to)
            return false;
    return true;
}

namespace {

using EdgeKey = std::tuple<Peer, Peer, Protocol, uint16_t>;
EdgeKey keyOf(const Edge &edge)
{
    return {edge.from, edge.to, edge.protocol, edge.port};
}

} // namespace

GraphData buildGraphData(const Model &model, const Intent &intent, ClusterMode mode,
                         const QFont &font)
{
    GraphData data;
    data.clusterMode = mode;
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF titleMetrics(bold);
    const QFontMetricsF captionMetrics(font);
    const auto measure = [&](GraphNode &node) {
        const double width = std::max(titleMetrics.horizontalAdvance(node.title),
                                      captionMetrics.horizontalAdvance(node.caption));
        node.size = QSizeF(std::max(60.0, width + 20),
                           titleMetrics.height() + captionMetrics.height() + 14);
    };

    const Inventory &inventory = model.inventory;
    for (size_t i = 0; i < inventory.workloads.size(); ++i) {
        const Workload &w = inventory.workloads[i];
        GraphNode node;
        node.peer = Peer::workload(static_cast<int>(i));
        node.title = QString::fromStdString(w.name);
        node.caption = QString::fromStdString(w.zone);
        node.cluster = QString::fromStdString(mode == ClusterMode::Zone ? w.zone : w.ns);
        node.color = zoneColor(model, w.zone);
        measure(node);
        data.nodeOfWorkload[static_cast<int>(i)] = static_cast<int>(data.nodes.size());
        data.nodes.push_back(std::move(node));
    }

    // Other peers, in the edges' (sorted) order.
    std::map<Peer, int> otherNodes;
    const auto nodeFor = [&](const Peer &peer) {
        if (peer.isWorkload())
            return data.nodeOfWorkload.at(peer.index);
        auto [it, inserted] = otherNodes.emplace(peer, static_cast<int>(data.nodes.size()));
        if (inserted) {
            GraphNode node;
            node.peer = peer;
            node.title = QString::fromStdString(peerName(inventory, peer));
            node.caption = peerCaption(peer.kind);
            node.cluster = GraphData::externalCluster();
            node.color = QColor(0xb0, 0xb0, 0xb0);
            measure(node);
            data.nodes.push_back(std::move(node));
        }
        return it->second;
    };

    // What the intent decided for each edge.
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

    // Observed edges, then hand-added ones nobody observed, in edgeLess order.
    std::vector<Edge> edges = model.analysis.edges;
    std::set<EdgeKey> observed;
    for (const Edge &edge : edges)
        observed.insert(keyOf(edge));
    for (const Edge &edge : intent.added)
        if (!observed.count(keyOf(edge)))
            edges.push_back(edge);
    for (const Edge &edge : intent.denied)
        if (!observed.count(keyOf(edge)) && !added.count(keyOf(edge))) {
            observed.insert(keyOf(edge));
            edges.push_back(edge);
        }
    std::stable_sort(edges.begin(), edges.end(), edgeLess);

    std::map<std::pair<int, int>, int> edgeOfPair;
    for (const Edge &edge : edges) {
        const int from = nodeFor(edge.from);
        const int to = nodeFor(edge.to);
        auto [it, inserted] = edgeOfPair.emplace(std::pair(from, to),
                                                 static_cast<int>(data.edges.size()));
        if (inserted)
            data.edges.push_back(GraphEdge{from, to});
        GraphEdge &graphEdge = data.edges[it->second];
        const QString label = portLabel(edge);
        if (!graphEdge.ports.contains(label))
            graphEdge.ports.append(label);
        graphEdge.members.push_back(edge);
        graphEdge.evidence.merge(edge.evidence);
        const EdgeKey key = keyOf(edge);
        graphEdge.allowed = graphEdge.allowed || allowed.count(key);
        graphEdge.denied = graphEdge.denied || denied.count(key);
        graphEdge.added = graphEdge.added || added.count(key);
        auto finding = findings.find(key);
        if (finding != findings.end()) {
            if (graphEdge.zoneRule.isEmpty())
                graphEdge.zoneRule = QString::fromStdString(finding->second->rule);
            graphEdge.blocked = graphEdge.blocked
                                || finding->second->action == ZoneRule::Action::Block;
        }
    }
    for (GraphEdge &edge : data.edges) {
        // An arrow is drawn as denied or blocked only when nothing on it is allowed.
        edge.blocked = edge.blocked && !edge.allowed;
        edge.denied = edge.denied && !edge.allowed;
    }
    for (GraphEdge &edge : data.edges)
        edge.ports.sort();
    return data;
}

} // namespace bulkhead::ui
