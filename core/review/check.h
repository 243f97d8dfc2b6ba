#pragma once

#include "analysis/edge.h"

#include <string>
#include <vector>

namespace bulkhead {

struct Inventory;
struct Analysis;
class PolicyEvaluator;

// An observed, established edge the policies would deny.
struct PolicyBreak
{
    Edge edge;
    std::string side;   // "ingress", "egress" or "ingress+egress": which side denies it
    std::string reason; // from the evaluator, naming the isolating policies
};

// A workload pair and port the policies allow that was never observed.
struct PolicyExcess
{
    Peer from;
    Peer to;
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;
    std::vector<std::string> policies; // "ns/name rule" of the rules that allow it, both sides
};

struct CheckResult
{
    size_t observedEdges = 0;
    std::vector<PolicyBreak> breaks;
    std::vector<PolicyExcess> excess;
};

// docs/semantics.md "Reviewing existing policies": which observed edges the policies break, and
// which workload pairs they allow on a port declared by the destination (or observed to it) that
// were never observed.
CheckResult checkPolicies(const Inventory &inventory, const Analysis &analysis,
                          const PolicyEvaluator &evaluator);

} // namespace bulkhead
