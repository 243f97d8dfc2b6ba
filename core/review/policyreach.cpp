#include "review/policyreach.h"

#include "analysis/analysis.h"

#include <set>

namespace bulkhead {

ReachProbePorts reachProbePorts(const Inventory &inventory, const Analysis &analysis)
{
    const size_t n = inventory.workloads.size();
    std::vector<std::set<std::pair<Protocol, uint16_t>>> sets(n);
    for (size_t w = 0; w < n; ++w) {
        for (const ContainerPort &p : inventory.workloads[w].ports)
            sets[w].insert({p.protocol, p.port});
        for (Protocol p : {Protocol::TCP, Protocol::UDP, Protocol::SCTP})
            sets[w].insert({p, 0});
    }
    for (const Edge &e : analysis.edges) {
        if (e.to.isWorkload())
            sets[static_cast<size_t>(e.to.index)].insert({e.protocol, e.port});
    }
    ReachProbePorts ports(n);
    for (size_t w = 0; w < n; ++w)
        ports[w].assign(sets[w].begin(), sets[w].end());
    return ports;
}

ReachGraph reachFromPolicies(const Inventory &inventory, const Analysis &analysis,
                             const std::vector<NetworkPolicy> &policies, EvaluatorOptions options)
{
    const PolicyEvaluator evaluator(inventory, policies, options);
    return reachFromEvaluator(reachProbePorts(inventory, analysis), evaluator);
}

} // namespace bulkhead
