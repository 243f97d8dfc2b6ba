#pragma once

#include "inventory/inventory.h"
#include "l7/httprequest.h"
#include "l7/pathdecision.h"
#include "policy/ciliumnetworkpolicy.h"
#include "policy/networkpolicy.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace bulkhead {

struct CiliumOptions
{
    // address -> names (DNS answers, TLS server names), as Analysis::externalNames.
    std::map<IpAddress, std::vector<std::string>> externalNames;
    // The names seen in DNS answers (asked names and the CNAME chain's targets). Only these become
    // toFQDNs: Cilium learns a name's addresses from the lookups its DNS proxy sees.
    std::set<std::string> resolvedNames;
    // --fqdn-pattern: a name that matches one of these ("*.example.com", '*' standing for any
    // characters but '.') is written as that matchPattern instead of its matchName.
    std::vector<std::string> fqdnPatterns;
    // HTTP requests seen to workloads (plain HTTP/1.x and h2c); empty: no rules.http.
    std::vector<HttpRequestSeen> requests;
    // TLS ClientHellos seen to workloads' ports: those ports get a comment saying why they have
    // no rules.http.
    std::vector<TlsSeen> tls;
    int pathCollapse = 3; // --path-collapse N: a segment with more than N distinct values is [^/]+
    // The user's collapse/split decisions on the path trees (docs/cilium.md "Path decisions").
    std::vector<PathDecision> pathDecisions;
};

struct CiliumResult
{
    std::vector<CiliumNetworkPolicy> policies; // the NetworkPolicies' order
    std::vector<std::string> warnings;         // sorted, without duplicates
};

// The CiliumNetworkPolicies that allow exactly what `policies` (Bulkhead's generated
// NetworkPolicies for `inventory`) allow, said the Cilium way (docs/cilium.md): selectors with
// Cilium's namespace label, one toPorts entry per port, kube-apiserver and world as entities,
// externals seen resolved as toFQDNs with the DNS rule their lookups need, other externals as
// CIDRs, and where HTTP requests were seen to a workload's port, rules.http on its ingress.
CiliumResult toCiliumPolicies(const Inventory &inventory,
                              const std::vector<NetworkPolicy> &policies,
                              const CiliumOptions &options);

// Does a DNS name match a matchPattern ('*' = any run of letters, digits, '-' and '_', never '.')?
bool fqdnPatternMatches(std::string_view pattern, std::string_view name);

} // namespace bulkhead
