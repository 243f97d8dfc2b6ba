#pragma once

#include "policy/policyloader.h"
#include "review/check.h"
#include "review/ciliumevaluator.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <vector>

namespace bulkhead {

struct Inventory;
struct Analysis;

// An observed HTTP request (one kind, with its count) that the rules.http of the rules letting
// its connection through do not match: a break at layer 7. `target` is the `:path` Envoy matched:
// the path alone (for the kind's requests without a query string) or path?query (one of the
// kind's query samples); `requests` is how many requests of the kind were seen without a query,
// or with one (every sample of the kind shares that count).
struct HttpBreak
{
    HttpRequestSeen request;
    std::string target;
    uint64_t requests = 0;
    std::string side;               // "ingress" (the server's rules) or "egress" (the client's)
    std::vector<std::string> rules; // the rules whose rules.http were consulted
};

// An observed edge whose verdict the inventory and captures cannot settle
// (CiliumDecision::Undecided).
struct UndecidedEdge
{
    Edge edge;
    std::string reason;
};

struct CiliumCheckResult
{
    size_t observedEdges = 0;
    size_t httpRequests = 0;         // observed requests (summed counts) checked at layer 7
    std::vector<PolicyBreak> breaks; // layer 3/4, as `check` reports them for NetworkPolicies
    std::vector<HttpBreak> httpBreaks;
    std::vector<UndecidedEdge> undecided;
    std::vector<PolicyExcess> excess; // decided allows only
};

// `check` with CiliumNetworkPolicies (docs/cilium.md "Reviewing CiliumNetworkPolicy"): the
// observed edges the policies deny (layer 3/4), the observed HTTP requests of allowed connections
// that their rules.http do not match (layer 7, on either side), the edges it cannot decide, and
// the workload pairs allowed on a destination's declared or observed ports that were never
// observed. Sorted by (from, to, protocol, port) in inventory order; layer-7 breaks in request
// order.
CiliumCheckResult checkCilium(const Inventory &inventory, const Analysis &analysis,
                              const CiliumEvaluator &evaluator);

// A set with both Cilium policies and cluster-scoped ones (ClusterNetworkPolicy,
// AdminNetworkPolicy, BaselineAdminNetworkPolicy) cannot be reviewed as one: Cilium does not
// enforce the tiers. The error names the first of each; nullopt when the set lacks either.
std::optional<Error> ciliumWithClusterTiers(const PolicySet &set);

} // namespace bulkhead
