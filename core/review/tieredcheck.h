#pragma once

#include "review/check.h"
#include "review/tieredevaluator.h"

#include <string>
#include <vector>

namespace bulkhead {

struct Inventory;
struct Analysis;

// An observed edge the tiers deny, with the tier, policy and rule that decided.
struct TieredBreak
{
    Edge edge;
    std::string side; // "ingress", "egress" or "ingress+egress"
    VerdictTier tier = VerdictTier::NetworkPolicy;
    std::string policy;
    std::string rule;
    std::string reason;
};

// A connection a NetworkPolicy rule allows that an Admin-tier Deny denies before any
// NetworkPolicy is consulted: the NetworkPolicy's allowance is dead.
struct DeadAllowance
{
    Peer from;
    Peer to;
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;
    std::vector<std::string> allowedBy; // NetworkPolicy rules ("ns/name ingress[0]")
    std::string deniedBy;               // "ClusterNetworkPolicy/name ingress[0] \"rule\""
    bool observed = false;              // also an observed edge (then it is a break too)
};

struct TieredCheckResult
{
    size_t observedEdges = 0;
    std::vector<TieredBreak> breaks;
    std::vector<PolicyExcess> excess; // policies: the rules that allow it, every tier
    std::vector<DeadAllowance> dead;
    size_t adminDenyBreaks = 0; // breaks decided by an Admin-tier Deny
};

// `check` across the tiers: breaks (each naming its tier, policy and rule), excess (pairs on the
// destination's declared or observed ports that the tiers allow and nobody used) and dead
// NetworkPolicy allowances (same pairs and ports, plus observed edges). Sorted by (from, to,
// protocol, port) in inventory order.
TieredCheckResult checkTiered(const Inventory &inventory, const Analysis &analysis,
                              const TieredEvaluator &evaluator);

// `check --explain`: every policy consulted for one connection, tier by tier, side by side, and
// which one decided; plain text, one line per step.
std::string explainText(const Inventory &inventory, const TieredVerdict &verdict, const Peer &from,
                        const Peer &to, Protocol protocol, uint16_t port);

} // namespace bulkhead
