#include "review/policyreach.h"

#include "analysis/analysis.h"

#include <set>

namespace bulkhead {

ReachGraph reachFromPolicies(const Inventory &inventory, const Analysis &analysis,
                             const std::vector<NetworkPolicy> &policies, EvaluatorOptions options)
{
    const PolicyEvaluator evaluator(inventory, policies, options);
    const size_t n = inventory.workloads.size();

    // Port 0 is never a numeric port in a valid policy, so only a rule without ports allows it:
    // it stands for "every port of this protocol".
    std::vector<std::vector<std::pair<Protocol, uint16_t>>> ports(n);
    {
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
        for (size_t w = 0; w < n; ++w)
            ports[w].assign(sets[w].begin(), sets[w].end());
    }
    return reachFromPredicate(n, [&](int from, int to) {
        const Peer src = Peer::workload(from), dst = Peer::workload(to);
        for (const auto &[protocol, port] : ports[static_cast<size_t>(to)]) {
            if (evaluator.allows(src, dst, protocol, port))
                return true;
        }
        return false;
    });
}

} // namespace bulkhead
