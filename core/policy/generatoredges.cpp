// Generator, first half: intent edges into target-level edges (keys, networks, DNS, namespace
// peers, grouping). See core/policy/generatorstate.h.

#include "policy/generatorstate.h"

#include "policy/selector.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace bulkhead::generation {

std::string workloadName(const Inventory &inv, int index)
{
    return inv.workloads[static_cast<size_t>(index)].id();
}

std::string displayName(const Inventory &inv, const Peer &peer)
{
    switch (peer.kind) {
    case PeerKind::Workload:
        if (peer.index >= 0 && static_cast<size_t>(peer.index) < inv.workloads.size())
            return workloadName(inv, peer.index);
        return "workload #" + std::to_string(peer.index);
    case PeerKind::ExternalNetwork:
        if (peer.index >= 0 && static_cast<size_t>(peer.index) < inv.externals.size())
            return inv.externals[static_cast<size_t>(peer.index)].name;
        return "network #" + std::to_string(peer.index);
    case PeerKind::Node:
    case PeerKind::External:
    case PeerKind::Unattributed: return peer.address.toString();
    }
    return "?";
}

namespace {

// The name of container port (port, protocol) on a workload, if it has a usable one.
std::string containerPortName(const Workload &w, uint16_t port, Protocol protocol)
{
    for (const ContainerPort &p : w.ports) {
        if (p.port == port && p.protocol == protocol && isPortName(p.name))
            return p.name;
    }
    return {};
}

bool insideClusterNetwork(const Inventory &inv, const IpAddress &address)
{
    return std::any_of(inv.clusterNetworks.begin(), inv.clusterNetworks.end(),
                       [&](const Cidr &c) { return c.contains(address); });
}

} // namespace

// The display name of a peer, as a view of a string that lives as long as the Generator.
std::string_view Generator::nameOf(const Peer &peer)
{
    if (peer.kind == PeerKind::Workload && peer.index >= 0
        && static_cast<size_t>(peer.index) < m_workloadNames.size())
        return m_workloadNames[static_cast<size_t>(peer.index)];
    return *m_otherNames.insert(displayName(m_inv, peer)).first;
}

void Generator::planNetworks()
{
    // A declared network's ipBlock must never cover pods, nodes or the other things the inventory
    // knows: every such range strictly inside the CIDR goes into `except`.
    m_networkBlocks.assign(m_inv.externals.size(), {});
    for (size_t n = 0; n < m_inv.externals.size(); ++n) {
        const ExternalNetwork &net = m_inv.externals[n];
        std::vector<Cidr> cidrs = net.cidrs;
        std::sort(cidrs.begin(), cidrs.end());
        cidrs.erase(std::unique(cidrs.begin(), cidrs.end()), cidrs.end());
        for (const Cidr &cidr : cidrs) {
            const auto inCluster
                = std::find_if(m_inv.clusterNetworks.begin(), m_inv.clusterNetworks.end(),
                               [&](const Cidr &c) { return c.contains(cidr); });
            if (inCluster != m_inv.clusterNetworks.end()) {
                m_warnings.push_back("declared network " + net.name + " range " + cidr.toString()
                                     + " lies inside the cluster network " + inCluster->toString()
                                     + ": no ipBlock is written for it; its traffic is denied");
                continue;
            }
            std::vector<Cidr> except;
            const auto addIfInside = [&](const Cidr &inner) {
                if (cidr.contains(inner) && inner != cidr)
                    except.push_back(inner);
            };
            for (const Cidr &c : m_inv.clusterNetworks)
                addIfInside(c);
            for (size_t o = 0; o < m_inv.externals.size(); ++o) {
                // Networks named by decisions (world, CIDRs) overlap freely: none excepts another.
                if (o == n || m_inv.externals[o].fromDecision)
                    continue;
                for (const Cidr &c : m_inv.externals[o].cidrs)
                    addIfInside(c);
            }
            for (const Node &node : m_inv.nodes) {
                for (const IpAddress &a : node.addresses)
                    addIfInside(Cidr::host(a));
            }
            for (const Workload &w : m_inv.workloads) {
                for (const IpAddress &a : w.addresses())
                    addIfInside(Cidr::host(a));
            }
            std::sort(except.begin(), except.end());
            except.erase(std::unique(except.begin(), except.end()), except.end());
            // Drop ranges already covered by a wider excepted range.
            std::vector<Cidr> minimal;
            for (const Cidr &c : except) {
                const bool covered = std::any_of(except.begin(), except.end(), [&](const Cidr &o) {
                    return o != c && o.contains(c);
                });
                if (!covered)
                    minimal.push_back(c);
            }
            m_networkBlocks[n].push_back(IpBlock{cidr, std::move(minimal)});
        }
    }
}

std::vector<Edge> Generator::dnsEdges()
{
    std::vector<Edge> out;
    std::set<int> dnsWorkloads;
    const Service *dnsService = nullptr;
    for (const Service &s : m_inv.services) {
        if (s.ns == "kube-system" && s.name == "kube-dns")
            dnsService = &s;
    }
    for (size_t i = 0; i < m_inv.workloads.size(); ++i) {
        const Workload &w = m_inv.workloads[i];
        auto it = w.labels.find("k8s-app");
        if (w.ns == "kube-system" && isPodWorkload(w) && it != w.labels.end()
            && it->second == "kube-dns")
            dnsWorkloads.insert(static_cast<int>(i));
    }
    if (dnsService) {
        for (size_t b : dnsService->backends) {
            if (b < m_inv.workloads.size() && isPodWorkload(m_inv.workloads[b]))
                dnsWorkloads.insert(static_cast<int>(b));
        }
    }
    if (dnsWorkloads.empty()) {
        m_warnings.push_back(
            "--dns all: no cluster DNS workload found (no kube-system workload labelled "
            "k8s-app=kube-dns and no Service kube-system/kube-dns with backends); no DNS egress "
            "added");
        return out;
    }
    for (int d : dnsWorkloads) {
        const Workload &dns = m_inv.workloads[static_cast<size_t>(d)];
        for (Protocol protocol : {Protocol::UDP, Protocol::TCP}) {
            uint16_t port = 53;
            bool resolved = false;
            if (dnsService) {
                for (const ServicePort &sp : dnsService->ports) {
                    if (sp.port != 53 || sp.protocol != protocol)
                        continue;
                    if (const auto *number = std::get_if<uint16_t>(&sp.targetPort)) {
                        port = *number == 0 ? uint16_t(53) : *number;
                        resolved = true;
                    } else if (const ContainerPort *cp
                               = dns.portNamed(std::get<std::string>(sp.targetPort))) {
                        port = cp->port;
                        resolved = true;
                    }
                }
            }
            if (!resolved && !dns.declaresPort(53, protocol)) {
                const ContainerPort *cp
                    = dns.portNamed(protocol == Protocol::UDP ? "dns" : "dns-tcp");
                if (cp && cp->protocol == protocol)
                    port = cp->port;
            }
            for (size_t i = 0; i < m_inv.workloads.size(); ++i) {
                const Workload &w = m_inv.workloads[i];
                if (!isPodWorkload(w) || dnsWorkloads.contains(static_cast<int>(i)))
                    continue;
                if (!m_options.includeSystemNamespaces && isSystemNamespace(w.ns))
                    continue;
                Edge e;
                e.from = Peer::workload(static_cast<int>(i));
                e.to = Peer::workload(d);
                e.protocol = protocol;
                e.port = port;
                out.push_back(std::move(e));
            }
        }
    }
    return out;
}

std::optional<PeerKey> Generator::keyFor(const Peer &peer, const Edge &edge, bool isSource)
{
    const auto edgeText = [&] {
        return displayName(m_inv, edge.from) + " to " + displayName(m_inv, edge.to) + ' '
               + std::string(protocolName(edge.protocol)) + ' ' + std::to_string(edge.port);
    };
    const std::string side = isSource ? "edge from " : "edge to ";
    switch (peer.kind) {
    case PeerKind::Workload: {
        if (peer.index < 0 || static_cast<size_t>(peer.index) >= m_inv.workloads.size()) {
            m_warnings.push_back(side + "workload #" + std::to_string(peer.index)
                                 + " dropped: it is not in the inventory; denied");
            return std::nullopt;
        }
        const int target = m_partition.targetOf[static_cast<size_t>(peer.index)];
        if (target >= 0)
            return PeerKey{KeyKind::Target, target, {}};
        const Workload &host = m_inv.workloads[static_cast<size_t>(peer.index)];
        const std::vector<IpAddress> addresses = host.addresses();
        if (addresses.empty()) {
            m_warnings.push_back("edge " + edgeText() + " dropped: host " + host.id()
                                 + " has no address to write as an ipBlock; denied");
            return std::nullopt;
        }
        for (const IpAddress &a : addresses) {
            if (insideClusterNetwork(m_inv, a)) {
                m_warnings.push_back("edge " + edgeText() + " dropped: host " + host.id()
                                     + " address " + a.toString()
                                     + " is inside the cluster network; denied");
                return std::nullopt;
            }
        }
        return PeerKey{KeyKind::Host, peer.index, {}};
    }
    case PeerKind::Node:
        if (insideClusterNetwork(m_inv, peer.address)) {
            m_warnings.push_back(side + peer.address.toString()
                                 + " (node address inside the cluster network) dropped: no "
                                   "selector can express it; denied");
            return std::nullopt;
        }
        m_warnings.push_back("edge " + edgeText() + " involves another node, "
                             + peer.address.toString() + ": allowed as ipBlock "
                             + Cidr::host(peer.address).toString()
                             + " (any process on that node, not one workload)");
        return PeerKey{KeyKind::Node, -1, peer.address};
    case PeerKind::External:
        if (insideClusterNetwork(m_inv, peer.address)) {
            m_warnings.push_back(side + peer.address.toString()
                                 + " (unattributed, inside the cluster network) dropped: no "
                                   "selector can express it; denied");
            return std::nullopt;
        }
        return PeerKey{KeyKind::External, -1, peer.address};
    case PeerKind::ExternalNetwork:
        if (peer.index < 0 || static_cast<size_t>(peer.index) >= m_networkBlocks.size()
            || m_networkBlocks[static_cast<size_t>(peer.index)].empty()) {
            m_warnings.push_back(
                "edge " + edgeText()
                + " dropped: the network has no range outside the cluster network; denied");
            return std::nullopt;
        }
        return PeerKey{KeyKind::Network, peer.index, {}};
    case PeerKind::Unattributed:
        m_warnings.push_back(side + peer.address.toString()
                             + " (unattributed, inside the cluster network) dropped: no selector "
                               "can express it; denied");
        return std::nullopt;
    }
    return std::nullopt;
}

PortKey Generator::portKeyFor(const Edge &edge) const
{
    PortKey key{edge.protocol, edge.port, {}};
    if (!m_options.namedPorts || !edge.to.isWorkload())
        return key;
    const int target = m_partition.targetOf[static_cast<size_t>(edge.to.index)];
    if (target < 0)
        return key;
    // The name is resolved on every pod the rule's destination selects: use it only when every
    // workload of the destination target gives that name to this very port.
    const std::string name = containerPortName(m_inv.workloads[static_cast<size_t>(edge.to.index)],
                                               edge.port, edge.protocol);
    if (name.empty())
        return key;
    // The name must also mean this one port on every pod (a rollout may resolve it to two).
    for (int member : m_partition.targets[static_cast<size_t>(target)].members) {
        const auto named = m_inv.workloads[static_cast<size_t>(member)].portsNamed(name);
        if (named.size() != 1 || named.front()->port != edge.port
            || named.front()->protocol != edge.protocol)
            return key;
    }
    key.name = name;
    return key;
}

void Generator::addEdge(const Edge &edge, bool addedForDns)
{
    if (!isPolicyProtocol(edge.protocol)) {
        m_warnings.push_back("edge " + displayName(m_inv, edge.from) + " to "
                             + displayName(m_inv, edge.to) + ' '
                             + std::string(protocolName(edge.protocol))
                             + " dropped: a NetworkPolicy cannot express this protocol; denied");
        return;
    }
    if (edge.port == 0) {
        m_warnings.push_back("edge " + displayName(m_inv, edge.from) + " to "
                             + displayName(m_inv, edge.to) + ' '
                             + std::string(protocolName(edge.protocol))
                             + " port 0 dropped: not a valid port; denied");
        return;
    }
    const std::optional<PeerKey> from = keyFor(edge.from, edge, true);
    if (!from)
        return;
    const std::optional<PeerKey> to = keyFor(edge.to, edge, false);
    if (!to)
        return;
    EdgeRow row{TargetEdgeKey{*from, *to, portKeyFor(edge)},
                EdgeNames{nameOf(edge.from), nameOf(edge.to)}, &edge.evidence, addedForDns};
    if (!m_options.namespaceEdges.empty() && edge.from.isWorkload() && edge.to.isWorkload()) {
        // A namespaceSelector selects the namespace's pods: it stands for a pod workload (a
        // Target), never for a host written as an ipBlock.
        const auto covered = [&](const Peer &nsEnd, const Peer &other, bool nsIsSource) {
            NamespaceEdge n;
            n.ns = m_inv.workloads[static_cast<size_t>(nsEnd.index)].ns;
            n.namespaceIsSource = nsIsSource;
            n.workload = other.index;
            n.protocol = edge.protocol;
            n.port = edge.port;
            return std::binary_search(m_options.namespaceEdges.begin(),
                                      m_options.namespaceEdges.end(), n);
        };
        row.coveredIngress = from->kind == KeyKind::Target && covered(edge.from, edge.to, true);
        row.coveredEgress = to->kind == KeyKind::Target && covered(edge.to, edge.from, false);
    }
    m_rows.push_back(std::move(row));
}

// One row per namespace edge: the namespace's peer on the workload's side.
void Generator::addNamespaceEdges()
{
    for (const NamespaceEdge &n : m_options.namespaceEdges) {
        m_namespaces.push_back(n.ns);
    }
    std::sort(m_namespaces.begin(), m_namespaces.end());
    m_namespaces.erase(std::unique(m_namespaces.begin(), m_namespaces.end()), m_namespaces.end());
    for (const std::string &ns : m_namespaces)
        m_namespacePeerNames.push_back(std::string("ns:") + ns);
    for (const NamespaceEdge &n : m_options.namespaceEdges) {
        if (n.workload < 0 || static_cast<size_t>(n.workload) >= m_inv.workloads.size()
            || !isPolicyProtocol(n.protocol) || n.port == 0)
            continue;
        const int target = m_partition.targetOf[static_cast<size_t>(n.workload)];
        if (target < 0)
            continue; // a host: no policy of its own, nothing to write
        const size_t index
            = static_cast<size_t>(std::lower_bound(m_namespaces.begin(), m_namespaces.end(), n.ns)
                                  - m_namespaces.begin());
        const PeerKey nsKey{KeyKind::Namespace, static_cast<int>(index), {}};
        const PeerKey workloadKey{KeyKind::Target, target, {}};
        Edge probe;
        probe.to = Peer::workload(n.workload);
        probe.protocol = n.protocol;
        probe.port = n.port;
        const PortKey port
            = n.namespaceIsSource ? portKeyFor(probe) : PortKey{n.protocol, n.port, {}};
        const std::string_view nsName = m_namespacePeerNames[index];
        const std::string_view workloadName = m_workloadNames[static_cast<size_t>(n.workload)];
        if (n.namespaceIsSource)
            m_rows.push_back({TargetEdgeKey{nsKey, workloadKey, port},
                              EdgeNames{nsName, workloadName}, &m_noEvidence, false});
        else
            m_rows.push_back({TargetEdgeKey{workloadKey, nsKey, port},
                              EdgeNames{workloadName, nsName}, &m_noEvidence, false});
    }
}

// Rows with the same key and names are one Detail, their evidence merged in the order they were
// added (a stable sort keeps it); evidence is only read for --explain.
void Generator::groupEdges()
{
    // Sorted through indices: a row is large, an index is not.
    std::vector<uint32_t> order(m_rows.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<uint32_t>(i);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
        const EdgeRow &a = m_rows[x];
        const EdgeRow &b = m_rows[y];
        if (const auto c = a.key <=> b.key; c != 0)
            return c < 0;
        return a.names < b.names;
    });
    m_details.reserve(m_rows.size());
    for (size_t i = 0; i < order.size();) {
        const TargetEdgeKey &key = m_rows[order[i]].key;
        const size_t begin = m_details.size();
        bool coveredIngress = true;
        bool coveredEgress = true;
        while (i < order.size() && m_rows[order[i]].key == key) {
            const EdgeNames names = m_rows[order[i]].names;
            Detail d;
            for (;
                 i < order.size() && m_rows[order[i]].key == key && m_rows[order[i]].names == names;
                 ++i) {
                const EdgeRow &row = m_rows[order[i]];
                if (m_options.explain)
                    d.evidence.merge(*row.evidence);
                d.addedForDns = d.addedForDns || row.addedForDns;
                coveredIngress = coveredIngress && row.coveredIngress;
                coveredEgress = coveredEgress && row.coveredEgress;
            }
            m_details.emplace_back(names, std::move(d));
        }
        m_edges.push_back({&key, begin, m_details.size(), coveredIngress, coveredEgress});
    }
}

} // namespace bulkhead::generation
