#pragma once

#include "analysis/edge.h"
#include "analysis/peer.h"

#include <string>
#include <vector>

namespace bulkhead {

struct Model;
struct Intent;

// What the graph shows, before anyone measures text or lays it out: one box per workload and per
// other peer on an edge, one arrow per pair of boxes (whatever the ports), each arrow marked with
// what the intent decided. The desktop application measures and draws it; `bulkhead-cli render`
// draws it with cairo. Plain strings, no drawing.

enum class GraphClusters { Zone, Namespace };

struct GraphModelNode
{
    Peer peer;
    std::string title;   // "cartservice", "corp-vpn", "172.18.0.3"
    std::string caption; // the zone, or what the peer is ("node", "external")
    std::string cluster; // the zone or namespace; GraphModel::externalCluster for the rest
    std::string color;   // "#rrggbb": the zone's colour, grey outside the workloads
};

struct GraphModelEdge
{
    int from = -1; // GraphModel::nodes index
    int to = -1;
    std::vector<std::string> ports; // "TCP/7070", in edge order, without repeats
    std::vector<Edge> members;      // the observed, added or denied edges between the two boxes
    Evidence evidence;              // the members' evidence, merged
    std::string zoneRule;           // the first zone rule reported for a member, if any
    bool allowed = false;           // some member is in the intent
    bool denied = false;            // no member allowed, one denied by the user
    bool blocked = false;           // no member allowed, one blocked by a zone rule
    bool added = false;             // a member was added by hand
};

struct GraphModel
{
    static constexpr const char *externalCluster = "outside the workloads";

    std::vector<GraphModelNode> nodes; // workloads first (inventory order), then other peers
    std::vector<GraphModelEdge> edges; // observed, added and denied edges, in edgeLess order
};

// Observed edges (established and not), hand-added ones and denied ones, merged per pair of boxes.
GraphModel buildGraphModel(const Model &model, const Intent &intent,
                           GraphClusters clusters = GraphClusters::Zone);

} // namespace bulkhead
