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

constexpr const char *kPodNamespace = "io.kubernetes.pod.namespace";
constexpr std::string_view kNamespaceLabels = "io.cilium.k8s.namespace.labels.";

void setBit(std::vector<uint64_t> &bits, size_t i)
{
    bits[i / 64] |= uint64_t(1) << (i % 64);
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
    // A workload on the host network has its node's identity (`host`) there: allow-localhost
    // lets it in too, where it runs on the node of every pod of the subject; where it runs on the
    // node of some of them, the answer differs pod by pod.
    // Where it runs on the node of some pods only, what the rules deny is undecided.
    std::string localhostNote;
    bool localhostForSome = false;
    if (ingress && other.kind == PeerKind::Workload && nodeLike(other)) {
        const Tri hosts = hostsSubject(subject, other, explain ? &localhostNote : nullptr);
        if (hosts == Tri::Yes) {
            if (explain)
                explain->reason = "from a host-network workload on the node that hosts the pod: "
                                  "always allowed (allow-localhost)";
            return CiliumDecision::Allowed;
        }
        localhostForSome = hosts == Tri::Unknown;
    }
    const auto denied = [&]() {
        if (!localhostForSome)
            return CiliumDecision::Denied;
        if (explain)
            explain->reason = "cannot decide: allow-localhost lets it into some pods: "
                              + (localhostNote.empty() ? std::string("their nodes are not known")
                                                       : localhostNote);
        return CiliumDecision::Undecided;
    };
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
                return denied();
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
    return decision == CiliumDecision::Denied ? denied() : decision;
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
                                               PolicyDirection direction,
                                               const std::string *path) const
{
    const std::string &target = path ? *path : request.path;
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
               && (!re.path || std::regex_match(target, *re.path))
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
