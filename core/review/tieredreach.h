#pragma once

#include "policy/clusternetworkpolicy.h"
#include "review/blastradius.h"
#include "review/evaluator.h"

#include <vector>

namespace bulkhead {

struct Analysis;
struct NetworkPolicy;

// reachFromPolicies (review/policyreach.h) across the tiers: NetworkPolicies with the
// cluster-scoped policies around them (review/tieredevaluator.h). Same ports tried.
ReachGraph reachFromTieredPolicies(const Inventory &inventory, const Analysis &analysis,
                                   const std::vector<NetworkPolicy> &policies,
                                   const std::vector<ClusterNetworkPolicy> &clusterPolicies,
                                   EvaluatorOptions options = {});

} // namespace bulkhead
