#pragma once

namespace bulkhead {

struct ExternalNetwork;
struct Inventory;
struct IpBlock;

// Whether an ipBlock admits a network named by a design decision (`world`, or a CIDR; see
// design/decisionnetworks.h): its cidr contains one of the network's ranges, and every `except`
// that overlaps that range only takes out what is inside the cluster or declared apart — a range
// inside a cluster network, a node or pod address, or a declared (inventory) network — as the
// generator writes them, or a private range (10.0.0.0/8, 192.168.0.0/16, fc00::/7, ...) that no
// internet address comes from. "The internet" stays the internet without the cluster's own
// addresses; an except that removes part of the outside world makes the block admit less than the
// network.
bool ipBlockCoversDecisionNetwork(const Inventory &inventory, const IpBlock &block,
                                  const ExternalNetwork &network);

} // namespace bulkhead
