#pragma once

#include "analysis/edge.h"
#include "analysis/peer.h"
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
}

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
};

// One arrow: every edge between two boxes, whatever the port.
struct GraphEdge
{
    int from = -1; // GraphData::nodes index
    int to = -1;
    QStringList ports;        // "TCP/7070", sorted
    std::vector<Edge> members; // the observed or hand-added edges between the two boxes
    Evidence evidence;        // merged
    QString zoneRule;         // the first zone rule the intent reports for a member, if any
    bool blocked = false;     // no member is allowed and a zone rule blocks one
    bool denied = false;      // no member is allowed and the user denied one
    bool added = false;       // a member was added by hand
    bool allowed = false;     // some member is in the intent
};

struct GraphData
{
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
    std::map<int, int> nodeOfWorkload; // Inventory::workloads index -> nodes index
    ClusterMode clusterMode = ClusterMode::Zone;

    static QString externalCluster(); // the cluster that sets externals apart
    int nodeOf(const Peer &peer) const;
    LayoutInput layoutInput() const;
};

// The graph of a model: every workload, every other peer that an edge touches, and the edges
// (observed, and added by hand) aggregated per (from, to) pair, each marked with what the intent
// decided for it (allowed, denied, blocked or flagged by a zone rule, added). Node sizes are
// measured with `font` (call on the GUI thread).
GraphData buildGraphData(const Model &model, const Intent &intent, ClusterMode mode,
                         const QFont &font);
// Whether two graphs lay out alike (same boxes, sizes, clusters and arrows): a design change
// that keeps the shape keeps the layout.
bool sameShape(const GraphData &a, const GraphData &b);

QString portLabel(const Edge &edge); // "TCP/7070"
QColor zoneColor(const Model &model, const std::string &zone);

} // namespace bulkhead::ui
