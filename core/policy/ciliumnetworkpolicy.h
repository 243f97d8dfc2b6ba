#pragma once

#include "policy/networkpolicy.h"

#include <optional>
#include <string>
#include <vector>

namespace bulkhead {

// A C++ model of the part of cilium.io/v2 CiliumNetworkPolicy that Bulkhead writes and reads
// (docs/cilium.md): endpoint selectors, entities, CIDRs, FQDNs, ports, and the HTTP and DNS
// rules of a port.

// Cilium's label for a pod's namespace, usable in any endpoint selector.
inline constexpr const char *kCiliumNamespaceKey = "k8s:io.kubernetes.pod.namespace";
// Prefix of the namespace labels Cilium gives every endpoint
// (k8s:io.cilium.k8s.namespace.labels.KEY).
inline constexpr const char *kCiliumNamespaceLabelPrefix = "k8s:io.cilium.k8s.namespace.labels.";

struct CiliumHttpRule
{
    std::string
        method;       // exact method (Cilium takes a regular expression; Bulkhead writes literals)
    std::string path; // regular expression matched against the whole path
    std::string
        host; // regular expression matched against the whole Host (read only; never written)
    std::vector<std::string> comments; // the requests behind the rule
    int line = 0;                      // where `check` read it
};

struct CiliumFqdn
{
    std::string matchName;    // or
    std::string matchPattern; // "*" stands for any characters of one or more labels' worth
};

// One toPorts entry: one port (Bulkhead writes one per entry) and its layer-7 rules.
struct CiliumPortRule
{
    Protocol protocol = Protocol::TCP;
    std::string port; // number or container port name
    std::vector<CiliumHttpRule> http;
    std::vector<CiliumFqdn> dns;
    bool hasHttp = false; // rules.http was given (an empty list allows nothing at layer 7)
    bool hasDns = false;
    // Read by `check` only (the writer gives one protocol and no range):
    bool anyProtocol = false;        // protocol ANY or left out: TCP, UDP and SCTP
    std::optional<uint16_t> endPort; // port..endPort (a numbered port)
    int line = 0;
};

// One ingress or egress rule. Bulkhead writes one kind of peer per rule (Cilium refuses a rule
// that combines endpoints with CIDRs or entities); the reader accepts what Cilium accepts.
struct CiliumRule
{
    std::vector<LabelSelector> endpoints; // fromEndpoints / toEndpoints
    std::vector<std::string> entities;    // fromEntities / toEntities
    std::vector<IpBlock> cidrs;        // fromCIDR / toCIDR (no except) and fromCIDRSet / toCIDRSet
    std::vector<CiliumFqdn> fqdns;     // toFQDNs (egress only)
    std::vector<CiliumPortRule> ports; // empty: every port
    std::vector<std::string> comments;
    int line = 0; // where `check` read it
    bool hasPeers() const
    {
        return !endpoints.empty() || !entities.empty() || !cidrs.empty() || !fqdns.empty();
    }
};

struct CiliumNetworkPolicy
{
    std::string ns;
    std::string name;
    Labels labels;
    LabelSelector endpointSelector; // pods of the policy's namespace
    bool defaultDenyIngress = true; // enableDefaultDeny.ingress
    bool defaultDenyEgress = true;
    bool ingressGiven = false; // the spec has an ingress section (with `- {}` when no rule)
    bool egressGiven = false;
    std::vector<CiliumRule> ingress;
    std::vector<CiliumRule> egress;
    std::vector<std::string> comments;
    // Read by `check` only:
    bool clusterwide = false;   // CiliumClusterwideNetworkPolicy (no namespace)
    bool namespaceGiven = true; // metadata.namespace was set (else the -n namespace applies)
    std::vector<CiliumRule> ingressDeny; // deny rules: peers and ports, no layer-7 rules
    std::vector<CiliumRule> egressDeny;

    std::string sourceFile;
    int sourceLine = 0;

    std::string id() const
    {
        return clusterwide ? "CiliumClusterwideNetworkPolicy/" + name : ns + '/' + name;
    }
};

} // namespace bulkhead
