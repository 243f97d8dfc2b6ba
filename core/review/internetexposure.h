#pragma once

#include "analysis/edge.h"
#include "review/blastradius.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bulkhead {

struct Analysis;
struct Inventory;
struct Zones;
class PolicyEvaluator;

// Exposure to the internet (docs/review.md, "The internet as a peer"): the workloads an attacker
// at any address outside the cluster reaches, directly and then transitively through the reach
// graph. Workload lists hold indices sorted by index.
struct InternetExposure
{
    std::vector<int> direct;           // the internet opens connections to these
    std::vector<int> reach;            // direct, and every workload they reach transitively
    std::map<std::string, int> byZone; // zone -> count of workloads in reach
    std::string highestZone;           // empty when reach is empty
    // A shortest path from the internet to each workload of highestZone: the first step is a
    // workload of direct, the last the target.
    std::map<int, std::vector<int>> paths;
};

// Who the internet reaches directly under the design: targets of edges from the `world` peer.
std::vector<int> internetDirectFromEdges(const Inventory &inventory,
                                         const std::vector<Edge> &edges);
// With no policy: every workload.
std::vector<int> internetDirectWithoutPolicy(const Inventory &inventory);
// Under a policy set: workloads whose ingress admits the `world` network (externals index
// worldNetwork, see ensureWorldNetwork) on a declared port, a port observed to them, or every
// port (a rule without ports), as reachFromPolicies tries them.
std::vector<int> internetDirectFromPolicies(const Inventory &inventory, const Analysis &analysis,
                                            const PolicyEvaluator &evaluator, int worldNetwork);
// The same with any policy set's allows (a TieredEvaluator's: cluster-scoped policies too).
std::vector<int> internetDirectFromAllows(
    const Inventory &inventory, const Analysis &analysis,
    const std::function<bool(const Peer &, const Peer &, Protocol, uint16_t)> &allows,
    int worldNetwork);

// Workloads the inventory suggests face the internet: backends of Services of type LoadBalancer or
// NodePort, and backends of the Services an Ingress routes to. A hint to design a `world` edge
// (or not), never an allowance. Sorted by workload, then reason: {workload index, "Service
// ns/name is a LoadBalancer"}, {workload index, "Ingress ns/web routes to Service ns/frontend"}.
std::vector<std::pair<int, std::string>> internetFacingHints(const Inventory &inventory);

// Breadth-first from every direct workload at once, neighbours in index order.
InternetExposure computeInternetExposure(const Inventory &inventory, const Zones &zones,
                                         const ReachGraph &graph, std::vector<int> direct);

} // namespace bulkhead
