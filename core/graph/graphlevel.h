#pragma once

#include "graph/graphmodel.h"

#include <optional>
#include <string>
#include <string_view>

namespace bulkhead {

struct Model;

// The graph at a level of detail (docs/gui.md, "Levels"): one box per zone, per namespace (within
// a zone), per workload, or a focus on one workload and everything within K hops of it in either
// direction. A view may open one zone or one namespace: what is inside it is shown one level
// finer, what is outside stays folded at the coarser level. Boxes that fold several workloads
// carry their count, arrows that fold several carry their count and ports ("first few, then +N").
// The desktop application and `bulkhead-cli render --level` both draw these graphs.

enum class GraphLevel { Zones, Namespaces, Workloads, Focus };
std::string_view graphLevelName(GraphLevel level); // "zones", "namespaces", "workloads", "focus"
std::optional<GraphLevel> graphLevelFromName(std::string_view name);

struct LevelView
{
    GraphLevel level = GraphLevel::Zones;
    std::string zone; // Namespaces/Workloads: only this zone in detail (empty: every zone)
    std::string ns;   // Workloads: only this namespace of `zone` in detail (empty: all of `zone`)
    // Workloads, a namespace of more than the box limit (drawn as groups, workloadgroups.h): only
    // this group of `ns` in detail (its title; empty: every group folded)
    std::string group;
    int focus = -1; // Focus: the workload (Inventory::workloads index)
    int hops = 1;   // Focus: how far, both directions

    // A name for the view that stays the same across designs: the project keeps positions by it.
    // "zones", "namespaces", "namespaces@restricted", "workloads@restricted/shop",
    // "workloads@public/ns00/svc00000 – svc04980", "focus@shop/cart/2".
    std::string key(const Model &model) const;
    friend bool operator==(const LevelView &, const LevelView &) = default;
};

// Above this many boxes a level is too dense to review; `auto` picks the most detailed level at
// or below it.
constexpr int kLevelBoxLimit = 300;
// A namespace of more than this many workloads opens on groups of them (workloadgroups.h): an
// opened view then holds few enough boxes for every name to be written when it is fitted whole
// in a small window (docs/gui.md, "Groups in a big namespace").
constexpr int kGroupLimit = 60;

// The graph of `view` from the workload-level graph `full` (buildGraphModel with
// GraphClusters::Zone). Every box sits in its zone's cluster (peers outside the workloads in
// GraphModel::externalCluster; an opened namespace's workloads in namespaceClusterName, an opened
// group's in groupClusterName); a namespace of more than `groupLimit` workloads opens on groups
// of them (workloadgroups.h), one box each, a group of one as its workload's box; arrows
// inside one box are counted on it, not drawn. In a view that folds (every view but the whole
// workloads level and focus), many arrows between two clusters, or between a cluster and one box,
// fold into one arrow of the cluster (GraphModelEdge::tailCluster/headCluster), and dense arrows
// between folded boxes of one zone into counts on the boxes (GraphModelNode::foldedOut/In).
GraphModel buildLevelGraph(const GraphModel &full, const Model &model, const LevelView &view,
                           int groupLimit = kGroupLimit);

// The cluster an opened namespace's workloads sit in: "shop (restricted)".
std::string namespaceClusterName(const std::string &zone, const std::string &ns);
// The cluster an opened group's workloads sit in: "ns00 › svc00000 – svc04980 (public)".
std::string groupClusterName(const std::string &zone, const std::string &ns,
                             const std::string &group);

// The most detailed of workloads, namespaces, zones (every zone open) at or below `limit` boxes;
// zones when none is.
GraphLevel autoLevel(const GraphModel &full, const Model &model, int limit = kLevelBoxLimit);

// The view that opening a box of `view` shows (a zone: its namespaces; a namespace: its workloads
// or groups; a group: its workloads; a workload: its focus with `hops`); nothing for a box that
// does not open.
std::optional<LevelView> openBox(const GraphModel &levelGraph, int box, const LevelView &view,
                                 int hops = 1);

} // namespace bulkhead
