#pragma once

#include "analysis/addressmap.h"
#include "analysis/peer.h"

#include <set>
#include <string>
#include <vector>

namespace bulkhead {

// Where traffic to one port of a Service goes (docs/semantics.md "Attribution", rule 2, and
// docs/node-boundary.md): to every workload its selector picks, on the container port its
// targetPort names, as each backend resolves that name (a rollout may give it two numbers); a
// Service without a selector goes to the addresses of its Endpoints / EndpointSlices, on their
// ports.
class ServiceBackends
{
public:
    struct Target
    {
        Peer peer;
        uint16_t port = 0;
        friend auto operator<=>(const Target &, const Target &) = default;
    };

    ServiceBackends(const Inventory &inventory, const AddressMap &addresses);

    // The targets of traffic to service port `port`, sorted and unique; problems go to warnings.
    std::vector<Target> targets(int service, const ServicePort &port,
                                std::set<std::string> &warnings) const;

private:
    const Inventory &m_inventory;
    std::vector<std::vector<const EndpointSet *>> m_endpoints; // per service index
    const AddressMap &m_addresses;
};

} // namespace bulkhead
