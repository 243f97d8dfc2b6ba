#include "policy/generator.h"

#include "policy/k8snames.h"
#include "policy/policytarget.h"
#include "policy/selector.h"
#include "util/isotime.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace bulkhead {

namespace {

const char *const kManagedByKey = "app.kubernetes.io/managed-by";
const char *const kNamespaceNameKey = "kubernetes.io/metadata.name";
constexpr size_t kMaxNameLength = 63;

// What a rule peer stands for, before it is written as PolicyPeers.
enum class KeyKind : uint8_t { Target, Host, Network, Node, External, Namespace };

struct PeerKey
{
    KeyKind kind = KeyKind::External;
    int id = -1;       // target id (Target), workload index (Host), network index (Network),
                       // index into Generator::m_namespaces (Namespace)
    IpAddress address; // Node, External
    friend auto operator<=>(const PeerKey &, const PeerKey &) = default;
    friend bool operator==(const PeerKey &, const PeerKey &) = default;
};

struct PortKey
{
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;
    std::string name; // written instead of the number when not empty (--named-ports)
    friend auto operator<=>(const PortKey &, const PortKey &) = default;
    friend bool operator==(const PortKey &, const PortKey &) = default;
};

// One intent edge as seen by the rule that allows it (for --explain).
struct Detail
{
    Evidence evidence;
    bool addedForDns = false;
};

// An edge's (source, destination) display names, views of strings the Generator keeps
// (Generator::nameOf): ordered as the strings themselves, without a copy per edge.
using EdgeNames = std::pair<std::string_view, std::string_view>;

struct TargetEdgeKey
{
    PeerKey from;
    PeerKey to;
    PortKey port;
    friend auto operator<=>(const TargetEdgeKey &, const TargetEdgeKey &) = default;
    friend bool operator==(const TargetEdgeKey &, const TargetEdgeKey &) = default;
};

// One accepted intent edge, as addEdge records it.
struct EdgeRow
{
    TargetEdgeKey key;
    EdgeNames names;
    const Evidence *evidence; // the Edge's, which outlives the Generator's run
    bool addedForDns;
    // A workload edge a namespace edge stands for: the namespace's peer replaces it on this side.
    bool coveredIngress = false;
    bool coveredEgress = false;
};

// The target-level edges: one per distinct key, with the intent edges it stands for, each
// distinct (names) once, in name order: details[begin, end) of Generator::m_details.
struct TargetEdge
{
    const TargetEdgeKey *key;
    size_t begin;
    size_t end;
    bool coveredIngress; // every row of the key is (EdgeRow::coveredIngress)
    bool coveredEgress;
};

// What a target's ingress (or egress) allows, one row per (peer, port), sorted by peer then port:
// rows of one peer are adjacent.
struct Entry
{
    PeerKey peer;
    const PortKey *port;
    const TargetEdge *edge;
};
using Entries = std::vector<Entry>;

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

class Generator
{
public:
    Generator(const Inventory &inventory, const GenerateOptions &options,
              const std::vector<std::string> &captureFiles)
        : m_inv(inventory)
        , m_options(options)
        , m_captureFiles(captureFiles)
    {
    }

    GenerateResult run(const std::vector<Edge> &intent);

private:
    void planNetworks();
    std::vector<Edge> dnsEdges();
    std::optional<PeerKey> keyFor(const Peer &peer, const Edge &edge, bool isSource);
    void addEdge(const Edge &edge, bool addedForDns);
    void addNamespaceEdges();
    void groupEdges();
    PortKey portKeyFor(const Edge &edge) const;
    bool policed(const PolicyTarget &target) const
    {
        return m_options.includeSystemNamespaces || !isSystemNamespace(target.ns);
    }
    std::string_view nameOf(const Peer &peer);
    void expand(const PeerKey &key, const std::string &policyNs,
                std::vector<PolicyPeer> &out) const;
    std::vector<PolicyRule> buildRules(const Entries &entries, const std::string &policyNs) const;
    std::string explainLine(const EdgeNames &names, const Detail &detail,
                            const PortKey &port) const;
    void assignNames(std::vector<NetworkPolicy> &policies,
                     const std::vector<std::string> &originals);
    void reportWidth(size_t policyCount);

    const Inventory &m_inv;
    const GenerateOptions &m_options;
    const std::vector<std::string> &m_captureFiles;
    TargetPartition m_partition;
    std::vector<std::vector<IpBlock>> m_networkBlocks; // per declared network: its ipBlocks
    std::vector<EdgeRow> m_rows;                       // every accepted edge, in the order added
    std::vector<TargetEdge> m_edges;                   // sorted by key
    std::vector<std::pair<EdgeNames, Detail>> m_details;
    std::vector<std::string> m_workloadNames;      // displayName of each workload, made once
    std::set<std::string> m_otherNames;            // displayName of the other peers met
    std::vector<std::string> m_namespaces;         // of options.namespaceEdges, sorted, unique
    std::vector<std::string> m_namespacePeerNames; // "ns:NAME" of each
    const Evidence m_noEvidence;
    std::vector<std::string> m_warnings;
};

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

// Appends the rule peers that stand for `key` to out.
void Generator::expand(const PeerKey &key, const std::string &policyNs,
                       std::vector<PolicyPeer> &out) const
{
    switch (key.kind) {
    case KeyKind::Target: {
        const PolicyTarget &t = m_partition.targets[static_cast<size_t>(key.id)];
        PolicyPeer p;
        p.podSelector = t.selector;
        if (t.ns != policyNs)
            p.namespaceSelector.emplace().matchLabels.emplace(kNamespaceNameKey, t.ns);
        out.push_back(std::move(p));
        break;
    }
    case KeyKind::Host: {
        std::vector<IpAddress> addresses = m_inv.workloads[static_cast<size_t>(key.id)].addresses();
        std::sort(addresses.begin(), addresses.end());
        addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
        for (const IpAddress &a : addresses)
            out.push_back(PolicyPeer{{}, {}, IpBlock{Cidr::host(a), {}}});
        break;
    }
    case KeyKind::Network:
        for (const IpBlock &b : m_networkBlocks[static_cast<size_t>(key.id)])
            out.push_back(PolicyPeer{{}, {}, b});
        break;
    case KeyKind::Node:
    case KeyKind::External:
        out.push_back(PolicyPeer{{}, {}, IpBlock{Cidr::host(key.address), {}}});
        break;
    case KeyKind::Namespace: {
        PolicyPeer p; // every pod of the namespace: a namespaceSelector and no podSelector
        p.namespaceSelector.emplace().matchLabels.emplace(
            kNamespaceNameKey, m_namespaces[static_cast<size_t>(key.id)]);
        out.push_back(std::move(p));
        break;
    }
    }
}

std::string Generator::explainLine(const EdgeNames &names, const Detail &d,
                                   const PortKey &port) const
{
    std::string line = std::string(names.first) + " -> " + std::string(names.second) + ' '
                       + std::string(protocolName(port.protocol)) + ' ' + std::to_string(port.port);
    if (!port.name.empty())
        line += " (" + port.name + ')';
    line += ": ";
    if (!d.evidence.empty()) {
        line += std::to_string(d.evidence.flows) + (d.evidence.flows == 1 ? " flow, " : " flows, ")
                + std::to_string(d.evidence.packets) + " packets, first seen "
                + isoTime(d.evidence.firstSeenUs, TimePrecision::Seconds) + ", last seen "
                + isoTime(d.evidence.lastSeenUs, TimePrecision::Seconds);
        std::string files;
        for (uint32_t f : d.evidence.files) {
            if (!files.empty())
                files += ", ";
            files
                += f < m_captureFiles.size() ? m_captureFiles[f] : "capture #" + std::to_string(f);
        }
        if (!files.empty())
            line += ", in " + files;
        if (d.addedForDns)
            line += "; also required by --dns all";
    } else if (d.addedForDns) {
        line += "added by --dns all (cluster DNS for every policed workload), not observed";
    } else {
        line += "added by the user, not observed";
    }
    // Which names an external address stands for, and the other addresses answered for them.
    if (!m_options.externalNames.empty()) {
        for (const std::string_view end : {names.first, names.second}) {
            const auto address = IpAddress::parse(end);
            if (!address)
                continue;
            const auto it = m_options.externalNames.find(*address);
            if (it == m_options.externalNames.end())
                continue;
            line += "; " + std::string(end) + " is";
            for (size_t i = 0; i < it->second.size(); ++i) {
                const std::string &name = it->second[i];
                line += (i ? ", " : " ") + name;
                std::string others;
                for (const auto &[other, otherNames] : m_options.externalNames) {
                    if (other != *address
                        && std::find(otherNames.begin(), otherNames.end(), name)
                               != otherNames.end())
                        others += (others.empty() ? "" : ", ") + other.toString();
                }
                if (!others.empty())
                    line += " (also " + others + ")";
            }
        }
    }
    return line;
}

std::vector<PolicyRule> Generator::buildRules(const Entries &entries,
                                              const std::string &policyNs) const
{
    // A rule allows every peer on every port it lists: peers share a rule only when they need
    // exactly the same ports. Each peer's rows are one run of `entries`; runs with the same ports
    // (compared as lists, in order) make one rule, rules in order of their ports, peers in order.
    struct Run
    {
        size_t begin;
        size_t end;
    };
    std::vector<Run> runs;
    runs.reserve(entries.size());
    for (size_t i = 0; i < entries.size();) {
        size_t j = i + 1;
        while (j < entries.size() && entries[j].peer == entries[i].peer)
            ++j;
        runs.push_back({i, j});
        i = j;
    }
    const auto portsLess = [&](const Run &a, const Run &b) {
        return std::lexicographical_compare(
            entries.begin() + static_cast<std::ptrdiff_t>(a.begin),
            entries.begin() + static_cast<std::ptrdiff_t>(a.end),
            entries.begin() + static_cast<std::ptrdiff_t>(b.begin),
            entries.begin() + static_cast<std::ptrdiff_t>(b.end),
            [](const Entry &x, const Entry &y) { return *x.port < *y.port; });
    };
    std::stable_sort(runs.begin(), runs.end(), portsLess);

    std::vector<std::pair<PeerKey, PolicyRule>> rules;
    rules.reserve(runs.size());
    for (size_t g = 0; g < runs.size();) {
        size_t h = g + 1;
        while (h < runs.size() && !portsLess(runs[g], runs[h]))
            ++h;
        PolicyRule rule;
        rule.peers.reserve(h - g);
        size_t edgeCount = 0;
        for (size_t r = g; r < h; ++r) {
            expand(entries[runs[r].begin].peer, policyNs, rule.peers);
            for (size_t e = runs[r].begin; e < runs[r].end; ++e)
                edgeCount += entries[e].edge->end - entries[e].edge->begin;
        }
        rule.edges.reserve(edgeCount);
        if (m_options.explain)
            rule.comments.reserve(edgeCount);
        rule.ports.reserve(runs[g].end - runs[g].begin);
        for (size_t e = runs[g].begin; e < runs[g].end; ++e) {
            const PortKey &port = *entries[e].port;
            PolicyPort pp;
            pp.protocol = port.protocol;
            if (port.name.empty())
                pp.port = port.port;
            else
                pp.port = port.name;
            rule.ports.push_back(std::move(pp));
        }
        for (size_t r = g; r < h; ++r) {
            for (size_t e = runs[r].begin; e < runs[r].end; ++e) {
                const PortKey &port = *entries[e].port;
                const std::string_view protocol = protocolName(port.protocol);
                const std::string number = std::to_string(port.port);
                for (size_t d = entries[e].edge->begin; d < entries[e].edge->end; ++d) {
                    const auto &[names, detail] = m_details[d];
                    std::string text;
                    text.reserve(names.first.size() + names.second.size() + protocol.size()
                                 + number.size() + 6);
                    text.append(names.first).append(" -> ").append(names.second).append(1, ' ');
                    text.append(protocol).append(1, '/').append(number);
                    rule.edges.push_back(std::move(text));
                    if (m_options.explain)
                        rule.comments.push_back(explainLine(names, detail, port));
                }
            }
        }
        rules.emplace_back(entries[runs[g].begin].peer, std::move(rule));
        g = h;
    }
    std::sort(rules.begin(), rules.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<PolicyRule> out;
    out.reserve(rules.size());
    for (auto &[first, rule] : rules)
        out.push_back(std::move(rule));
    return out;
}

void Generator::assignNames(std::vector<NetworkPolicy> &policies,
                            const std::vector<std::string> &originals)
{
    // policies[i] has a provisional DNS-1123 name; originals[i] is what it was made from ("" for
    // default-deny). Names that collide (with default-deny or with each other) get a hash suffix.
    // Policies by (namespace, name), each group in index order; only groups of two or more matter.
    std::vector<size_t> order(policies.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::tie(policies[a].ns, policies[a].name, a)
               < std::tie(policies[b].ns, policies[b].name, b);
    });
    const auto sameName = [&](size_t a, size_t b) {
        return policies[a].ns == policies[b].ns && policies[a].name == policies[b].name;
    };
    for (size_t g = 0; g < order.size();) {
        size_t h = g + 1;
        while (h < order.size() && sameName(order[g], order[h]))
            ++h;
        const size_t begin = g;
        g = h;
        if (h - begin < 2)
            continue;
        for (size_t k = begin; k < h; ++k) {
            const size_t i = order[k];
            if (originals[i].empty())
                continue; // default-deny keeps its name
            const std::string suffix = '-' + shortHash(originals[i]);
            std::string stem = dns1123Label(originals[i]);
            if (stem.size() + suffix.size() > kMaxNameLength)
                stem.resize(kMaxNameLength - suffix.size());
            while (!stem.empty() && stem.back() == '-')
                stem.pop_back();
            const std::string renamed = stem + suffix;
            m_warnings.push_back("policy for " + policies[i].ns + '/' + originals[i] + " is named "
                                 + renamed + ": the name " + policies[i].name
                                 + " is taken in namespace " + policies[i].ns);
            policies[i].name = renamed;
        }
    }
}

void Generator::reportWidth(size_t policyCount)
{
    // How many (source, destination, protocol, port) combinations the target-level edges allow,
    // against the workload-level intent: each target stands for all its members.
    const auto members = [&](const PeerKey &k) -> size_t {
        return k.kind == KeyKind::Target
                   ? m_partition.targets[static_cast<size_t>(k.id)].members.size()
                   : 1;
    };
    size_t allowed = 0;
    size_t intended = 0;
    for (const TargetEdge &edge : m_edges) {
        if (edge.key->from.kind == KeyKind::Namespace || edge.key->to.kind == KeyKind::Namespace)
            continue; // a namespace peer is the design's own choice, not a grouping
        allowed += members(edge.key->from) * members(edge.key->to);
        intended += edge.end - edge.begin;
    }
    if (allowed > intended) {
        m_warnings.push_back(std::string(m_options.granularity == GenerateOptions::Granularity::Zone
                                             ? "zone granularity: "
                                             : "grouped policy targets: ")
                             + std::to_string(policyCount) + " policies allow "
                             + std::to_string(allowed)
                             + " (source, destination, protocol, port) combinations between the "
                               "inventory's workloads "
                               "and peers, where the intent has "
                             + std::to_string(intended) + ": wider than one policy per workload");
    }
}

GenerateResult Generator::run(const std::vector<Edge> &intent)
{
    m_partition = m_options.granularity == GenerateOptions::Granularity::Zone
                      ? zoneTargets(m_inv, m_options)
                      : workloadTargets(m_inv);
    m_warnings = m_partition.warnings;
    planNetworks();

    m_workloadNames.reserve(m_inv.workloads.size());
    for (size_t w = 0; w < m_inv.workloads.size(); ++w)
        m_workloadNames.push_back(workloadName(m_inv, static_cast<int>(w)));

    // In edgeLess order (sorting pointers gives the order sorting copies would).
    std::vector<const Edge *> edges;
    edges.reserve(intent.size());
    m_rows.reserve(intent.size());
    for (const Edge &e : intent)
        edges.push_back(&e);
    std::sort(edges.begin(), edges.end(),
              [](const Edge *a, const Edge *b) { return edgeLess(*a, *b); });
    for (const Edge *e : edges)
        addEdge(*e, false);
    std::vector<Edge> dns; // lives as long as m_rows points into it
    if (m_options.dnsAll) {
        dns = dnsEdges();
        std::sort(dns.begin(), dns.end(), edgeLess);
        for (const Edge &e : dns)
            addEdge(e, true);
    }
    addNamespaceEdges();
    groupEdges();

    // Per target: the peers and ports of its ingress and egress. m_edges is ordered by key (from,
    // to, port): for one destination its rows come by (from, port), for one source by (to, port).
    std::vector<Entries> ingress(m_partition.targets.size());
    std::vector<Entries> egress(m_partition.targets.size());
    {
        std::vector<size_t> in(m_partition.targets.size(), 0), out(m_partition.targets.size(), 0);
        for (const TargetEdge &edge : m_edges) {
            if (edge.key->to.kind == KeyKind::Target)
                ++in[static_cast<size_t>(edge.key->to.id)];
            if (edge.key->from.kind == KeyKind::Target)
                ++out[static_cast<size_t>(edge.key->from.id)];
        }
        for (size_t t = 0; t < m_partition.targets.size(); ++t) {
            ingress[t].reserve(in[t]);
            egress[t].reserve(out[t]);
        }
    }
    for (const TargetEdge &edge : m_edges) {
        const TargetEdgeKey &key = *edge.key;
        if (key.to.kind == KeyKind::Target && !edge.coveredIngress)
            ingress[static_cast<size_t>(key.to.id)].push_back({key.from, &key.port, &edge});
        if (key.from.kind == KeyKind::Target && !edge.coveredEgress)
            egress[static_cast<size_t>(key.from.id)].push_back({key.to, &key.port, &edge});
    }

    std::vector<NetworkPolicy> policies;
    std::vector<std::string> originals;
    policies.reserve(m_partition.targets.size());
    originals.reserve(m_partition.targets.size());
    std::set<std::string> namespaces;
    for (size_t t = 0; t < m_partition.targets.size(); ++t) {
        const PolicyTarget &target = m_partition.targets[t];
        if (!policed(target))
            continue;
        namespaces.insert(target.ns);
        NetworkPolicy policy;
        policy.ns = target.ns;
        policy.name = dns1123Label(target.baseName);
        policy.labels.emplace(kManagedByKey, "bulkhead");
        policy.podSelector = target.selector;
        policy.hasIngressType = true;
        policy.hasEgressType = true;
        policy.policyTypesGiven = true;
        policy.ingress = buildRules(ingress[t], target.ns);
        policy.egress = buildRules(egress[t], target.ns);
        policy.ingressGiven = !policy.ingress.empty();
        policy.egressGiven = !policy.egress.empty();
        policy.comments = target.comments;
        if (m_options.granularity == GenerateOptions::Granularity::Workload
            && target.members.size() > 1) {
            std::string names;
            for (int m : target.members)
                names += (names.empty() ? "" : ", ") + workloadName(m_inv, m);
            m_warnings.push_back(
                "policy " + target.ns + '/' + policy.name + " selects " + names
                + " together and allows the union of their traffic: wider than the design "
                  "(one policy per workload), since no pod label tells them apart");
        }
        policies.push_back(std::move(policy));
        originals.push_back(target.baseName);
    }
    for (const std::string &ns : namespaces) {
        NetworkPolicy deny;
        deny.ns = ns;
        deny.name = "default-deny";
        deny.labels.emplace(kManagedByKey, "bulkhead");
        deny.hasIngressType = true;
        deny.hasEgressType = true;
        deny.policyTypesGiven = true;
        policies.push_back(std::move(deny));
        originals.emplace_back();
    }
    assignNames(policies, originals);
    std::sort(policies.begin(), policies.end(), [](const NetworkPolicy &a, const NetworkPolicy &b) {
        return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
    });
    reportWidth(policies.size());

    GenerateResult result;
    result.policies = std::move(policies);
    std::sort(m_warnings.begin(), m_warnings.end());
    m_warnings.erase(std::unique(m_warnings.begin(), m_warnings.end()), m_warnings.end());
    result.warnings = std::move(m_warnings);
    return result;
}

} // namespace

GenerateResult generatePolicies(const Inventory &inventory, const std::vector<Edge> &intent,
                                const GenerateOptions &options,
                                const std::vector<std::string> &captureFiles)
{
    Generator generator(inventory, options, captureFiles);
    return generator.run(intent);
}

} // namespace bulkhead
