#include "review/ciliumreach.h"

#include "analysis/analysis.h"
#include "review/internetexposure.h"
#include "review/policyreach.h"

namespace bulkhead {

CiliumReach reachFromCiliumEvaluator(const Inventory &inventory, const Analysis &analysis,
                                     const CiliumEvaluator &evaluator)
{
    const ReachProbePorts ports = reachProbePorts(inventory, analysis);
    CiliumReach result;
    result.graph = reachFromPredicate(ports.size(), [&](int from, int to) {
        const Peer src = Peer::workload(from), dst = Peer::workload(to);
        bool undecided = false;
        for (const auto &[protocol, port] : ports[static_cast<size_t>(to)]) {
            const CiliumDecision d = evaluator.decide(src, dst, protocol, port);
            if (d == CiliumDecision::Allowed)
                return true;
            undecided = undecided || d == CiliumDecision::Undecided;
        }
        result.undecidedPairs += undecided;
        return undecided;
    });
    return result;
}

CiliumReach reachFromCiliumPolicies(const Inventory &inventory, const Analysis &analysis,
                                    const std::vector<NetworkPolicy> &networkPolicies,
                                    const std::vector<CiliumNetworkPolicy> &ciliumPolicies,
                                    CiliumNames names, bool cidrMatchesNodes)
{
    const CiliumEvaluator evaluator(inventory, networkPolicies, ciliumPolicies, std::move(names),
                                    EvaluatorOptions{}, cidrMatchesNodes);
    return reachFromCiliumEvaluator(inventory, analysis, evaluator);
}

std::vector<int> internetDirectFromCilium(const Inventory &inventory, const Analysis &analysis,
                                          const CiliumEvaluator &evaluator, int worldNetwork)
{
    const CiliumReachAllows reach{evaluator};
    return internetDirectFromAllows(
        inventory, analysis,
        [&reach](const Peer &from, const Peer &to, Protocol protocol, uint16_t port) {
            return reach.allows(from, to, protocol, port);
        },
        worldNetwork);
}

} // namespace bulkhead
