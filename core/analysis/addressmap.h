#pragma once

#include "inventory/inventory.h"

#include <optional>
#include <unordered_map>
#include <vector>

namespace bulkhead {

// Address -> entity lookup (docs/semantics.md "Attribution", rule 1): pod addresses (IPv4 and IPv6)
// -> workload; Service cluster IPs -> service; node addresses -> node; declared external networks
// (longest prefix wins) -> that network; an address inside clusterNetworks that matches nothing ->
// unattributed; the rest -> a lone external.
class AddressMap
{
public:
    enum class Kind : uint8_t { Workload, Service, Node, ExternalNetwork, External, Unattributed };
    struct Entry
    {
        Kind kind = Kind::External;
        int index = -1;                  // workload, service, node or external network index
        std::optional<IpAddress> hostIp; // for a pod address: the node the pod runs on
        bool hostNetwork = false;        // a host-network workload on its node's address
        bool loadBalancer = false; // a Service's load balancer or external IP, not its cluster IP
    };

    explicit AddressMap(const Inventory &inventory);

    // The address alone: a node address is the node's, even where host-network pods listen.
    Entry lookup(const IpAddress &address) const;
    // The address and the port of this end of a flow: a node address on a port that a
    // host-network workload there declares is that workload's (docs/node-boundary.md).
    Entry lookup(const IpAddress &address, uint16_t port, Protocol protocol) const;
    // The Service (index) whose NodePort this is on every node, or -1.
    int nodePortService(uint16_t port, Protocol protocol) const;

private:
    struct HostPort
    {
        uint16_t port = 0;
        Protocol protocol = Protocol::TCP;
        int workload = -1;
    };
    std::unordered_map<IpAddress, Entry, IpAddressHash> m_exact;
    // Node address -> the declared ports of the host-network workloads with a pod there.
    std::unordered_map<IpAddress, std::vector<HostPort>, IpAddressHash> m_hostPorts;
    std::vector<HostPort> m_nodePorts;             // workload = the Service index
    std::vector<std::pair<Cidr, int>> m_externals; // longest prefix first
    std::vector<Cidr> m_clusterNetworks;
};

} // namespace bulkhead
