#include "analysis/peer.h"

#include "inventory/inventory.h"

namespace bulkhead {

std::string peerName(const Inventory &inventory, const Peer &peer)
{
    switch (peer.kind) {
    case PeerKind::Workload:
        if (peer.index >= 0 && static_cast<size_t>(peer.index) < inventory.workloads.size())
            return inventory.workloads[peer.index].id();
        break;
    case PeerKind::ExternalNetwork:
        if (peer.index >= 0 && static_cast<size_t>(peer.index) < inventory.externals.size())
            return inventory.externals[peer.index].name;
        break;
    case PeerKind::Node:
    case PeerKind::External:
    case PeerKind::Unattributed: return peer.address.toString();
    }
    return "?";
}

} // namespace bulkhead
