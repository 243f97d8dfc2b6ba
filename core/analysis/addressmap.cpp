#include "analysis/addressmap.h"

#include <algorithm>

namespace bulkhead {

AddressMap::AddressMap(const Inventory &inventory)
    : m_clusterNetworks(inventory.clusterNetworks)
{
    // Nodes first; a host-network pod's address is its node's and stays the node's, except on
    // the ports its workload declares (m_hostPorts).
    for (size_t n = 0; n < inventory.nodes.size(); ++n) {
        for (const IpAddress &a : inventory.nodes[n].addresses)
            m_exact[a] = Entry{Kind::Node, static_cast<int>(n), std::nullopt};
    }
    for (size_t s = 0; s < inventory.services.size(); ++s) {
        for (const IpAddress &a : inventory.services[s].clusterIps)
            m_exact[a] = Entry{Kind::Service, static_cast<int>(s), std::nullopt};
        for (const IpAddress &a : inventory.services[s].externalIps)
            m_exact.try_emplace(
                a, Entry{Kind::Service, static_cast<int>(s), std::nullopt, false, true});
        for (const ServicePort &p : inventory.services[s].ports) {
            if (p.nodePort != 0)
                m_nodePorts.push_back(HostPort{p.nodePort, p.protocol, static_cast<int>(s)});
        }
    }
    for (size_t w = 0; w < inventory.workloads.size(); ++w) {
        const Workload &workload = inventory.workloads[w];
        for (const PodMember &pod : workload.pods) {
            for (const IpAddress &a : pod.addresses) {
                if (!pod.hostNetwork) {
                    m_exact[a] = Entry{Kind::Workload, static_cast<int>(w), pod.hostIp};
                    continue;
                }
                if (!m_exact.contains(a)) // a node that only pods' hostIP names
                    m_exact[a] = Entry{Kind::Node, -1, std::nullopt};
                auto &ports = m_hostPorts[a];
                for (const ContainerPort &p : workload.ports) {
                    const bool known
                        = std::any_of(ports.begin(), ports.end(), [&](const HostPort &h) {
                              return h.port == p.port && h.protocol == p.protocol;
                          });
                    // Two host-network workloads declaring one port on one node: the first
                    // (by namespace/name) keeps it; the second could not bind it anyway.
                    if (!known)
                        ports.push_back(HostPort{p.port, p.protocol, static_cast<int>(w)});
                }
            }
        }
    }
    for (size_t e = 0; e < inventory.externals.size(); ++e) {
        if (inventory.externals[e].fromDecision)
            continue; // named by a decision, never a place an address is attributed to
        for (const Cidr &c : inventory.externals[e].cidrs)
            m_externals.emplace_back(c, static_cast<int>(e));
    }
    std::stable_sort(m_externals.begin(), m_externals.end(), [](const auto &a, const auto &b) {
        return a.first.prefixLength() > b.first.prefixLength();
    });
}

int AddressMap::nodePortService(uint16_t port, Protocol protocol) const
{
    for (const HostPort &h : m_nodePorts) {
        if (h.port == port && h.protocol == protocol)
            return h.workload;
    }
    return -1;
}

AddressMap::Entry AddressMap::lookup(const IpAddress &address, uint16_t port,
                                     Protocol protocol) const
{
    if (auto it = m_hostPorts.find(address); it != m_hostPorts.end()) {
        for (const HostPort &h : it->second) {
            if (h.port == port && h.protocol == protocol)
                return Entry{Kind::Workload, h.workload, address, true};
        }
    }
    return lookup(address);
}

AddressMap::Entry AddressMap::lookup(const IpAddress &address) const
{
    if (auto it = m_exact.find(address); it != m_exact.end())
        return it->second;
    for (const auto &[cidr, index] : m_externals) {
        if (cidr.contains(address))
            return Entry{Kind::ExternalNetwork, index, std::nullopt};
    }
    for (const Cidr &c : m_clusterNetworks) {
        if (c.contains(address))
            return Entry{Kind::Unattributed, -1, std::nullopt};
    }
    return Entry{Kind::External, -1, std::nullopt};
}

} // namespace bulkhead
