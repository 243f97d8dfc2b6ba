#include "graph/graphdata.h"

#include "design/intent.h"
#include "graph/graphmodel.h"
#include "graph/palette.h"
#include "model/model.h"

#include <QFontMetricsF>
#include <QGuiApplication>

#include <algorithm>

namespace bulkhead::ui {

QString GraphData::externalCluster()
{
    return QString::fromUtf8(GraphModel::externalCluster);
}

QString GraphData::tailName(const GraphEdge &edge) const
{
    return QString::fromStdString(edge.tailCluster.empty() ? nodes[edge.from].title
                                                           : edge.tailCluster);
}

QString GraphData::headName(const GraphEdge &edge) const
{
    return QString::fromStdString(edge.headCluster.empty() ? nodes[edge.to].title
                                                           : edge.headCluster);
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
        input.nodes.push_back({node.size.width(), node.size.height(), node.cluster});
    input.edges.reserve(edges.size());
    for (const GraphEdge &edge : edges)
        input.edges.push_back({edge.from, edge.to, edge.tailCluster, edge.headCluster});
    if (nodes.size() <= 60) { // room between ranks for the labels (EdgeItem draws them)
        const QFontMetricsF metrics(QGuiApplication::font());
        for (const GraphEdge &edge : edges) {
            const QString label = QString::fromStdString(edge.label());
            input.edgeLabelWidth
                = std::max(input.edgeLabelWidth, metrics.horizontalAdvance(label) + 8);
        }
    }
    return input;
}

QColor zoneColor(const Model &model, const std::string &zone)
{
    return QColor(QString::fromStdString(palette::zoneColor(model.zones, zone)));
}

bool sameShape(const GraphData &a, const GraphData &b)
{
    if (a.nodes.size() != b.nodes.size() || a.edges.size() != b.edges.size()
        || a.clusterMode != b.clusterMode)
        return false;
    if (a.viewKey != b.viewKey)
        return false;
    for (size_t i = 0; i < a.nodes.size(); ++i)
        if (a.nodes[i].key != b.nodes[i].key || a.nodes[i].peer != b.nodes[i].peer
            || a.nodes[i].cluster != b.nodes[i].cluster || a.nodes[i].size != b.nodes[i].size)
            return false;
    for (size_t i = 0; i < a.edges.size(); ++i)
        if (a.edges[i].from != b.edges[i].from || a.edges[i].to != b.edges[i].to
            || a.edges[i].tailCluster != b.edges[i].tailCluster
            || a.edges[i].headCluster != b.edges[i].headCluster)
            return false;
    return true;
}

std::vector<std::string> GraphData::keys() const
{
    std::vector<std::string> out;
    out.reserve(nodes.size());
    for (const GraphNode &node : nodes)
        out.push_back(node.key);
    return out;
}

GraphData buildGraphData(const Model &model, const Intent &intent, ClusterMode mode,
                         const QFont &font)
{
    GraphModel graph = buildGraphModel(
        model, intent, mode == ClusterMode::Zone ? GraphClusters::Zone : GraphClusters::Namespace);
    GraphData data = toGraphData(std::move(graph), mode, font);
    data.view = {GraphLevel::Workloads};
    data.viewKey = data.view.key(model);
    return data;
}

GraphData buildViewData(const GraphModel &full, const GraphModel *byNamespace, const Model &model,
                        const LevelView &view, ClusterMode mode, const QFont &font)
{
    GraphData data;
    const bool whole = view.level == GraphLevel::Workloads && view.zone.empty();
    if (whole)
        data = toGraphData(mode == ClusterMode::Namespace && byNamespace ? *byNamespace : full,
                           mode, font);
    else
        data = toGraphData(buildLevelGraph(full, model, view), ClusterMode::Zone, font);
    data.view = view;
    data.viewKey = view.key(model) + (whole && mode == ClusterMode::Namespace ? "#namespaces" : "");
    return data;
}

GraphData toGraphData(GraphModel graph, ClusterMode mode, const QFont &font)
{
    // What to show comes from the core (the same graph `bulkhead-cli render` draws); here its
    // boxes get sizes measured with the application's font.
    GraphData data;
    data.clusterMode = mode;
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF titleMetrics(bold);
    const QFontMetricsF captionMetrics(font);
    data.nodes.reserve(graph.nodes.size());
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        GraphNode &node = data.nodes.emplace_back();
        static_cast<GraphModelNode &>(node) = std::move(graph.nodes[i]);
        const double width = std::max(titleMetrics.horizontalAdvance(node.titleText()),
                                      captionMetrics.horizontalAdvance(node.captionText()));
        node.size = QSizeF(std::max(60.0, width + 20),
                           titleMetrics.height() + captionMetrics.height() + 14);
        for (int w : node.workloads)
            data.nodeOfWorkload[w] = static_cast<int>(i);
    }
    data.edges = std::move(graph.edges);
    return data;
}

} // namespace bulkhead::ui
