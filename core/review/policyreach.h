#pragma once

#include "review/blastradius.h"
#include "review/evaluator.h"

#include <vector>

namespace bulkhead {

struct Analysis;
struct NetworkPolicy;

// Who can reach whom under a set of NetworkPolicies (PRODUCT §6, policy "policies"): W reaches X
// when the policies allow W -> X on at least one port. The ports tried for X are its declared
// container ports, every port observed to it, and, per protocol, a probe that only a rule
// without a port restriction allows. A rule that opens only an undeclared, unobserved numeric
// port or range is therefore not counted.
ReachGraph reachFromPolicies(const Inventory &inventory, const Analysis &analysis,
                             const std::vector<NetworkPolicy> &policies, EvaluatorOptions options = {});

} // namespace bulkhead
