#include "analysis/servicebackends.h"

#include "inventory/inventory.h"

#include <algorithm>
#include <map>

namespace bulkhead {

ServiceBackends::ServiceBackends(const Inventory &inventory, const AddressMap &addresses)
    : m_inventory(inventory)
    , m_endpoints(inventory.services.size())
    , m_addresses(addresses)
{
    std::map<std::pair<std::string_view, std::string_view>, size_t> index;
    for (size_t s = 0; s < inventory.services.size(); ++s)
        index.emplace(std::make_pair(std::string_view(inventory.services[s].ns),
                                     std::string_view(inventory.services[s].name)),
                      s);
    for (const EndpointSet &set : inventory.endpointSets) {
        const auto it = index.find({set.ns, set.service});
        if (it != index.end())
            m_endpoints[it->second].push_back(&set);
    }
}

std::vector<ServiceBackends::Target> ServiceBackends::targets(int serviceIndex,
                                                              const ServicePort &sp,
                                                              std::set<std::string> &warnings) const
{
    const Service &service = m_inventory.services[static_cast<size_t>(serviceIndex)];
    std::vector<Target> out;
    if (service.selector.empty()) {
        // Endpoints name the backends: their port of the Service port's name (an unnamed
        // Service port has one endpoint port, unnamed too).
        for (const EndpointSet *set : m_endpoints[static_cast<size_t>(serviceIndex)]) {
            for (const ContainerPort &port : set->ports) {
                if (port.name != sp.name || port.protocol != sp.protocol)
                    continue;
                for (const IpAddress &address : set->addresses) {
                    const AddressMap::Entry entry
                        = m_addresses.lookup(address, port.port, port.protocol);
                    switch (entry.kind) {
                    case AddressMap::Kind::Workload:
                        out.push_back({Peer::workload(entry.index), port.port});
                        break;
                    case AddressMap::Kind::Node:
                        out.push_back({Peer{PeerKind::Node, entry.index, address}, port.port});
                        break;
                    case AddressMap::Kind::ExternalNetwork:
                        out.push_back(
                            {Peer{PeerKind::ExternalNetwork, entry.index, {}}, port.port});
                        break;
                    case AddressMap::Kind::External:
                        out.push_back({Peer{PeerKind::External, -1, address}, port.port});
                        break;
                    case AddressMap::Kind::Unattributed:
                        out.push_back({Peer{PeerKind::Unattributed, -1, address}, port.port});
                        break;
                    case AddressMap::Kind::Service:
                        warnings.insert("Service " + service.id()
                                        + " has an endpoint at Service address "
                                        + address.toString() + ": left out");
                        break;
                    }
                }
            }
        }
        if (out.empty())
            warnings.insert(
                "Service " + service.id()
                + " has no selector and no Endpoints / EndpointSlices in the inventory for port "
                + std::to_string(sp.port) + ": its traffic is left out");
    } else if (service.backends.empty()) {
        warnings.insert("Service " + service.id()
                        + " selects no workload in the inventory: its traffic is left out");
    }
    for (size_t b : service.backends) {
        const Workload &backend = m_inventory.workloads[b];
        if (const auto *number = std::get_if<uint16_t>(&sp.targetPort)) {
            out.push_back({Peer::workload(static_cast<int>(b)), *number});
            continue;
        }
        // A port name resolves on each pod: during a rollout old and new pods may give it
        // different numbers, and the Service reaches both.
        const std::string &name = std::get<std::string>(sp.targetPort);
        size_t resolved = 0;
        for (const ContainerPort *cp : backend.portsNamed(name)) {
            if (cp->protocol != sp.protocol)
                continue;
            out.push_back({Peer::workload(static_cast<int>(b)), cp->port});
            ++resolved;
        }
        if (resolved == 0)
            warnings.insert("Service " + service.id() + " targets port \"" + name + "\" which "
                            + backend.id() + " does not declare: no edge to it");
        else if (resolved > 1)
            warnings.insert("Service " + service.id() + " port \"" + name + "\" resolves to "
                            + std::to_string(resolved) + " container ports on the pods of "
                            + backend.id()
                            + " (pods of two versions, as in a rollout): each is allowed");
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace bulkhead
