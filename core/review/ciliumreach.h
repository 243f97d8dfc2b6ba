#pragma once

#include "policy/ciliumnetworkpolicy.h"
#include "review/blastradius.h"
#include "review/ciliumevaluator.h"

#include <cstddef>
#include <vector>

namespace bulkhead {

struct Analysis;
struct NetworkPolicy;

// The blast radius's reading of a Cilium verdict: a connection counts unless Cilium denies it.
// A pair the inventory cannot decide (CiliumDecision::Undecided) counts as reachable, since the
// blast radius is an upper bound: when in doubt, the attacker gets there.
struct CiliumReachAllows
{
    const CiliumEvaluator &evaluator;
    bool allows(const Peer &from, const Peer &to, Protocol protocol, uint16_t port) const
    {
        return evaluator.decide(from, to, protocol, port) != CiliumDecision::Denied;
    }
};

// Who can reach whom under CiliumNetworkPolicies, CiliumClusterwideNetworkPolicies and the
// Kubernetes NetworkPolicies Cilium enforces with them (docs/cilium.md "Blast radius under
// Cilium"): reachFromPolicies with the CiliumEvaluator, the same ports tried. undecidedPairs
// counts the ordered workload pairs counted as reachable only because some port's verdict was
// undecided (none of the ports tried is decided allowed).
struct CiliumReach
{
    ReachGraph graph;
    size_t undecidedPairs = 0;
};
CiliumReach reachFromCiliumEvaluator(const Inventory &inventory, const Analysis &analysis,
                                     const CiliumEvaluator &evaluator);
// The same, building the evaluator as `check` does.
CiliumReach reachFromCiliumPolicies(const Inventory &inventory, const Analysis &analysis,
                                    const std::vector<NetworkPolicy> &networkPolicies,
                                    const std::vector<CiliumNetworkPolicy> &ciliumPolicies,
                                    CiliumNames names, bool cidrMatchesNodes = false);
// Who the internet reaches directly: workloads whose ingress admits the `world` network
// (entity world, CIDR rules covering it, NetworkPolicy ipBlocks) on a port tried as above,
// undecided counted as admitted.
std::vector<int> internetDirectFromCilium(const Inventory &inventory, const Analysis &analysis,
                                          const CiliumEvaluator &evaluator, int worldNetwork);

} // namespace bulkhead
