#pragma once

#include "util/error.h"
#include "util/ipaddress.h"
#include "util/protocol.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bulkhead {

using Labels = std::map<std::string, std::string>; // sorted: deterministic by construction

struct ContainerPort
{
    std::string name; // may be empty
    uint16_t port = 0;
    Protocol protocol = Protocol::TCP;
    friend bool operator==(const ContainerPort &, const ContainerPort &) = default;
};

// One pod of a workload: its name, addresses (dual-stack: up to one per family) and the address
// of the node it runs on (for the "own node" rule).
struct PodMember
{
    std::string name;
    std::vector<IpAddress> addresses;
    std::optional<IpAddress> hostIp;
    // spec.hostNetwork: the pod's address is its node's, shared with the node and with every other
    // host-network pod there (docs/node-boundary.md).
    bool hostNetwork = false;
};

// The pods of one controller, a bare pod, or a non-Kubernetes host (native inventory).
struct Workload
{
    std::string ns;
    std::string name;
    std::string kind; // Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, Host
    Labels labels;    // pod labels (of the first pod seen; pods of one controller share them)
    std::vector<PodMember> pods;
    std::vector<ContainerPort> ports;
    std::string zone; // filled by zone assignment; empty until then
    std::string sourceFile;
    int sourceLine = 0;

    std::string id() const { return ns + '/' + name; }
    std::vector<IpAddress> addresses() const;
    // The declared container port of that name (any protocol), or nullptr.
    const ContainerPort *portNamed(std::string_view portName) const;
    // Every declared container port of that name: pods of one workload may resolve a name to
    // different numbers (old and new pods during a rollout).
    std::vector<const ContainerPort *> portsNamed(std::string_view portName) const;
    // Pods on the host network: a NetworkPolicy neither isolates them nor matches them with a
    // podSelector; peers reach them by their nodes' addresses (ipBlock).
    bool onHostNetwork() const;
    bool declaresPort(uint16_t port, Protocol protocol) const;
};

struct ServicePort
{
    std::string name;
    uint16_t port = 0;
    Protocol protocol = Protocol::TCP;
    std::variant<uint16_t, std::string> targetPort; // number, or a container port name
    uint16_t nodePort = 0; // NodePort / LoadBalancer: the port on every node
};

struct Service
{
    std::string ns;
    std::string name;
    std::vector<IpAddress> clusterIps; // empty for headless services
    std::vector<ServicePort> ports;
    Labels selector;                // empty = selects nothing (manual endpoints)
    std::vector<size_t> backends;   // indices into Inventory::workloads, filled by resolve()
    std::string type = "ClusterIP"; // ClusterIP, NodePort, LoadBalancer, ExternalName
    // externalTrafficPolicy Local: NodePort / LoadBalancer traffic keeps the client's address;
    // Cluster (the default): backends see a node's address (SNAT).
    bool externalTrafficLocal = false;
    std::vector<IpAddress> externalIps; // status.loadBalancer.ingress[].ip and spec.externalIPs
    std::string sourceFile;
    int sourceLine = 0;

    std::string id() const { return ns + '/' + name; }
};

// The endpoints that an Endpoints object or an EndpointSlice gives a Service; they are the
// backends of a Service without a selector (docs/node-boundary.md).
struct EndpointSet
{
    std::string ns;
    std::string service;              // the Service's name
    std::vector<IpAddress> addresses; // ready or not: traffic was observed, the address answered
    std::vector<ContainerPort> ports; // name (matches the Service port's name), port, protocol
    std::string sourceFile;
    int sourceLine = 0;
};

// A networking.k8s.io/v1 Ingress, as far as Bulkhead reads it: the Services it routes to (its
// defaultBackend and every rule path's backend; `resource` backends left out). A hint that their
// backends face the internet, never an allowance (docs/review.md).
struct IngressRoutes
{
    std::string ns;
    std::string name;
    std::vector<std::string> services; // Service names in ns, sorted, without duplicates
    std::string sourceFile;
    int sourceLine = 0;

    std::string id() const { return ns + '/' + name; }
};

struct Node
{
    std::string name;
    std::vector<IpAddress> addresses;
};

struct ExternalNetwork
{
    std::string name;
    std::vector<Cidr> cidrs;
    // Named by a design decision ("world", or a CIDR given as an edge's end), not declared: never
    // used to attribute an address, and matched by an ipBlock that excepts only what is inside
    // the cluster (see docs/review.md).
    bool fromDecision = false;
};

struct InventoryWarning
{
    std::string file;
    int line = 0;
    std::string message;
};

struct Inventory
{
    std::vector<Workload> workloads;       // sorted by (ns, name) after resolve()
    std::vector<Service> services;         // sorted by (ns, name) after resolve()
    std::vector<EndpointSet> endpointSets; // from Endpoints and EndpointSlices, in file order
    std::vector<Node> nodes;
    std::vector<ExternalNetwork> externals;
    std::vector<Cidr> clusterNetworks;
    std::map<std::string, Labels>
        namespaces; // namespace name -> labels (kubernetes.io/metadata.name implied)
    std::vector<IngressRoutes> ingresses;    // sorted by (ns, name) after resolve()
    std::map<std::string, int> skippedKinds; // kind -> count of objects skipped
    std::vector<InventoryWarning> warnings;
    std::vector<std::string> sourceFiles;

    // Index of the workload "ns/name", or -1.
    int findWorkload(std::string_view ns, std::string_view name) const;
    // Index of the workload named by its id "ns/name" (Workload::id()), or -1.
    int findWorkload(std::string_view id) const;
    // Labels of a namespace, with kubernetes.io/metadata.name set as the API server does.
    Labels namespaceLabels(const std::string &ns) const;
};

} // namespace bulkhead
