#pragma once

#include "analysis/edge.h"
#include "analysis/namespaceedge.h"
#include "inventory/inventory.h"
#include "policy/networkpolicy.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

struct GenerateOptions
{
    enum class Granularity { Workload, Zone } granularity = Granularity::Workload;
    bool dnsAll = false; // --dns all: egress to the cluster DNS on 53/UDP and 53/TCP for everyone
    bool namedPorts = false; // --named-ports: container port names where the destination has one
    bool includeSystemNamespaces = false; // police kube-system, kube-public, kube-node-lease too
    bool explain = false;                 // rule comments naming the evidence behind each peer/port
    std::string zoneLabelKey = "bulkhead.io/sensitivity";
    // Names of external addresses (DNS answers, TLS server names): --explain says which name an
    // ipBlock stands for. Never changes what a policy allows.
    std::map<IpAddress, std::vector<std::string>> externalNames;
    // Intent::namespaceEdges: each becomes one peer `namespaceSelector: {matchLabels:
    // {kubernetes.io/metadata.name: NS}}` (no podSelector) in the workload's ingress (namespace
    // as source) or egress (namespace as destination), in place of the namespace's workloads
    // one by one. The intent edges must hold the workload edges it stands for (their other side,
    // the namespace's own policies, is written from them).
    std::vector<NamespaceEdge> namespaceEdges;
};

struct GenerateResult
{
    std::vector<NetworkPolicy>
        policies; // sorted by (namespace, name); "default-deny" sorts among names
    std::vector<std::string> warnings; // sorted, without duplicates
};

// Least-privilege NetworkPolicies for the intent edges (docs/semantics.md "Generated policies").
// Evaluated with Kubernetes semantics the result allows every expressible intent edge and no other
// (source, destination, protocol, port) among the inventory's workloads, nodes and externals,
// except where a warning says otherwise (indistinguishable workloads, zone granularity). Edges that
// cannot be expressed (unattributed in-cluster addresses, ICMP, port 0) are dropped with a warning:
// they stay denied. `captureFiles` names the files that Evidence::files indexes (for explain
// comments).
GenerateResult generatePolicies(const Inventory &inventory, const std::vector<Edge> &intent,
                                const GenerateOptions &options,
                                const std::vector<std::string> &captureFiles = {});

} // namespace bulkhead
