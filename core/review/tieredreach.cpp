#include "review/tieredreach.h"

#include "analysis/analysis.h"
#include "review/policyreach.h"
#include "review/tieredevaluator.h"

namespace bulkhead {

ReachGraph reachFromTieredPolicies(const Inventory &inventory, const Analysis &analysis,
                                   const std::vector<NetworkPolicy> &policies,
                                   const std::vector<ClusterNetworkPolicy> &clusterPolicies,
                                   EvaluatorOptions options)
{
    const TieredEvaluator evaluator(inventory, policies, clusterPolicies, options);
    return reachFromEvaluator(reachProbePorts(inventory, analysis), evaluator);
}

} // namespace bulkhead
