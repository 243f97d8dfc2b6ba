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
#include <QStringList>

#include <map>
#include <vector>

namespace bulkhead {
struct Model;
struct Intent;
} // namespace bulkhead

namespace bulkhead::ui {

enum class ClusterMode { Zone, Namespace };

// One box of the graph: a workload, or a peer outside the inventory's workloads (a node, a named
// external network, a lone external address, an unattributed address).
struct GraphNode
{
    Peer peer;
    QString title;   // "cartservice", "corp-vpn", "172.18.0.3"
    QString caption; // the zone (the second cue besides colour), or what the peer is
    QString cluster; // the zone or namespace cluster; GraphData::externalCluster for externals
    QColor color;
    QSizeF size; // points, from the font metrics
    // Levels (core/graph/graphlevel.h): the box's stable key, what it stands for, the workloads
    // in it, hops from the focused workload (focus views), arrows folded inside it.
    std::string key;
    BoxKind kind = BoxKind::Workload;
    std::vector<int> workloads;
    int hops = -1;
    int innerArrows = 0;
    int foldedOut = 0; // arrows not drawn on their own (GraphModelNode::foldedOut)
    int foldedIn = 0;
    bool isAggregate() const
    {
        return kind == BoxKind::Zone || kind == BoxKind::Namespace || kind == BoxKind::PeerGroup
               || kind == BoxKind::Group;
    }
    bool isOutside() const { return kind == BoxKind::Peer || kind == BoxKind::PeerGroup; }
};

// One arrow: every edge between two boxes, whatever the port.
struct GraphEdge
{
    int from = -1; // GraphData::nodes index
    int to = -1;
    QStringList ports;         // "TCP/7070", sorted
    std::vector<Edge> members; // the observed or hand-added edges between the two boxes
    Evidence evidence;         // merged
    QString zoneRule;          // the first zone rule the intent reports for a member, if any
    bool blocked = false;      // no member is allowed and a zone rule blocks one
    bool denied = false;       // no member is allowed and the user denied one
    bool added = false;        // a member was added by hand
    bool allowed = false;      // some member is in the intent
    int arrows = 1;            // workload-level arrows folded into this one
    QString tailCluster;       // an arrow of a whole cluster (GraphModelEdge::tailCluster)
    QString label;             // GraphModelEdge::label
    bool bothWays = false;     // a head at each end (GraphModelEdge::bothWays)
    QString headCluster;
    QString portsLabel; // "TCP/80, TCP/443, UDP/53 +4"
};

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
// A GraphModel with Qt strings, colours and sizes measured with `font`.
GraphData toGraphData(GraphModel graph, ClusterMode mode, const QFont &font);
// Whether two graphs lay out alike (same boxes, sizes, clusters and arrows): a design change
// that keeps the shape keeps the layout.
bool sameShape(const GraphData &a, const GraphData &b);

QString portLabel(const Edge &edge); // "TCP/7070"
QColor zoneColor(const Model &model, const std::string &zone);

} // namespace bulkhead::ui
