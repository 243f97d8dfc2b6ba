#pragma once

#include "util/ipaddress.h"

#include <compare>
#include <string>

namespace bulkhead {

struct Inventory;

// What one side of a flow or an edge is, after attribution (docs/semantics.md "Attribution", rule
// 1).
enum class PeerKind : uint8_t {
    Workload,        // index = Inventory::workloads index
    Node,            // index = Inventory::nodes index, address = the node address seen
    ExternalNetwork, // index = Inventory::externals index (declared named network)
    External,        // a lone external address (address)
    Unattributed,    // inside clusterNetworks but matches nothing: reported, never an ipBlock
};

struct Peer
{
    PeerKind kind = PeerKind::External;
    int index = -1;
    IpAddress address; // meaningful for Node, External, Unattributed

    static Peer workload(int i) { return Peer{PeerKind::Workload, i, {}}; }
    bool isWorkload() const { return kind == PeerKind::Workload; }

    friend bool operator==(const Peer &a, const Peer &b)
    {
        if (a.kind != b.kind)
            return false;
        switch (a.kind) {
        case PeerKind::Workload:
        case PeerKind::ExternalNetwork: return a.index == b.index;
        default: return a.address == b.address;
        }
    }
    friend std::strong_ordering operator<=>(const Peer &a, const Peer &b)
    {
        if (a.kind != b.kind)
            return a.kind <=> b.kind;
        switch (a.kind) {
        case PeerKind::Workload:
        case PeerKind::ExternalNetwork: return a.index <=> b.index;
        default: return a.address <=> b.address;
        }
    }
};

// How users see a peer: "shop/cart" for a workload, "corp-vpn" for a named network, the address for
// a node, external or unattributed address.
std::string peerName(const Inventory &inventory, const Peer &peer);

} // namespace bulkhead
