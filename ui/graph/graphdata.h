#pragma once

#include "analysis/edge.h"
#include "analysis/peer.h"
#include "graph/graphlevel.h"
#include "graph/graphmodel.h"
#include "layout/graphlayout.h"

#include <QColor>
#include <QFont>
#include <QSizeF>
#include <QString>

#include <map>
#include <vector>

namespace bulkhead {
struct Model;
struct Intent;
} // namespace bulkhead

namespace bulkhead::ui {

enum class ClusterMode { Zone, Namespace };

// One box of the graph as the view draws it: the core's box (GraphModelNode: what it stands for,
// its title, caption, cluster and "#rrggbb" colour, the level's counts) and its size, measured
// with the application's font.
struct GraphNode : GraphModelNode
{
    QSizeF size; // points, from the font metrics

    QString titleText() const { return QString::fromStdString(title); }
    QString captionText() const { return QString::fromStdString(caption); }
    QString clusterName() const { return QString::fromStdString(cluster); }
    QColor fill() const { return QColor(QString::fromStdString(color)); }
    bool isOutside() const { return kind == BoxKind::Peer || kind == BoxKind::PeerGroup; }
};

// One arrow: every edge between two boxes, whatever the port (the core's, as it is: nothing of it
// depends on the application).
using GraphEdge = GraphModelEdge;

struct GraphData
{
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
    std::map<int, int> nodeOfWorkload; // Inventory::workloads index -> the box holding it
    ClusterMode clusterMode = ClusterMode::Zone;
    LevelView view;      // the level and the opened zone, namespace or focus shown
    std::string viewKey; // LevelView::key: positions are kept per view
    std::vector<std::string> keys() const; // GraphNode::key per node

    static QString externalCluster(); // the cluster that sets externals apart
    // What an arrow's ends stand for: the box's title, or the cluster an arrow of a whole
    // cluster leaves or enters.
    QString tailName(const GraphEdge &edge) const;
    QString headName(const GraphEdge &edge) const;
    int nodeOf(const Peer &peer) const;
    LayoutInput layoutInput() const;
};

// The graph of a model: every workload, every other peer that an edge touches, and the edges
// (observed, and added by hand) aggregated per (from, to) pair, each marked with what the intent
// decided for it (allowed, denied, blocked or flagged by a zone rule, added). Node sizes are
// measured with `font` (call on the GUI thread).
GraphData buildGraphData(const Model &model, const Intent &intent, ClusterMode mode,
                         const QFont &font);
// The graph of one view from the workload-level graph (buildGraphModel, zone clusters;
// `byNamespace` the same with namespace clusters, used for the whole workloads level in
// ClusterMode::Namespace).
GraphData buildViewData(const GraphModel &full, const GraphModel *byNamespace, const Model &model,
                        const LevelView &view, ClusterMode mode, const QFont &font);
// A GraphModel with its boxes measured with `font`.
GraphData toGraphData(GraphModel graph, ClusterMode mode, const QFont &font);
// Whether two graphs lay out alike (same boxes, sizes, clusters and arrows): a design change
// that keeps the shape keeps the layout.
bool sameShape(const GraphData &a, const GraphData &b);

QColor zoneColor(const Model &model, const std::string &zone);

} // namespace bulkhead::ui
