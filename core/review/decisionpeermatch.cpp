#include "review/decisionpeermatch.h"

#include "inventory/inventory.h"
#include "policy/networkpolicy.h"

#include <algorithm>
#include <vector>

namespace bulkhead {

namespace {

// Whether `except` takes out only what the cluster or a declared network holds.
bool exceptsOnlyInside(const Inventory &inventory, const Cidr &except)
{
    const auto containedBy = [&](const Cidr &outer) { return outer.contains(except); };
    if (std::any_of(inventory.clusterNetworks.begin(), inventory.clusterNetworks.end(),
                    containedBy))
        return true;
    // Ranges no internet address comes from: private (RFC 1918, RFC 6598 shared, RFC 4193 unique
    // local), loopback and link-local. Policies commonly except them from 0.0.0.0/0.
    static const std::vector<Cidr> privateRanges = [] {
        std::vector<Cidr> ranges;
        for (const char *text :
             {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
              "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"})
            ranges.push_back(*Cidr::parse(text));
        return ranges;
    }();
    if (std::any_of(privateRanges.begin(), privateRanges.end(), containedBy))
        return true;
    for (const ExternalNetwork &declared : inventory.externals) {
        if (!declared.fromDecision
            && std::any_of(declared.cidrs.begin(), declared.cidrs.end(), containedBy))
            return true;
    }
    const auto isKnownHost
        = [&](const IpAddress &address) { return except == Cidr::host(address); };
    for (const Node &node : inventory.nodes) {
        if (std::any_of(node.addresses.begin(), node.addresses.end(), isKnownHost))
            return true;
    }
    for (const Workload &workload : inventory.workloads) {
        for (const PodMember &pod : workload.pods) {
            if (std::any_of(pod.addresses.begin(), pod.addresses.end(), isKnownHost))
                return true;
        }
    }
    return false;
}

} // namespace

bool ipBlockCoversDecisionNetwork(const Inventory &inventory, const IpBlock &block,
                                  const ExternalNetwork &network)
{
    return std::any_of(network.cidrs.begin(), network.cidrs.end(), [&](const Cidr &range) {
        if (!block.cidr.contains(range))
            return false;
        return std::all_of(block.except.begin(), block.except.end(), [&](const Cidr &except) {
            const bool overlapping = except.contains(range) || range.contains(except);
            return !overlapping || exceptsOnlyInside(inventory, except);
        });
    });
}

} // namespace bulkhead
