// CiliumEvaluator, the matching half: which ports, peers and rules match a connection
// (core/review/ciliumevaluator.cpp decides with them).

#include "review/ciliumevaluator.h"

#include "policy/ciliumgenerator.h"
#include "policy/ciliumpolicyreader.h"
#include "review/ciliumevaluatorimpl.h"
#include "review/decisionpeermatch.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <unordered_map>

namespace bulkhead {

using cilium::joined;
using cilium::ruleName;

namespace {

bool testBit(const std::vector<uint64_t> &bits, size_t i)
{
    return i / 64 < bits.size() && (bits[i / 64] >> (i % 64)) & 1u;
}

bool inBlock(const IpBlock &block, const IpAddress &address)
{
    return block.cidr.contains(address)
           && std::none_of(block.except.begin(), block.except.end(),
                           [&](const Cidr &e) { return e.contains(address); });
}

bool overlaps(const Cidr &a, const Cidr &b)
{
    return a.contains(b) || b.contains(a);
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!out.empty() && out.back() == '.')
        out.pop_back();
    return out;
}

bool fqdnMatches(const CiliumFqdn &f, const std::string &name)
{
    if (!f.matchName.empty())
        return lower(f.matchName) == lower(name);
    if (f.matchPattern == "*")
        return true; // Cilium: every name
    return fqdnPatternMatches(f.matchPattern, name);
}

} // namespace

// Whether `other` (a node, or a workload on the host network) is the node of every pod of
// `subject` (Yes), of none (No), or of some (Unknown, with a note); No for any other peer.
CiliumEvaluator::Tri CiliumEvaluator::hostsSubject(int subject, const Peer &other,
                                                   std::string *note) const
{
    const bool workload = other.kind == PeerKind::Workload && other.index >= 0
                          && static_cast<size_t>(other.index) < m_inventory.workloads.size();
    const size_t w = workload ? static_cast<size_t>(other.index) : 0;
    std::set<IpAddress> nodes;
    if (other.kind == PeerKind::Node) {
        nodes.insert(other.address);
        if (other.index >= 0 && static_cast<size_t>(other.index) < m_inventory.nodes.size()) {
            const Node &node = m_inventory.nodes[static_cast<size_t>(other.index)];
            nodes.insert(node.addresses.begin(), node.addresses.end());
        }
    } else if (workload && m_impl->hostNetwork[w]) {
        for (const PodMember &p : m_inventory.workloads[w].pods) {
            if (p.hostIp)
                nodes.insert(*p.hostIp);
            nodes.insert(p.addresses.begin(), p.addresses.end());
        }
    } else {
        return Tri::No;
    }
    size_t inside = 0, total = 0;
    for (const PodMember &p : m_inventory.workloads[static_cast<size_t>(subject)].pods) {
        if (!p.hostIp)
            return Tri::Unknown;
        ++total;
        inside += nodes.count(*p.hostIp);
    }
    const bool oneNode = other.kind == PeerKind::Node || m_inventory.workloads[w].pods.size() == 1;
    if (inside == 0)
        return Tri::No;
    if (inside == total && oneNode)
        return Tri::Yes;
    if (note)
        *note = peerName(m_inventory, other) + " is the node of some pods of "
                + m_inventory.workloads[static_cast<size_t>(subject)].id()
                + " and not of others: `host` for some, `remote-node` for the rest";
    return Tri::Unknown;
}

bool CiliumEvaluator::nodeLike(const Peer &peer) const
{
    if (peer.kind == PeerKind::Node)
        return true;
    return peer.kind == PeerKind::Workload && peer.index >= 0
           && static_cast<size_t>(peer.index) < m_impl->hostNetwork.size()
           && m_impl->hostNetwork[static_cast<size_t>(peer.index)];
}

bool CiliumEvaluator::networkPolicyAllowsEveryPeer(const Peer &from, const Peer &to,
                                                   Protocol protocol, uint16_t port,
                                                   PolicyDirection direction) const
{
    const Verdict v = m_np.evaluate(from, to, protocol, port);
    const bool ingress = direction == PolicyDirection::Ingress;
    for (const std::string &rule : ingress ? v.ingress.allowedBy : v.egress.allowedBy) {
        // "ns/name ingress[N]"
        const size_t space = rule.find(' '), open = rule.find('[', space);
        if (space == std::string::npos || open == std::string::npos)
            continue;
        const std::string id = rule.substr(0, space);
        const size_t index = static_cast<size_t>(std::stoul(rule.substr(open + 1)));
        for (const NetworkPolicy &p : m_np.policies()) {
            if (p.id() != id)
                continue;
            const std::vector<PolicyRule> &rules = ingress ? p.ingress : p.egress;
            if (index < rules.size() && rules[index].peers.empty())
                return true;
        }
    }
    return false;
}

bool CiliumEvaluator::portMatches(const CiliumPortRule &p, Protocol protocol, uint16_t port,
                                  int destination) const
{
    if (p.anyProtocol ? !isPolicyProtocol(protocol) : p.protocol != protocol)
        return false;
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(p.port.data(), p.port.data() + p.port.size(), number);
    if (ec == std::errc() && end == p.port.data() + p.port.size()) {
        if (number == 0)
            return true; // every port
        return port >= number && port <= p.endPort.value_or(static_cast<uint16_t>(number));
    }
    // A named port: the destination pod's container port of that name.
    if (!isEndpoint(destination))
        return false;
    const auto named = m_inventory.workloads[static_cast<size_t>(destination)].portsNamed(p.port);
    return std::any_of(named.begin(), named.end(), [&](const ContainerPort *c) {
        return c->port == port && c->protocol == protocol;
    });
}

CiliumEvaluator::Tri CiliumEvaluator::peerMatches(size_t policyIndex, PolicyDirection direction,
                                                  bool deny, size_t ruleIndex, int subject,
                                                  const Peer &other, std::string *note) const
{
    const Impl &impl = *m_impl;
    const CiliumNetworkPolicy &policy = m_policies[policyIndex];
    const int d = direction == PolicyDirection::Ingress ? 0 : 1;
    const std::vector<CiliumRule> &rules = d == 0 ? (deny ? policy.ingressDeny : policy.ingress)
                                                  : (deny ? policy.egressDeny : policy.egress);
    const CiliumRule &rule = rules[ruleIndex];
    if (!rule.hasPeers())
        return rule.ports.empty() ? Tri::No
                                  : Tri::Yes; // `{}` allows nothing; ports alone: every peer
    const bool workload = other.kind == PeerKind::Workload && other.index >= 0
                          && static_cast<size_t>(other.index) < m_inventory.workloads.size();
    const size_t w = workload ? static_cast<size_t>(other.index) : 0;
    const bool pod = workload && impl.endpoint[w];
    const bool hostNet = workload && impl.hostNetwork[w];
    const bool nonK8sHost = workload && !pod && !hostNet;
    const bool unattributed = other.kind == PeerKind::Unattributed;
    Tri result = Tri::No;
    const auto found = [&](Tri t) {
        if (t == Tri::Yes || (t == Tri::Unknown && result == Tri::No))
            result = t;
    };
    if (!rule.endpoints.empty()) {
        if (pod && testBit(impl.policies[policyIndex].rules[d][deny][ruleIndex].endpoints, w))
            found(Tri::Yes);
        else if (unattributed)
            found(Tri::Unknown);
    }
    // host / remote-node: whether the peer's node hosts the subject's pods.
    const auto nodeRelation = [&](bool wantHost) -> Tri {
        const Tri hosts = hostsSubject(subject, other, note);
        if (hosts == Tri::Unknown)
            return Tri::Unknown;
        if (other.kind != PeerKind::Node && !hostNet)
            return Tri::No;
        return (hosts == Tri::Yes) == wantHost ? Tri::Yes : Tri::No;
    };
    const auto addressOf = [&](IpAddress &out) {
        if (other.kind == PeerKind::Node || other.kind == PeerKind::External
            || other.kind == PeerKind::Unattributed) {
            out = other.address;
            return true;
        }
        return false;
    };
    for (const std::string &entity : rule.entities) {
        if (entity == "all") {
            found(Tri::Yes);
        } else if (entity == "world") {
            if (other.kind == PeerKind::External || other.kind == PeerKind::ExternalNetwork
                || nonK8sHost)
                found(Tri::Yes);
            else if (unattributed)
                found(Tri::Unknown);
        } else if (entity == "cluster") {
            if (pod || hostNet || other.kind == PeerKind::Node)
                found(Tri::Yes);
            else if (unattributed)
                found(Tri::Unknown);
        } else if (entity == "host" || entity == "remote-node") {
            if (unattributed)
                found(Tri::Unknown);
            else
                found(nodeRelation(entity == "host"));
        } else if (entity == "kube-apiserver") {
            IpAddress a;
            if (addressOf(a) && impl.apiServer.count(a)) {
                found(Tri::Yes);
            } else if (workload) {
                bool all = !m_inventory.workloads[w].pods.empty();
                for (const PodMember &p : m_inventory.workloads[w].pods) {
                    all = all && !p.addresses.empty()
                          && std::all_of(
                              p.addresses.begin(), p.addresses.end(),
                              [&](const IpAddress &x) { return impl.apiServer.count(x) > 0; });
                }
                if (all)
                    found(Tri::Yes);
            }
        } else if (entity != "none" && unattributed) {
            found(Tri::Unknown); // ingress, init, health, unmanaged: nothing the inventory shows
        }
    }
    for (const IpBlock &block : rule.cidrs) {
        switch (other.kind) {
        case PeerKind::External:
            if (inBlock(block, other.address))
                found(Tri::Yes);
            break;
        case PeerKind::Unattributed:
            if (inBlock(block, other.address))
                found(Tri::Unknown);
            break;
        case PeerKind::ExternalNetwork: {
            if (other.index < 0 || static_cast<size_t>(other.index) >= m_inventory.externals.size())
                break;
            const ExternalNetwork &network
                = m_inventory.externals[static_cast<size_t>(other.index)];
            if (network.fromDecision) {
                if (ipBlockCoversDecisionNetwork(m_inventory, block, network))
                    found(Tri::Yes);
            } else if (!network.cidrs.empty()
                       && std::all_of(network.cidrs.begin(), network.cidrs.end(),
                                      [&](const Cidr &c) {
                                          return block.cidr.contains(c)
                                                 && std::none_of(
                                                     block.except.begin(), block.except.end(),
                                                     [&](const Cidr &e) { return overlaps(e, c); });
                                      })) {
                found(Tri::Yes);
            }
            break;
        }
        case PeerKind::Workload:
            if (nonK8sHost || (hostNet && m_cidrMatchesNodes)) {
                const std::vector<IpAddress> addresses = m_inventory.workloads[w].addresses();
                if (!addresses.empty()
                    && std::all_of(addresses.begin(), addresses.end(),
                                   [&](const IpAddress &a) { return inBlock(block, a); }))
                    found(Tri::Yes);
            }
            break;
        case PeerKind::Node:
            // Cilium's default policy-cidr-match-mode: CIDR rules never match nodes
            if (m_cidrMatchesNodes && inBlock(block, other.address))
                found(Tri::Yes);
            break;
        }
    }
    if (!rule.fqdns.empty() && other.kind == PeerKind::External) {
        const auto names = m_names.externalNames.find(other.address);
        std::vector<std::string> resolved, unresolved;
        if (names != m_names.externalNames.end()) {
            for (const std::string &name : names->second)
                (m_names.resolvedNames.count(name) ? resolved : unresolved).push_back(name);
        }
        bool matched = false;
        for (const std::string &name : resolved) {
            for (const CiliumFqdn &f : rule.fqdns)
                matched = matched || fqdnMatches(f, name);
        }
        if (matched) {
            found(Tri::Yes);
        } else if (note && note->empty()) {
            const std::string a = other.address.toString();
            if (resolved.empty() && unresolved.empty())
                *note = "no DNS name was seen for " + a + " (toFQDNs matches names)";
            else if (resolved.empty())
                *note = a + " is known only as " + joined(unresolved)
                        + ", never seen resolved (toFQDNs learns addresses from DNS lookups)";
            else
                *note = a + " answered for " + joined(resolved) + ", which no toFQDNs of "
                        + ruleName(policy, direction, deny, ruleIndex) + " matches";
        }
    }
    if (result == Tri::Unknown && note && note->empty() && unattributed)
        *note = other.address.toString()
                + " is inside the cluster networks but no workload of the inventory: "
                + "its Cilium identity is unknown";
    return result;
}

CiliumEvaluator::Tri CiliumEvaluator::ruleMatches(size_t policy, PolicyDirection direction,
                                                  bool deny, size_t rule, int subject,
                                                  const Peer &other, Protocol protocol,
                                                  uint16_t port, std::string *note) const
{
    const CiliumNetworkPolicy &p = m_policies[policy];
    const std::vector<CiliumRule> &rules = direction == PolicyDirection::Ingress
                                               ? (deny ? p.ingressDeny : p.ingress)
                                               : (deny ? p.egressDeny : p.egress);
    const CiliumRule &r = rules[rule];
    const int destination = direction == PolicyDirection::Ingress
                                ? subject
                                : (other.kind == PeerKind::Workload ? other.index : -1);
    if (!r.ports.empty()
        && std::none_of(r.ports.begin(), r.ports.end(), [&](const CiliumPortRule &pr) {
               return portMatches(pr, protocol, port, destination);
           }))
        return Tri::No;
    return peerMatches(policy, direction, deny, rule, subject, other, note);
}

} // namespace bulkhead
