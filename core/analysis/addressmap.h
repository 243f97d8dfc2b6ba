#pragma once

#include "inventory/inventory.h"

#include <optional>
#include <unordered_map>
#include <vector>

namespace bulkhead {

// Address -> entity lookup (PRODUCT §2 "Attribution", rule 1): pod addresses (IPv4 and IPv6) ->
// workload; Service cluster IPs -> service; node addresses -> node; declared external networks
// (longest prefix wins) -> that network; an address inside clusterNetworks that matches nothing ->
// unattributed; the rest -> a lone external.
class AddressMap
{
public:
    enum class Kind : uint8_t { Workload, Service, Node, ExternalNetwork, External, Unattributed };
    struct Entry
    {
        Kind kind = Kind::External;
        int index = -1;                // workload, service, node or external network index
        std::optional<IpAddress> hostIp; // for a pod address: the node the pod runs on
    };

    explicit AddressMap(const Inventory &inventory);

    Entry lookup(const IpAddress &address) const;

private:
    std::unordered_map<IpAddress, Entry, IpAddressHash> m_exact;
    std::vector<std::pair<Cidr, int>> m_externals; // longest prefix first
    std::vector<Cidr> m_clusterNetworks;
};

} // namespace bulkhead
