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

// What a box stands for: one workload or peer, or (graphlevel.h) a group of them; a Group is
// some of a big namespace's workloads (workloadgroups.h).
enum class BoxKind { Workload, Peer, Zone, Namespace, PeerGroup, Group };

struct GraphModelNode
{
    Peer peer;
    std::string title;   // "cartservice", "corp-vpn", "172.18.0.3"
    std::string caption; // the zone, or what the peer is ("node", "external")
    std::string cluster; // the zone or namespace; GraphModel::externalCluster for the rest
    std::string color;   // "#rrggbb": the zone's colour, grey outside the workloads
    // Levels (graphlevel.h): a key naming the box the same way at every design ("w:shop/cart",
    // "z:restricted", "n:restricted/shop", "p:external"), what it stands for, the workloads
    // inside it (Inventory::workloads indexes; the workload itself for a workload box), the
    // arrows folded inside it, and in a focus view the hops from the focused workload.
    std::string key;
    BoxKind kind = BoxKind::Workload;
    std::vector<int> workloads;
    int peers = 0;       // peers outside the workloads inside a PeerGroup box
    int innerArrows = 0; // workload-level arrows between two members of this box
    // Arrows from and to this box that are not drawn on their own at this level (graphlevel.h:
    // folded into an arrow of its whole cluster, or into this count).
    int foldedOut = 0;
    int foldedIn = 0;
    int hops = -1;
    bool isAggregate() const
    {
        return kind == BoxKind::Zone || kind == BoxKind::Namespace || kind == BoxKind::PeerGroup
               || kind == BoxKind::Group;
    }
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
    int arrows = 1;                 // workload-level arrows folded into this one (levels)
    // An arrow of a whole cluster (levels, graphlevel.h): it leaves `tailCluster` (or enters
    // `headCluster`) at the cluster's frame; `from` (`to`) is then the cluster's first box.
    std::string tailCluster;
    std::string headCluster;
    // Levels: arrows of both directions between the same two clusters (or a cluster and a box)
    // drawn as one, with a head at each end; `backArrows` of `arrows` run from `to` to `from`.
    bool bothWays = false;
    int backArrows = 0;
    // "TCP/80, TCP/443, UDP/53 +4": the first `shown` ports, then how many more.
    std::string portsLabel(size_t shown = 3) const;
    // What both painters write on the arrow: the ports, or for a folded arrow of many ports how
    // many pairs and ports; both ways: "948 pairs → · 953 ← · 25 ports".
    std::string label() const;
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
