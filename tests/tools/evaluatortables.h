#pragma once

// What the table tests of the policy evaluators share (tst_ciliumevaluator, tst_tieredevaluator):
// a small inventory written workload by workload, and the peers a table row names.

#include "analysis/peer.h"
#include "inventory/inventory.h"

#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace bulkhead::testing {

// A Deployment with one pod per (pod address, host address); hostNetwork puts every pod on its
// node's network.
inline Workload makeWorkload(const std::string &ns, const std::string &name, Labels labels,
                             std::vector<std::pair<const char *, const char *>> pods,
                             std::vector<ContainerPort> ports, bool hostNetwork = false)
{
    Workload w;
    w.ns = ns;
    w.name = name;
    w.kind = "Deployment";
    w.labels = std::move(labels);
    for (const auto &[address, hostIp] : pods) {
        PodMember pod;
        pod.name = name + '-' + std::to_string(w.pods.size());
        pod.addresses.push_back(*IpAddress::parse(address));
        pod.hostIp = IpAddress::parse(hostIp);
        pod.hostNetwork = hostNetwork;
        w.pods.push_back(std::move(pod));
    }
    w.ports = std::move(ports);
    return w;
}

// The peer a table row names: a workload's id ("shop/cart"), "?ADDRESS" (an unattributed
// address), a node's address, or any other address (external).
inline Peer peerOf(const Inventory &inv, const QString &text)
{
    if (text.startsWith('?'))
        return Peer{PeerKind::Unattributed, -1, *IpAddress::parse(text.mid(1).toStdString())};
    const std::string s = text.toStdString();
    if (const int w = inv.findWorkload(s); w >= 0)
        return Peer::workload(w);
    const IpAddress address = *IpAddress::parse(s);
    for (size_t n = 0; n < inv.nodes.size(); ++n) {
        if (inv.nodes[n].addresses.front() == address)
            return Peer{PeerKind::Node, static_cast<int>(n), address};
    }
    return Peer{PeerKind::External, -1, address};
}

} // namespace bulkhead::testing
