#pragma once

#include "analysis/edge.h"
#include "review/check.h"

#include <functional>
#include <string>
#include <vector>

namespace bulkhead {

struct Analysis;
struct Inventory;
class PolicyEvaluator;

// One connection (source, destination, protocol, port) and whether it was observed.
struct Connection
{
    Peer from;
    Peer to;
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;
    bool observed = false;
};

// What replacing the policies in force by the design's would change (docs/review.md, "Compare"):
// over the observed edges, the design's own edges and every allowance either set grants beyond
// the evidence (check's excess scan), the connections one allows and the other does not.
// Lists hold the observed connections first, each part sorted by (from, to, protocol, port).
struct PolicyComparison
{
    std::vector<Connection> newlyBlocked; // allowed now, denied by the design
    std::vector<Connection> newlyAllowed; // denied now, allowed by the design
};

PolicyComparison comparePolicies(const Inventory &inventory, const Analysis &analysis,
                                 const PolicyEvaluator &current, const PolicyEvaluator &design,
                                 const std::vector<Edge> &designEdges);

// The same for any two policy sets (a TieredEvaluator's allows, cluster-scoped policies kept in
// force under both): each set's excess is check's (checkPolicies or checkTiered) for that set.
using AllowsFunction = std::function<bool(const Peer &, const Peer &, Protocol, uint16_t)>;
PolicyComparison compareAllowances(const Analysis &analysis, const AllowsFunction &current,
                                   const AllowsFunction &design,
                                   const std::vector<Edge> &designEdges,
                                   const std::vector<PolicyExcess> &currentExcess,
                                   const std::vector<PolicyExcess> &designExcess);

// Excess (allowed, never observed) summarised per destination workload, the way the graph and
// the Findings table show it instead of one arrow per connection. Sorted by count, descending,
// then name.
struct ExcessSummary
{
    int workload = -1;                 // the destination
    int connections = 0;               // excess connections to it
    int sources = 0;                   // distinct sources
    std::vector<std::string> policies; // "ns/name" of the policies that allow them, sorted
};
std::vector<ExcessSummary> summariseExcess(const std::vector<PolicyExcess> &excess);

} // namespace bulkhead
