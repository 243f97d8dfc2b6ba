#include "review/ciliumevaluator.h"

#include "policy/ciliumgenerator.h"
#include "policy/ciliumpolicyreader.h"
#include "review/decisionpeermatch.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <unordered_map>

namespace bulkhead {

namespace {

constexpr const char *kPodNamespace = "io.kubernetes.pod.namespace";
constexpr std::string_view kNamespaceLabels = "io.cilium.k8s.namespace.labels.";

bool testBit(const std::vector<uint64_t> &bits, size_t i)
{
    return i / 64 < bits.size() && (bits[i / 64] >> (i % 64)) & 1u;
}

void setBit(std::vector<uint64_t> &bits, size_t i)
{
    bits[i / 64] |= uint64_t(1) << (i % 64);
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

// Selector keys as the reader leaves them: without the "k8s:" or "any:" source; the writer's
// (and a hand-built model's) may still carry it.
LabelSelector withoutSources(LabelSelector s)
{
    const auto strip = [](std::string k) {
        for (const char *source : {"k8s:", "any:"}) {
            if (k.starts_with(source))
                return k.substr(4);
        }
        return k;
    };
    Labels labels;
    for (auto &[k, v] : s.matchLabels)
        labels[strip(k)] = v;
    s.matchLabels = std::move(labels);
    for (LabelSelectorRequirement &r : s.matchExpressions)
        r.key = strip(r.key);
    return s;
}

bool namesKey(const LabelSelector &s, bool namespaceLabelsToo)
{
    const auto hit = [&](const std::string &k) {
        return k == kPodNamespace || (namespaceLabelsToo && k.starts_with(kNamespaceLabels));
    };
    for (const auto &[k, v] : s.matchLabels) {
        if (hit(k))
            return true;
    }
    return std::any_of(s.matchExpressions.begin(), s.matchExpressions.end(),
                       [&](const LabelSelectorRequirement &r) { return hit(r.key); });
}

// A peer selector as Cilium applies it: a namespaced policy's selector that names neither the pod
// namespace nor a namespace label is confined to the policy's namespace; a clusterwide policy's
// selector without the pod namespace matches Cilium-managed pods only (those have one).
LabelSelector peerSelector(const LabelSelector &written, const CiliumNetworkPolicy &policy)
{
    LabelSelector s = withoutSources(written);
    if (policy.clusterwide) {
        if (!namesKey(s, false))
            s.matchExpressions.push_back(
                {kPodNamespace, LabelSelectorRequirement::Operator::Exists, {}});
    } else if (!namesKey(s, true)) {
        s.matchLabels[kPodNamespace] = policy.ns;
    }
    return s;
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

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string ruleName(const CiliumNetworkPolicy &p, PolicyDirection direction, bool deny,
                     size_t index)
{
    return p.id() + ' ' + (direction == PolicyDirection::Ingress ? "ingress" : "egress")
           + (deny ? "Deny" : "") + '[' + std::to_string(index) + ']';
}

} // namespace

std::string_view ciliumDecisionName(CiliumDecision decision)
{
    switch (decision) {
    case CiliumDecision::Denied: return "denied";
    case CiliumDecision::Allowed: return "allowed";
    case CiliumDecision::Undecided: return "undecided";
    }
    return "allowed";
}

struct CiliumEvaluator::Impl
{
    struct Rule
    {
        std::vector<uint64_t> endpoints; // workloads the rule's endpoint selectors match
    };
    struct Policy
    {
        std::vector<int> selected;
        std::vector<Rule> rules[2][2]; // [direction][deny]
    };
    struct HttpRegex
    {
        std::optional<std::regex> method, path, host;
    };
    std::vector<Policy> policies;
    std::vector<std::vector<int>> policiesOf; // per workload, the Cilium policies selecting it
    std::vector<bool> endpoint;               // a Cilium endpoint: a pod off the host network
    std::vector<bool> hostNetwork; // a pod on the host network (host / remote-node identity)
    std::set<IpAddress> apiServer; // endpoints of Service default/kubernetes
    std::unordered_map<const CiliumHttpRule *, HttpRegex> http;
};

CiliumEvaluator::CiliumEvaluator(const Inventory &inventory,
                                 const std::vector<NetworkPolicy> &networkPolicies,
                                 const std::vector<CiliumNetworkPolicy> &policies,
                                 CiliumNames names, EvaluatorOptions options, bool cidrMatchesNodes)
    : m_inventory(inventory)
    , m_np(inventory, networkPolicies, options)
    , m_policies(policies)
    , m_names(std::move(names))
    , m_cidrMatchesNodes(cidrMatchesNodes)
    , m_impl(std::make_unique<Impl>())
{
    const size_t n = inventory.workloads.size();
    Impl &impl = *m_impl;
    impl.policiesOf.resize(n);
    impl.endpoint.resize(n);
    impl.hostNetwork.resize(n);
    std::vector<Labels> labels(n);
    for (size_t w = 0; w < n; ++w) {
        const Workload &workload = inventory.workloads[w];
        impl.hostNetwork[w] = workload.kind != "Host" && workload.onHostNetwork();
        impl.endpoint[w] = workload.kind != "Host" && !workload.onHostNetwork();
        labels[w] = ciliumEndpointLabels(inventory, workload);
    }
    for (const EndpointSet &e : inventory.endpointSets) {
        if (e.ns == "default" && e.service == "kubernetes")
            impl.apiServer.insert(e.addresses.begin(), e.addresses.end());
    }
    const size_t words = (n + 63) / 64;
    for (size_t p = 0; p < m_policies.size(); ++p) {
        const CiliumNetworkPolicy &policy = m_policies[p];
        Impl::Policy compiled;
        LabelSelector subject = withoutSources(policy.endpointSelector);
        if (!policy.clusterwide)
            subject.matchLabels[kPodNamespace] = policy.ns;
        for (size_t w = 0; w < n; ++w) {
            if (impl.endpoint[w] && subject.matches(labels[w])) {
                compiled.selected.push_back(static_cast<int>(w));
                impl.policiesOf[w].push_back(static_cast<int>(p));
            }
        }
        for (int d = 0; d < 2; ++d) {
            for (int deny = 0; deny < 2; ++deny) {
                const std::vector<CiliumRule> &rules
                    = d == 0 ? (deny ? policy.ingressDeny : policy.ingress)
                             : (deny ? policy.egressDeny : policy.egress);
                for (const CiliumRule &rule : rules) {
                    Impl::Rule r;
                    r.endpoints.assign(words, 0);
                    for (const LabelSelector &written : rule.endpoints) {
                        const LabelSelector s = peerSelector(written, policy);
                        for (size_t w = 0; w < n; ++w) {
                            if (impl.endpoint[w] && s.matches(labels[w]))
                                setBit(r.endpoints, w);
                        }
                    }
                    for (const CiliumPortRule &port : rule.ports) {
                        for (const CiliumHttpRule &h : port.http) {
                            Impl::HttpRegex &re = impl.http[&h];
                            // The reader checked the syntax; a hand-built model's bad pattern
                            // matches nothing.
                            const auto compile
                                = [](const std::string &text, std::optional<std::regex> &out) {
                                      if (text.empty())
                                          return;
                                      try {
                                          out.emplace(text, std::regex::ECMAScript);
                                      } catch (const std::regex_error &) {
                                          out.emplace("(?!)", std::regex::ECMAScript);
                                      }
                                  };
                            compile(h.method, re.method);
                            compile(h.path, re.path);
                            compile(h.host, re.host);
                        }
                    }
                    compiled.rules[d][deny].push_back(std::move(r));
                }
            }
        }
        impl.policies.push_back(std::move(compiled));
    }
}

CiliumEvaluator::~CiliumEvaluator() = default;

const std::vector<int> &CiliumEvaluator::selectedWorkloads(size_t policy) const
{
    return m_impl->policies[policy].selected;
}

bool CiliumEvaluator::isEndpoint(int workload) const
{
    return workload >= 0 && static_cast<size_t>(workload) < m_impl->endpoint.size()
           && m_impl->endpoint[static_cast<size_t>(workload)];
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
        std::set<IpAddress> nodes;
        if (other.kind == PeerKind::Node) {
            nodes.insert(other.address);
            if (other.index >= 0 && static_cast<size_t>(other.index) < m_inventory.nodes.size()) {
                const Node &node = m_inventory.nodes[static_cast<size_t>(other.index)];
                nodes.insert(node.addresses.begin(), node.addresses.end());
            }
        } else if (hostNet) {
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
        const bool oneNode
            = other.kind == PeerKind::Node || m_inventory.workloads[w].pods.size() == 1;
        if (inside == 0)
            return wantHost ? Tri::No : Tri::Yes;
        if (inside == total && oneNode)
            return wantHost ? Tri::Yes : Tri::No;
        if (note)
            *note = peerName(m_inventory, other) + " is the node of some pods of "
                    + m_inventory.workloads[static_cast<size_t>(subject)].id()
                    + " and not of others: `host` for some, `remote-node` for the rest";
        return Tri::Unknown;
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

CiliumDecision CiliumEvaluator::side(int subject, PolicyDirection direction, const Peer &other,
                                     Protocol protocol, uint16_t port,
                                     CiliumSideVerdict *explain) const
{
    if (!isEndpoint(subject))
        return CiliumDecision::Allowed;
    const bool ingress = direction == PolicyDirection::Ingress;
    const Peer self = Peer::workload(subject);
    if (ingress && other.kind == PeerKind::Node && m_np.ownNode(other, self)) {
        if (explain)
            explain->reason = "from the node that hosts the pod: always allowed (allow-localhost)";
        return CiliumDecision::Allowed;
    }
    const std::string subjectName = m_inventory.workloads[static_cast<size_t>(subject)].id();
    std::string note;
    std::string *notePtr = explain ? &note : nullptr;
    bool denyUnknown = false;
    bool cnpIsolated = false;
    const auto &policies = m_impl->policiesOf[static_cast<size_t>(subject)];
    for (const int p : policies) {
        const CiliumNetworkPolicy &policy = m_policies[static_cast<size_t>(p)];
        cnpIsolated
            = cnpIsolated || (ingress ? policy.defaultDenyIngress : policy.defaultDenyEgress);
        const size_t denies = (ingress ? policy.ingressDeny : policy.egressDeny).size();
        for (size_t r = 0; r < denies; ++r) {
            const Tri t = ruleMatches(static_cast<size_t>(p), direction, true, r, subject, other,
                                      protocol, port, notePtr);
            if (t == Tri::Yes) {
                if (explain) {
                    explain->deniedBy = ruleName(policy, direction, true, r);
                    explain->reason
                        = "denied by " + explain->deniedBy + " (a deny rule wins over every allow)";
                }
                return CiliumDecision::Denied;
            }
            denyUnknown = denyUnknown || t == Tri::Unknown;
        }
    }
    const bool npIsolated = m_np.isolated(subject, direction);
    const Peer from = ingress ? other : self;
    const Peer to = ingress ? self : other;
    if (explain) {
        explain->isolated = npIsolated || cnpIsolated;
        if (npIsolated) {
            for (const int p : m_np.isolatingPolicies(subject, direction))
                explain->isolatedBy.push_back(m_np.policies()[static_cast<size_t>(p)].id());
        }
        for (const int p : policies) {
            const CiliumNetworkPolicy &policy = m_policies[static_cast<size_t>(p)];
            if (ingress ? policy.defaultDenyIngress : policy.defaultDenyEgress)
                explain->isolatedBy.push_back(policy.id());
        }
        std::sort(explain->isolatedBy.begin(), explain->isolatedBy.end());
    }
    bool allowed = false;
    bool unknown = denyUnknown;
    bool npAllows = npIsolated && m_np.directionAllows(from, to, protocol, port, direction);
    // A NetworkPolicy reaches a node (or a host-network pod) only through an ipBlock or a rule
    // without peers; Cilium's ipBlock matches nodes only under policy-cidr-match-mode=nodes.
    if (npAllows && !m_cidrMatchesNodes && nodeLike(other)
        && !networkPolicyAllowsEveryPeer(from, to, protocol, port, direction)) {
        npAllows = false;
        if (notePtr && note.empty())
            note = "a NetworkPolicy ipBlock covers " + peerName(m_inventory, other)
                   + ", a node address: Cilium matches it only under policy-cidr-match-mode=nodes";
    }
    if (npAllows) {
        allowed = true;
        if (explain) {
            const Verdict v = m_np.evaluate(from, to, protocol, port);
            const auto &by = ingress ? v.ingress.allowedBy : v.egress.allowedBy;
            explain->allowedBy.insert(explain->allowedBy.end(), by.begin(), by.end());
        }
    }
    for (const int p : policies) {
        if (allowed && !explain)
            break;
        const CiliumNetworkPolicy &policy = m_policies[static_cast<size_t>(p)];
        const size_t count = (ingress ? policy.ingress : policy.egress).size();
        for (size_t r = 0; r < count; ++r) {
            const Tri t = ruleMatches(static_cast<size_t>(p), direction, false, r, subject, other,
                                      protocol, port, notePtr);
            if (t == Tri::Yes) {
                allowed = true;
                if (explain)
                    explain->allowedBy.push_back(ruleName(policy, direction, false, r));
            }
            unknown = unknown || t == Tri::Unknown;
        }
    }
    const bool isolated = npIsolated || cnpIsolated;
    CiliumDecision decision = CiliumDecision::Denied;
    if (!isolated || allowed)
        decision = denyUnknown ? CiliumDecision::Undecided : CiliumDecision::Allowed;
    else if (unknown)
        decision = CiliumDecision::Undecided;
    if (explain) {
        const std::string dir = ingress ? "ingress" : "egress";
        if (decision == CiliumDecision::Undecided)
            explain->reason
                = "cannot decide: "
                  + (note.empty() ? std::string("a peer's Cilium identity is unknown") : note);
        else if (decision == CiliumDecision::Denied)
            explain->reason = subjectName + " is default-deny for " + dir + " ("
                              + joined(explain->isolatedBy) + "); no rule allows it"
                              + (note.empty() ? std::string() : ": " + note);
        else if (!isolated)
            explain->reason = subjectName + " is not default-deny for " + dir;
        else
            explain->reason = "allowed by " + joined(explain->allowedBy);
    }
    return decision;
}

namespace {

CiliumDecision combine(CiliumDecision a, CiliumDecision b)
{
    if (a == CiliumDecision::Denied || b == CiliumDecision::Denied)
        return CiliumDecision::Denied;
    if (a == CiliumDecision::Undecided || b == CiliumDecision::Undecided)
        return CiliumDecision::Undecided;
    return CiliumDecision::Allowed;
}

} // namespace

CiliumDecision CiliumEvaluator::decide(const Peer &from, const Peer &to, Protocol protocol,
                                       uint16_t port) const
{
    const CiliumDecision egress
        = from.isWorkload() ? side(from.index, PolicyDirection::Egress, to, protocol, port, nullptr)
                            : CiliumDecision::Allowed;
    if (egress == CiliumDecision::Denied)
        return egress;
    const CiliumDecision ingress
        = to.isWorkload() ? side(to.index, PolicyDirection::Ingress, from, protocol, port, nullptr)
                          : CiliumDecision::Allowed;
    return combine(egress, ingress);
}

CiliumVerdict CiliumEvaluator::evaluate(const Peer &from, const Peer &to, Protocol protocol,
                                        uint16_t port) const
{
    CiliumVerdict v;
    if (from.isWorkload())
        v.egress.decision
            = side(from.index, PolicyDirection::Egress, to, protocol, port, &v.egress);
    if (to.isWorkload())
        v.ingress.decision
            = side(to.index, PolicyDirection::Ingress, from, protocol, port, &v.ingress);
    v.decision = combine(v.egress.decision, v.ingress.decision);
    std::vector<std::string> reasons;
    for (const CiliumSideVerdict *s : {&v.egress, &v.ingress}) {
        if (s->decision == v.decision && v.decision != CiliumDecision::Allowed
            && !s->reason.empty())
            reasons.push_back(s->reason);
    }
    if (v.decision == CiliumDecision::Allowed) {
        for (const CiliumSideVerdict *s : {&v.egress, &v.ingress}) {
            if (!s->reason.empty())
                reasons.push_back(s->reason);
        }
    }
    for (const std::string &r : reasons)
        v.reason += (v.reason.empty() ? "" : "; ") + r;
    return v;
}

CiliumHttpVerdict CiliumEvaluator::httpVerdict(const HttpRequestSeen &request,
                                               PolicyDirection direction) const
{
    CiliumHttpVerdict out;
    const bool ingress = direction == PolicyDirection::Ingress;
    const int subject = ingress ? request.serverWorkload : request.clientWorkload;
    const int otherIndex = ingress ? request.clientWorkload : request.serverWorkload;
    if (!isEndpoint(subject) || otherIndex < 0)
        return out;
    const Peer other = Peer::workload(otherIndex);
    const Peer from = Peer::workload(request.clientWorkload),
               to = Peer::workload(request.serverWorkload);
    // A NetworkPolicy rule that allows the connection allows it at layer 4: every request (its
    // peers are workloads here, which ipBlocks do not reach under Cilium: a selector or every
    // peer).
    if (m_np.isolated(subject, direction)
        && m_np.directionAllows(from, to, Protocol::TCP, request.port, direction))
        return out;
    std::vector<const CiliumHttpRule *> rules;
    for (const int p : m_impl->policiesOf[static_cast<size_t>(subject)]) {
        const CiliumNetworkPolicy &policy = m_policies[static_cast<size_t>(p)];
        const std::vector<CiliumRule> &list = ingress ? policy.ingress : policy.egress;
        for (size_t r = 0; r < list.size(); ++r) {
            if (peerMatches(static_cast<size_t>(p), direction, false, r, subject, other, nullptr)
                != Tri::Yes)
                continue;
            if (list[r].ports.empty())
                return CiliumHttpVerdict{}; // every port, no layer-7 rule
            bool consulted = false;
            for (const CiliumPortRule &port : list[r].ports) {
                if (!portMatches(port, Protocol::TCP, request.port, request.serverWorkload))
                    continue;
                if (!port.hasHttp)
                    return CiliumHttpVerdict{}; // a layer-4 rule for this peer and port: every
                                                // request
                for (const CiliumHttpRule &h : port.http)
                    rules.push_back(&h);
                consulted = true;
            }
            if (consulted)
                out.rules.push_back(ruleName(policy, direction, false, r));
        }
    }
    if (out.rules.empty())
        return CiliumHttpVerdict{};
    out.enforced = true;
    out.allowed = std::any_of(rules.begin(), rules.end(), [&](const CiliumHttpRule *h) {
        const Impl::HttpRegex &re = m_impl->http.at(h);
        return (!re.method || std::regex_match(request.method, *re.method))
               && (!re.path || std::regex_match(request.path, *re.path))
               && (!re.host || std::regex_match(request.host, *re.host));
    });
    return out;
}

std::vector<uint64_t> CiliumEvaluator::ingressCandidates(int workload) const
{
    const size_t n = m_inventory.workloads.size();
    std::vector<uint64_t> all((n + 63) / 64, ~uint64_t(0));
    if (!isEndpoint(workload))
        return all;
    const bool npIsolated = m_np.isolated(workload, PolicyDirection::Ingress);
    bool cnpIsolated = false;
    for (const int p : m_impl->policiesOf[static_cast<size_t>(workload)])
        cnpIsolated = cnpIsolated || m_policies[static_cast<size_t>(p)].defaultDenyIngress;
    if (!npIsolated && !cnpIsolated)
        return all;
    std::vector<uint64_t> bits
        = npIsolated ? m_np.ingressCandidates(workload) : std::vector<uint64_t>(all.size(), 0);
    for (const int p : m_impl->policiesOf[static_cast<size_t>(workload)]) {
        const CiliumNetworkPolicy &policy = m_policies[static_cast<size_t>(p)];
        for (size_t r = 0; r < policy.ingress.size(); ++r) {
            const CiliumRule &rule = policy.ingress[r];
            const bool endpointsOnly
                = !rule.endpoints.empty() && rule.entities.empty() && rule.cidrs.empty();
            if (!rule.hasPeers() && rule.ports.empty())
                continue; // `{}`: nothing
            if (!endpointsOnly)
                return all;
            const std::vector<uint64_t> &e
                = m_impl->policies[static_cast<size_t>(p)].rules[0][0][r].endpoints;
            for (size_t i = 0; i < bits.size(); ++i)
                bits[i] |= e[i];
        }
    }
    return bits;
}

} // namespace bulkhead
