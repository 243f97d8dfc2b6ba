#include "review/tieredevaluator.h"

#include <algorithm>
#include <tuple>

namespace bulkhead {

namespace {

bool testBit(const std::vector<uint64_t> &bits, int i)
{
    const size_t word = static_cast<size_t>(i) / 64;
    return i >= 0 && word < bits.size() && (bits[word] >> (static_cast<size_t>(i) % 64)) & 1u;
}

void setBit(std::vector<uint64_t> &bits, int i)
{
    bits[static_cast<size_t>(i) / 64] |= uint64_t(1) << (static_cast<size_t>(i) % 64);
}

bool inAny(const std::vector<Cidr> &networks, const IpAddress &address)
{
    return std::any_of(networks.begin(), networks.end(),
                       [&](const Cidr &c) { return c.contains(address); });
}

bool inAny(const std::vector<Cidr> &networks, const Cidr &cidr)
{
    return std::any_of(networks.begin(), networks.end(),
                       [&](const Cidr &c) { return c.contains(cidr); });
}

std::string_view directionName(PolicyDirection direction)
{
    return direction == PolicyDirection::Ingress ? "ingress" : "egress";
}

} // namespace

std::string_view verdictTierName(VerdictTier tier)
{
    switch (tier) {
    case VerdictTier::Admin: return "Admin";
    case VerdictTier::NetworkPolicy: return "NetworkPolicy";
    case VerdictTier::Baseline: return "Baseline";
    case VerdictTier::Default: return "default";
    }
    return "default";
}

TieredEvaluator::TieredEvaluator(const Inventory &inventory,
                                 const std::vector<NetworkPolicy> &policies,
                                 const std::vector<ClusterNetworkPolicy> &clusterPolicies,
                                 EvaluatorOptions options)
    : m_inventory(inventory)
    , m_np(inventory, policies, options)
    , m_cluster(clusterPolicies)
{
    std::stable_sort(m_cluster.begin(), m_cluster.end(),
                     [](const ClusterNetworkPolicy &a, const ClusterNetworkPolicy &b) {
                         return std::tie(a.tier, a.priority, a.name)
                                < std::tie(b.tier, b.priority, b.name);
                     });
    const size_t n = inventory.workloads.size();
    const size_t words = (n + 63) / 64;
    m_subjectPod.resize(n);
    std::vector<Labels> namespaceLabels(n);
    for (size_t w = 0; w < n; ++w) {
        const Workload &workload = inventory.workloads[w];
        m_subjectPod[w]
            = workload.kind != "Host" && !workload.ns.empty() && !isHostNetworkWorkload(workload);
        if (m_subjectPod[w])
            namespaceLabels[w] = inventory.namespaceLabels(workload.ns);
    }
    const auto selects = [&](const ClusterPeer &peer, size_t w) {
        if (!m_subjectPod[w])
            return false;
        if (peer.kind == ClusterPeer::Kind::Namespaces)
            return peer.namespaceSelector.matches(namespaceLabels[w]);
        if (peer.kind == ClusterPeer::Kind::Pods)
            return peer.namespaceSelector.matches(namespaceLabels[w])
                   && peer.podSelector.matches(inventory.workloads[w].labels);
        return false;
    };
    const auto coveredByNetworks
        = [&](const std::vector<Cidr> &networks, const Workload &workload) {
              bool any = false;
              for (const PodMember &pod : workload.pods) {
                  if (pod.addresses.empty())
                      continue;
                  if (std::none_of(pod.addresses.begin(), pod.addresses.end(),
                                   [&](const IpAddress &a) { return inAny(networks, a); }))
                      return false;
                  any = true;
              }
              return any;
          };
    const auto compileRules = [&](const std::vector<ClusterRule> &rules) {
        std::vector<CompiledRule> out;
        for (const ClusterRule &rule : rules) {
            CompiledRule c;
            c.workloads.assign(words, 0);
            for (const ClusterPeer &peer : rule.peers) {
                if (peer.kind == ClusterPeer::Kind::Networks) {
                    c.networks.insert(c.networks.end(), peer.networks.begin(), peer.networks.end());
                } else if (peer.kind == ClusterPeer::Kind::Nodes) {
                    c.nodes = c.nodes || peer.nodeSelector.matches(Labels{});
                } else {
                    for (size_t w = 0; w < n; ++w) {
                        if (selects(peer, w))
                            setBit(c.workloads, static_cast<int>(w));
                    }
                }
            }
            if (!c.networks.empty()) {
                for (size_t w = 0; w < n; ++w) {
                    if (coveredByNetworks(c.networks, inventory.workloads[w]))
                        setBit(c.workloads, static_cast<int>(w));
                }
            }
            out.push_back(std::move(c));
        }
        return out;
    };
    for (const ClusterNetworkPolicy &policy : m_cluster) {
        CompiledPolicy c;
        c.subjectBits.assign(words, 0);
        for (size_t w = 0; w < n; ++w) {
            if (selects(policy.subject, w)) {
                c.subject.push_back(static_cast<int>(w));
                setBit(c.subjectBits, static_cast<int>(w));
            }
        }
        c.ingress = compileRules(policy.ingress);
        c.egress = compileRules(policy.egress);
        m_compiled.push_back(std::move(c));
    }
}

IndexList TieredEvaluator::subjectWorkloads(size_t clusterPolicyIndex) const
{
    const std::vector<int> &s = m_compiled[clusterPolicyIndex].subject;
    return IndexList{s.data(), s.data() + s.size()};
}

bool TieredEvaluator::isSubjectPod(int workload) const
{
    return workload >= 0 && static_cast<size_t>(workload) < m_subjectPod.size()
           && m_subjectPod[static_cast<size_t>(workload)];
}

int TieredEvaluator::subjectIndex(const Peer &peer) const
{
    return peer.kind == PeerKind::Workload && isSubjectPod(peer.index) ? peer.index : -1;
}

bool TieredEvaluator::portMatches(const ClusterPort &p, Protocol protocol, uint16_t port,
                                  int destinationPod) const
{
    switch (p.kind) {
    case ClusterPort::Kind::Number:
    case ClusterPort::Kind::Range:
        return p.protocol == protocol && port >= p.first && port <= p.last;
    case ClusterPort::Kind::AnyPort: return p.protocol == protocol;
    case ClusterPort::Kind::Named: {
        if (destinationPod < 0)
            return false;
        const ContainerPort *named
            = m_inventory.workloads[static_cast<size_t>(destinationPod)].portNamed(p.name);
        return named && named->protocol == protocol && named->port == port;
    }
    }
    return false;
}

bool TieredEvaluator::networksMatch(const std::vector<Cidr> &networks, const Peer &peer) const
{
    switch (peer.kind) {
    case PeerKind::Workload: return false; // precomputed into the rule's workload bits
    case PeerKind::ExternalNetwork: {
        if (peer.index < 0 || static_cast<size_t>(peer.index) >= m_inventory.externals.size())
            return false;
        const std::vector<Cidr> &cidrs
            = m_inventory.externals[static_cast<size_t>(peer.index)].cidrs;
        return !cidrs.empty() && std::all_of(cidrs.begin(), cidrs.end(), [&](const Cidr &c) {
            return inAny(networks, c);
        });
    }
    case PeerKind::Node:
    case PeerKind::External:
    case PeerKind::Unattributed: return inAny(networks, peer.address);
    }
    return false;
}

bool TieredEvaluator::ruleMatches(const ClusterRule &rule, const CompiledRule &compiled,
                                  const Peer &other, Protocol protocol, uint16_t port,
                                  int destinationPod) const
{
    if (!rule.ports.empty()
        && std::none_of(rule.ports.begin(), rule.ports.end(), [&](const ClusterPort &p) {
               return portMatches(p, protocol, port, destinationPod);
           }))
        return false;
    if (other.kind == PeerKind::Workload && testBit(compiled.workloads, other.index))
        return true;
    if (compiled.nodes && other.kind == PeerKind::Node)
        return true;
    return !compiled.networks.empty() && networksMatch(compiled.networks, other);
}

int TieredEvaluator::firstMatch(size_t policy, PolicyDirection direction, const Peer &other,
                                Protocol protocol, uint16_t port, int destinationPod) const
{
    const ClusterNetworkPolicy &p = m_cluster[policy];
    const CompiledPolicy &c = m_compiled[policy];
    const bool ingress = direction == PolicyDirection::Ingress;
    const std::vector<ClusterRule> &rules = ingress ? p.ingress : p.egress;
    const std::vector<CompiledRule> &compiled = ingress ? c.ingress : c.egress;
    for (size_t r = 0; r < rules.size(); ++r) {
        if (ruleMatches(rules[r], compiled[r], other, protocol, port, destinationPod))
            return static_cast<int>(r);
    }
    return -1;
}

TieredEvaluator::SideDecision TieredEvaluator::decideImpl(const Peer &from, const Peer &to,
                                                          Protocol protocol, uint16_t port,
                                                          PolicyDirection direction,
                                                          const DirectionVerdict *npVerdict,
                                                          std::vector<TierStep> *steps) const
{
    const bool ingress = direction == PolicyDirection::Ingress;
    const Peer &subjectPeer = ingress ? to : from;
    const Peer &other = ingress ? from : to;
    const int subject = subjectIndex(subjectPeer);
    const int destinationPod
        = to.kind == PeerKind::Workload && m_np.isPod(to.index) ? to.index : -1;
    SideDecision d;

    const auto walkTier = [&](PolicyTier tier, VerdictTier verdictTier) -> bool {
        for (size_t p = 0; p < m_cluster.size(); ++p) {
            if (m_cluster[p].tier != tier || !testBit(m_compiled[p].subjectBits, subject))
                continue;
            const int r = firstMatch(p, direction, other, protocol, port, destinationPod);
            if (r < 0) {
                if (steps)
                    steps->push_back(
                        {verdictTier, direction, m_cluster[p].id(),
                         "no " + std::string(directionName(direction)) + " rule matches", false});
                continue;
            }
            const ClusterRule &rule
                = (ingress ? m_cluster[p].ingress : m_cluster[p].egress)[static_cast<size_t>(r)];
            if (steps)
                steps->push_back({verdictTier, direction, m_cluster[p].id(),
                                  clusterRuleLabel(rule, ingress, static_cast<size_t>(r)) + ": "
                                      + std::string(clusterActionName(rule.action)),
                                  rule.action != ClusterAction::Pass});
            if (rule.action == ClusterAction::Pass)
                return false; // on to the next tier
            d = SideDecision{rule.action == ClusterAction::Accept, verdictTier, static_cast<int>(p),
                             r};
            return true;
        }
        return false;
    };

    if (subject < 0 && steps && subjectPeer.kind == PeerKind::Workload
        && m_np.isPod(subjectPeer.index) && !m_cluster.empty())
        steps->push_back(
            {VerdictTier::Admin,
             direction,
             {},
             name(subjectPeer) + " uses the host network: no cluster policy applies to it",
             false});
    const auto tierHolds = [&](PolicyTier tier) {
        for (size_t p = 0; p < m_cluster.size(); ++p) {
            if (m_cluster[p].tier == tier && testBit(m_compiled[p].subjectBits, subject))
                return true;
        }
        return false;
    };
    if (subject >= 0 && walkTier(PolicyTier::Admin, VerdictTier::Admin))
        return d;
    if (steps && subject >= 0 && !m_cluster.empty() && !tierHolds(PolicyTier::Admin))
        steps->push_back({VerdictTier::Admin,
                          direction,
                          {},
                          "no policy's subject holds " + name(subjectPeer),
                          false});
    const bool npIsolated = subjectPeer.kind == PeerKind::Workload && m_np.isPod(subjectPeer.index)
                            && m_np.isolated(subjectPeer.index, direction);
    if (npIsolated) {
        d = SideDecision{m_np.directionAllows(from, to, protocol, port, direction),
                         VerdictTier::NetworkPolicy, -1, -1};
        if (steps && npVerdict) {
            for (const std::string &policy : npVerdict->isolatedBy) {
                std::string allowing;
                for (const std::string &rule : npVerdict->allowedBy) {
                    if (rule.substr(0, rule.find(' ')) == policy)
                        allowing
                            += (allowing.empty() ? "" : ", ") + rule.substr(rule.find(' ') + 1);
                }
                steps->push_back(
                    {VerdictTier::NetworkPolicy, direction, policy,
                     "selects " + name(subjectPeer)
                         + (allowing.empty() ? "; no rule allows it" : "; allowed by " + allowing),
                     !allowing.empty() || !d.allowed});
            }
        }
        return d;
    }
    if (steps)
        steps->push_back({VerdictTier::NetworkPolicy,
                          direction,
                          {},
                          "no NetworkPolicy isolates " + name(subjectPeer) + " for "
                              + std::string(directionName(direction)),
                          false});
    if (subject >= 0 && walkTier(PolicyTier::Baseline, VerdictTier::Baseline))
        return d;
    if (steps && subject >= 0 && !m_cluster.empty() && !tierHolds(PolicyTier::Baseline))
        steps->push_back({VerdictTier::Baseline,
                          direction,
                          {},
                          "no policy's subject holds " + name(subjectPeer),
                          false});
    if (steps)
        steps->push_back({VerdictTier::Default, direction, {}, "no tier decided: allowed", true});
    return SideDecision{};
}

TieredEvaluator::SideDecision TieredEvaluator::decide(const Peer &from, const Peer &to,
                                                      Protocol protocol, uint16_t port,
                                                      PolicyDirection direction) const
{
    return decideImpl(from, to, protocol, port, direction, nullptr, nullptr);
}

bool TieredEvaluator::allows(const Peer &from, const Peer &to, Protocol protocol,
                             uint16_t port) const
{
    if (m_np.ownNode(from, to))
        return true;
    return decideImpl(from, to, protocol, port, PolicyDirection::Egress, nullptr, nullptr).allowed
           && decideImpl(from, to, protocol, port, PolicyDirection::Ingress, nullptr, nullptr)
                  .allowed;
}

std::string TieredEvaluator::name(const Peer &peer) const
{
    return peerName(m_inventory, peer);
}

TieredVerdict TieredEvaluator::evaluate(const Peer &from, const Peer &to, Protocol protocol,
                                        uint16_t port) const
{
    TieredVerdict v;
    v.networkPolicy = m_np.evaluate(from, to, protocol, port);
    if (v.networkPolicy.ownNode) {
        v.ownNode = true;
        v.reason = v.networkPolicy.reason;
        return v;
    }
    const auto side = [&](PolicyDirection direction, const DirectionVerdict &np) {
        const SideDecision d = decideImpl(from, to, protocol, port, direction, &np, &v.steps);
        TieredSide s;
        s.allowed = d.allowed;
        s.tier = d.tier;
        const bool ingress = direction == PolicyDirection::Ingress;
        if (d.policy >= 0) {
            const ClusterNetworkPolicy &p = m_cluster[static_cast<size_t>(d.policy)];
            const ClusterRule &rule = (ingress ? p.ingress : p.egress)[static_cast<size_t>(d.rule)];
            s.policy = p.id();
            s.rule = clusterRuleLabel(rule, ingress, static_cast<size_t>(d.rule));
            s.reason = std::string(verdictTierName(d.tier)) + " tier: " + s.policy + ' ' + s.rule
                       + ' ' + (d.allowed ? "accepts " : "denies ")
                       + std::string(directionName(direction)) + " of " + name(ingress ? to : from);
        } else if (d.tier == VerdictTier::NetworkPolicy) {
            // The first allowing policy and its rules ("ingress[0]"), or the first isolating one.
            s.policy = np.allowed
                           ? (np.allowedBy.empty()
                                  ? std::string()
                                  : np.allowedBy.front().substr(0, np.allowedBy.front().find(' ')))
                           : (np.isolatedBy.empty() ? std::string() : np.isolatedBy.front());
            for (const std::string &rule : np.allowedBy) {
                if (rule.substr(0, rule.find(' ')) == s.policy)
                    s.rule += (s.rule.empty() ? "" : ", ") + rule.substr(rule.find(' ') + 1);
            }
            s.reason = "NetworkPolicy tier: " + np.reason;
        } else {
            s.reason = "no tier decides " + std::string(directionName(direction)) + " of "
                       + name(ingress ? to : from) + ": allowed";
        }
        return s;
    };
    v.egress = side(PolicyDirection::Egress, v.networkPolicy.egress);
    v.ingress = side(PolicyDirection::Ingress, v.networkPolicy.ingress);
    v.allowed = v.egress.allowed && v.ingress.allowed;
    const TieredSide *decisive = nullptr;
    if (!v.egress.allowed
        && !v.ingress.allowed) // both deny: the tier consulted first (Admin) counts
        decisive = v.ingress.tier < v.egress.tier ? &v.ingress : &v.egress;
    else if (!v.egress.allowed)
        decisive = &v.egress;
    else if (!v.ingress.allowed)
        decisive = &v.ingress;
    else if (v.ingress.tier != VerdictTier::Default)
        decisive = &v.ingress;
    else
        decisive = &v.egress;
    v.tier = decisive->tier;
    v.policy = decisive->policy;
    v.rule = decisive->rule;
    if (!v.egress.allowed && !v.ingress.allowed)
        v.reason = v.egress.reason + "; " + v.ingress.reason;
    else
        v.reason = decisive->reason;

    // A tie: another policy of the deciding cluster tier with the same priority applies and its
    // first matching rule acts otherwise.
    if (v.tier == VerdictTier::Admin || v.tier == VerdictTier::Baseline) {
        const bool ingress = decisive == &v.ingress;
        const PolicyDirection direction
            = ingress ? PolicyDirection::Ingress : PolicyDirection::Egress;
        const Peer &subjectPeer = ingress ? to : from;
        const int subject = subjectIndex(subjectPeer);
        const int destinationPod
            = to.kind == PeerKind::Workload && m_np.isPod(to.index) ? to.index : -1;
        const auto it
            = std::find_if(m_cluster.begin(), m_cluster.end(),
                           [&](const ClusterNetworkPolicy &p) { return p.id() == v.policy; });
        if (it != m_cluster.end()) {
            const size_t decided = static_cast<size_t>(it - m_cluster.begin());
            const SideDecision d
                = decideImpl(from, to, protocol, port, direction, nullptr, nullptr);
            const ClusterAction decidedAction
                = (ingress ? it->ingress : it->egress)[static_cast<size_t>(d.rule)].action;
            for (size_t p = 0; p < m_cluster.size(); ++p) {
                if (p == decided || m_cluster[p].tier != it->tier
                    || m_cluster[p].priority != it->priority
                    || !testBit(m_compiled[p].subjectBits, subject))
                    continue;
                const int r
                    = firstMatch(p, direction, ingress ? from : to, protocol, port, destinationPod);
                if (r < 0)
                    continue;
                const ClusterAction other
                    = (ingress ? m_cluster[p].ingress : m_cluster[p].egress)[static_cast<size_t>(r)]
                          .action;
                if (other != decidedAction) {
                    v.priorityTie = true;
                    v.reason += " (" + m_cluster[p].id() + " has the same priority "
                                + std::to_string(it->priority) + " and would "
                                + std::string(clusterActionName(other))
                                + ": implementations may apply either)";
                    break;
                }
            }
        }
    }
    return v;
}

std::vector<uint64_t> TieredEvaluator::ingressCandidates(int workload) const
{
    std::vector<uint64_t> bits = m_np.ingressCandidates(workload);
    if (!isSubjectPod(workload))
        return bits;
    for (size_t p = 0; p < m_cluster.size(); ++p) {
        if (m_cluster[p].tier != PolicyTier::Admin || !testBit(m_compiled[p].subjectBits, workload))
            continue;
        for (size_t r = 0; r < m_cluster[p].ingress.size(); ++r) {
            if (m_cluster[p].ingress[r].action != ClusterAction::Accept)
                continue;
            const std::vector<uint64_t> &w = m_compiled[p].ingress[r].workloads;
            for (size_t i = 0; i < bits.size() && i < w.size(); ++i)
                bits[i] |= w[i];
        }
    }
    return bits;
}

} // namespace bulkhead
