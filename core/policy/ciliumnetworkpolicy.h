#pragma once

#include "policy/networkpolicy.h"

#include <string>
#include <vector>

namespace bulkhead {

// A C++ model of the part of cilium.io/v2 CiliumNetworkPolicy that Bulkhead writes and reads
// (docs/cilium.md): endpoint selectors, entities, CIDRs, FQDNs, ports, and the HTTP and DNS
// rules of a port.

// Cilium's label for a pod's namespace, usable in any endpoint selector.
inline constexpr const char *kCiliumNamespaceKey = "k8s:io.kubernetes.pod.namespace";
// Prefix of the namespace labels Cilium gives every endpoint (k8s:io.cilium.k8s.namespace.labels.KEY).
inline constexpr const char *kCiliumNamespaceLabelPrefix = "k8s:io.cilium.k8s.namespace.labels.";

struct CiliumHttpRule
{
    std::string method; // exact method (Cilium takes a regular expression; Bulkhead writes literals)
    std::string path;   // regular expression matched against the whole path
    std::vector<std::string> comments; // the requests behind the rule
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
};

// One ingress or egress rule. Bulkhead writes one kind of peer per rule (Cilium refuses a rule
// that combines endpoints with CIDRs or entities); the reader accepts what Cilium accepts.
struct CiliumRule
{
    std::vector<LabelSelector> endpoints; // fromEndpoints / toEndpoints
    std::vector<std::string> entities;    // fromEntities / toEntities
    std::vector<IpBlock> cidrs;           // fromCIDR / toCIDR (no except) and fromCIDRSet / toCIDRSet
    std::vector<CiliumFqdn> fqdns;        // toFQDNs (egress only)
    std::vector<CiliumPortRule> ports;    // empty: every port
    std::vector<std::string> comments;
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

    std::string sourceFile;
    int sourceLine = 0;

    std::string id() const { return ns + '/' + name; }
};

} // namespace bulkhead
