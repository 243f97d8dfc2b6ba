#pragma once

#include "analysis/edge.h"
#include "review/shortestpaths.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bulkhead {

struct Inventory;
struct Zones;

// Who can open a connection to whom, among workloads (indices into Inventory::workloads), on any
// port. out[w] (and in[w], its reverse) are sorted and without duplicates or self-loops.
struct ReachGraph
{
    std::vector<std::vector<int>> out;
    std::vector<std::vector<int>> in; // filled by the builders; computed on demand when empty
    bool complete = false; // "no policy": every pod reaches every pod; out/in stay empty lists

    size_t workloadCount() const { return out.size(); }
};

// No policy at all: every workload reaches every other (never materialised: complete = true).
ReachGraph reachWithoutPolicy(const Inventory &inventory);
// What a set of allowed edges permits: workload -> workload edges only, any port; self-loops
// (pods of one workload talking to each other) are ignored, since they do not widen the reach.
ReachGraph reachFromEdges(const Inventory &inventory, const std::vector<Edge> &edges);
// The hook for a policy set: canReach(from, to) says whether some port is allowed from workload
// `from` to workload `to` (a PolicyEvaluator's evaluate(from, to, protocol, port) over the
// destination's ports). Called once per ordered pair of distinct workloads, in index order.
ReachGraph reachFromPredicate(size_t workloadCount,
                              const std::function<bool(int from, int to)> &canReach);

// docs/semantics.md "Blast radius" for one workload W. Workload lists hold indices sorted by index;
// W itself is never in reach, direct or reachedBy.
struct BlastRadius
{
    int workload = -1;
    std::vector<int> reach;            // reachable from W, transitively
    std::vector<int> direct;           // one hop from W
    std::vector<int> reachedBy;        // workloads that reach W, transitively
    std::string highestZone;           // the highest zone level in reach; empty when reach is empty
    ShortestPaths paths;               // a shortest path, W first, to each workload of highestZone
    std::map<std::string, int> byZone; // zone -> count of reached workloads
    int baseline = 0;                  // reach with no policy: every other workload (n - 1)
    // Hop count from W for every workload index (0 for W, 1 = direct, -1 = out of reach), for the
    // GUI. A flat vector, not a map: at thousands of workloads map nodes cost more than the search.
    std::vector<int> hops;
};

// Breadth-first, neighbours in index order, so the shortest paths are stable.
BlastRadius computeBlastRadius(const Inventory &inventory, const Zones &zones,
                               const ReachGraph &graph, int workload);

// Every workload's radius, in index order (the `blast-radius` command, the GUI's heat mode).
// Where every workload reaches most others the radii together hold O(n²) entries: a caller that
// only needs figures should take them one at a time from forEachBlastRadius.
void forEachBlastRadius(const Inventory &inventory, const Zones &zones, const ReachGraph &graph,
                        const std::function<void(BlastRadius &&)> &sink);
// The radii of the given workloads, in the order given (one setup for all of them).
void forEachBlastRadius(const Inventory &inventory, const Zones &zones, const ReachGraph &graph,
                        const std::vector<int> &workloads,
                        const std::function<void(BlastRadius &&)> &sink);
std::vector<BlastRadius> computeBlastRadii(const Inventory &inventory, const Zones &zones,
                                           const ReachGraph &graph);

// How many workloads each of workloads 0..workloadCount-1 reaches (its radius's reach.size()),
// for all of them at once and without a search per workload: over the strongly connected
// components, in reverse topological order, with bitsets (the GUI's heat mode).
std::vector<int> reachCounts(const ReachGraph &graph, size_t workloadCount);

} // namespace bulkhead
