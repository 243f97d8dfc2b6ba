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
    bool declaresPort(uint16_t port, Protocol protocol) const;
};

struct ServicePort
{
    std::string name;
    uint16_t port = 0;
    Protocol protocol = Protocol::TCP;
    std::variant<uint16_t, std::string> targetPort; // number, or a container port name
};

struct Service
{
    std::string ns;
    std::string name;
    std::vector<IpAddress> clusterIps; // empty for headless services
    std::vector<ServicePort> ports;
    std::string type = "ClusterIP";     // spec.type: LoadBalancer and NodePort face outside the cluster
    Labels selector;                    // empty = selects nothing (manual endpoints)
    std::vector<size_t> backends;       // indices into Inventory::workloads, filled by resolve()
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
    std::vector<Workload> workloads;          // sorted by (ns, name) after resolve()
    std::vector<Service> services;            // sorted by (ns, name) after resolve()
    std::vector<Node> nodes;
    std::vector<ExternalNetwork> externals;
    std::vector<Cidr> clusterNetworks;
    std::map<std::string, Labels> namespaces; // namespace name -> labels (kubernetes.io/metadata.name implied)
    std::map<std::string, int> skippedKinds;  // kind -> count of objects skipped
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
