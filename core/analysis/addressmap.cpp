#include "analysis/addressmap.h"

#include <algorithm>

namespace bulkhead {

AddressMap::AddressMap(const Inventory &inventory)
    : m_clusterNetworks(inventory.clusterNetworks)
{
    // Nodes first, so that a hostNetwork pod (which shares its node's address) is seen as the
    // workload: pods are inserted last and win.
    for (size_t n = 0; n < inventory.nodes.size(); ++n) {
        for (const IpAddress &a : inventory.nodes[n].addresses)
            m_exact[a] = Entry{Kind::Node, static_cast<int>(n), std::nullopt};
    }
    for (size_t s = 0; s < inventory.services.size(); ++s) {
        for (const IpAddress &a : inventory.services[s].clusterIps)
            m_exact[a] = Entry{Kind::Service, static_cast<int>(s), std::nullopt};
    }
    for (size_t w = 0; w < inventory.workloads.size(); ++w) {
        for (const PodMember &pod : inventory.workloads[w].pods) {
            for (const IpAddress &a : pod.addresses)
                m_exact[a] = Entry{Kind::Workload, static_cast<int>(w), pod.hostIp};
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
