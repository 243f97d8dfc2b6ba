#pragma once

#include "review/blastradius.h"
#include "review/evaluator.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace bulkhead {

struct Analysis;
struct NetworkPolicy;

// The ports tried towards each workload (indexed like inventory.workloads), sorted: its declared
// container ports, every port observed to it, and port 0 per protocol. Port 0 is never a numeric
// port in a valid policy, so only a rule without ports allows it: it stands for "every port of
// this protocol".
using ReachProbePorts = std::vector<std::vector<std::pair<Protocol, uint16_t>>>;
ReachProbePorts reachProbePorts(const Inventory &inventory, const Analysis &analysis);

// W reaches X when evaluator.allows(W, X, protocol, port) for one of X's probe ports; any
// evaluator with that member (PolicyEvaluator, TieredEvaluator).
template <typename Evaluator>
ReachGraph reachFromEvaluator(const ReachProbePorts &ports, const Evaluator &evaluator)
{
    return reachFromPredicate(ports.size(), [&](int from, int to) {
        const Peer src = Peer::workload(from), dst = Peer::workload(to);
        for (const auto &[protocol, port] : ports[static_cast<size_t>(to)]) {
            if (evaluator.allows(src, dst, protocol, port))
                return true;
        }
        return false;
    });
}

// Who can reach whom under a set of NetworkPolicies (docs/semantics.md "Blast radius", policy
// "policies"): W reaches X when the policies allow W -> X on at least one port. The ports tried for
// X are its declared container ports, every port observed to it, and, per protocol, a probe that
// only a rule without a port restriction allows. A rule that opens only an undeclared, unobserved
// numeric port or range is therefore not counted.
ReachGraph reachFromPolicies(const Inventory &inventory, const Analysis &analysis,
                             const std::vector<NetworkPolicy> &policies,
                             EvaluatorOptions options = {});

} // namespace bulkhead
