#include "review/tieredreach.h"

#include "analysis/analysis.h"
#include "review/tieredevaluator.h"

#include <set>

namespace bulkhead {

ReachGraph reachFromTieredPolicies(const Inventory &inventory, const Analysis &analysis,
                                   const std::vector<NetworkPolicy> &policies,
                                   const std::vector<ClusterNetworkPolicy> &clusterPolicies, EvaluatorOptions options)
{
    const TieredEvaluator evaluator(inventory, policies, clusterPolicies, options);
    const size_t n = inventory.workloads.size();
    // As reachFromPolicies: declared and observed ports, and port 0 per protocol, which only a
    // rule without a port restriction (or a protocol-only entry) matches.
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
