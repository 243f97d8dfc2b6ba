#include "review/evaluator.h"

#include "review/decisionpeermatch.h"

#include <algorithm>
#include <map>

namespace bulkhead {

namespace {

bool testBit(const std::vector<uint64_t> &bits, int i)
{
    const size_t word = static_cast<size_t>(i) / 64;
    return word < bits.size() && (bits[word] >> (static_cast<size_t>(i) % 64)) & 1u;
}

void setBit(std::vector<uint64_t> &bits, int i)
{
    bits[static_cast<size_t>(i) / 64] |= uint64_t(1) << (static_cast<size_t>(i) % 64);
}

bool inIpBlock(const IpBlock &block, const IpAddress &address)
{
    if (!block.cidr.contains(address))
        return false;
    return std::none_of(block.except.begin(), block.except.end(),
                        [&](const Cidr &except) { return except.contains(address); });
}

bool overlaps(const Cidr &a, const Cidr &b)
{
    return a.contains(b) || b.contains(a);
}

std::string_view directionName(PolicyDirection direction)
{
    return direction == PolicyDirection::Ingress ? "ingress" : "egress";
}

std::string joined(const std::vector<std::string> &items, std::string_view separator)
{
    std::string out;
    for (const std::string &item : items) {
        if (!out.empty())
            out += separator;
        out += item;
    }
    return out;
}

} // namespace

PolicyEvaluator::PolicyEvaluator(const Inventory &inventory,
                                 const std::vector<NetworkPolicy> &policies,
                                 EvaluatorOptions options)
    : m_inventory(inventory)
    , m_policies(policies)
    , m_options(options)
{
    const size_t workloadCount = inventory.workloads.size();
    const size_t words = (workloadCount + 63) / 64;
    m_isPod.resize(workloadCount);
    // Pod workloads by namespace, ascending: a selector peer's namespace selector is evaluated once
    // per namespace, and its pod selector only on the workloads of the namespaces it matches.
    struct Namespace
    {
        Labels labels;
        std::vector<int> workloads;
    };
    std::map<std::string, Namespace> namespaces;
    for (size_t w = 0; w < workloadCount; ++w) {
        const Workload &workload = inventory.workloads[w];
        // A host-network pod is no pod to a NetworkPolicy: no policy isolates it, no selector
        // matches it, ipBlocks match its (node) address.
        m_isPod[w] = workload.kind != "Host" && !workload.onHostNetwork();
        if (!m_isPod[w])
            continue;
        auto it = namespaces.find(workload.ns);
        if (it == namespaces.end())
            it = namespaces
                     .emplace(workload.ns, Namespace{inventory.namespaceLabels(workload.ns), {}})
                     .first;
        it->second.workloads.push_back(static_cast<int>(w));
    }

    std::vector<std::vector<int>> ingressOf(workloadCount), egressOf(workloadCount);
    m_compiled.resize(m_policies.size());
    for (size_t p = 0; p < m_policies.size(); ++p) {
        const NetworkPolicy &policy = m_policies[p];
        CompiledPolicy &compiled = m_compiled[p];
        if (const auto own = namespaces.find(policy.ns); own != namespaces.end()) {
            for (const int w : own->second.workloads) {
                if (policy.podSelector.matches(
                        inventory.workloads[static_cast<size_t>(w)].labels)) {
                    compiled.selected.push_back(w);
                    if (policy.hasIngressType)
                        ingressOf[static_cast<size_t>(w)].push_back(static_cast<int>(p));
                    if (policy.hasEgressType)
                        egressOf[static_cast<size_t>(w)].push_back(static_cast<int>(p));
                }
            }
        }
        const auto compileRules
            = [&](const std::vector<PolicyRule> &rules, std::vector<CompiledRule> &out) {
                  for (size_t r = 0; r < rules.size(); ++r) {
                      const PolicyRule &rule = rules[r];
                      CompiledRule c;
                      c.rule = &rule;
                      c.index = static_cast<int>(r);
                      c.allPeers = rule.peers.empty();
                      c.allPorts = rule.ports.empty();
                      for (const PolicyPeer &peer : rule.peers) {
                          if (peer.ipBlock) {
                              c.ipBlocks.push_back(&*peer.ipBlock);
                              continue;
                          }
                          if (c.selected.empty())
                              c.selected.assign(words, 0);
                          if (!peer.podSelector && !peer.namespaceSelector)
                              continue; // selects nothing
                          for (const auto &[ns, members] : namespaces) {
                              // namespaceSelector: the namespaces it matches; podSelector alone:
                              // the policy's own.
                              if (peer.namespaceSelector
                                      ? !peer.namespaceSelector->matches(members.labels)
                                      : ns != policy.ns)
                                  continue;
                              for (const int w : members.workloads) {
                                  if (!peer.podSelector
                                      || peer.podSelector->matches(
                                          inventory.workloads[static_cast<size_t>(w)].labels))
                                      setBit(c.selected, w);
                              }
                          }
                      }
                      out.push_back(std::move(c));
                  }
              };
        if (policy.hasIngressType)
            compileRules(policy.ingress, compiled.ingress);
        if (policy.hasEgressType)
            compileRules(policy.egress, compiled.egress);
    }

    const auto flatten = [](const std::vector<std::vector<int>> &lists,
                            std::vector<uint32_t> &offsets, std::vector<int> &flat) {
        offsets.assign(1, 0);
        for (const std::vector<int> &list : lists) {
            flat.insert(flat.end(), list.begin(), list.end());
            offsets.push_back(static_cast<uint32_t>(flat.size()));
        }
    };
    flatten(ingressOf, m_ingressOffsets, m_ingressPolicies);
    flatten(egressOf, m_egressOffsets, m_egressPolicies);
}

IndexList PolicyEvaluator::selectedWorkloads(size_t policyIndex) const
{
    if (policyIndex >= m_compiled.size())
        return {};
    const std::vector<int> &selected = m_compiled[policyIndex].selected;
    return IndexList{selected.data(), selected.data() + selected.size()};
}

IndexList PolicyEvaluator::isolatingPolicies(int workload, PolicyDirection direction) const
{
    if (workload < 0 || static_cast<size_t>(workload) >= m_isPod.size())
        return {};
    const auto &offsets
        = direction == PolicyDirection::Ingress ? m_ingressOffsets : m_egressOffsets;
    const auto &flat = direction == PolicyDirection::Ingress ? m_ingressPolicies : m_egressPolicies;
    const size_t w = static_cast<size_t>(workload);
    return IndexList{flat.data() + offsets[w], flat.data() + offsets[w + 1]};
}

bool PolicyEvaluator::isPod(int workload) const
{
    return workload >= 0 && static_cast<size_t>(workload) < m_isPod.size()
           && m_isPod[static_cast<size_t>(workload)];
}

int PolicyEvaluator::podIndex(const Peer &peer) const
{
    return peer.kind == PeerKind::Workload && isPod(peer.index) ? peer.index : -1;
}

bool PolicyEvaluator::portMatches(const PolicyPort &policyPort, Protocol protocol, uint16_t port,
                                  int destinationPod) const
{
    const Protocol policyProtocol = policyPort.effectiveProtocol();
    if (policyProtocol != protocol)
        return false;
    if (!policyPort.port)
        return true; // every port of that protocol
    if (const uint16_t *number = std::get_if<uint16_t>(&*policyPort.port)) {
        const uint16_t last = policyPort.endPort.value_or(*number);
        return port >= *number && port <= last;
    }
    // A named port is resolved on the destination pod's container ports, in both directions.
    if (destinationPod < 0)
        return false;
    // Each pod resolves the name itself: during a rollout old and new pods may differ.
    const auto named = m_inventory.workloads[static_cast<size_t>(destinationPod)].portsNamed(
        std::get<std::string>(*policyPort.port));
    return std::any_of(named.begin(), named.end(), [&](const ContainerPort *p) {
        return p->protocol == policyProtocol && p->port == port;
    });
}

bool PolicyEvaluator::ipBlockMatchesWorkload(const IpBlock &block, const Workload &workload) const
{
    bool any = false;
    for (const PodMember &pod : workload.pods) {
        if (pod.addresses.empty())
            continue;
        if (std::none_of(pod.addresses.begin(), pod.addresses.end(),
                         [&](const IpAddress &a) { return inIpBlock(block, a); }))
            return false;
        any = true;
    }
    return any;
}

bool PolicyEvaluator::ipBlockMatchesPeer(const IpBlock &block, const Peer &peer) const
{
    switch (peer.kind) {
    case PeerKind::Workload:
        if (peer.index < 0 || static_cast<size_t>(peer.index) >= m_inventory.workloads.size())
            return false;
        return ipBlockMatchesWorkload(block,
                                      m_inventory.workloads[static_cast<size_t>(peer.index)]);
    case PeerKind::ExternalNetwork: {
        if (peer.index < 0 || static_cast<size_t>(peer.index) >= m_inventory.externals.size())
            return false;
        const ExternalNetwork &network = m_inventory.externals[static_cast<size_t>(peer.index)];
        if (network.fromDecision) // `world` or a CIDR named by the design
            return ipBlockCoversDecisionNetwork(m_inventory, block, network);
        const std::vector<Cidr> &cidrs = network.cidrs;
        if (cidrs.empty())
            return false;
        return std::all_of(cidrs.begin(), cidrs.end(), [&](const Cidr &cidr) {
            return block.cidr.contains(cidr)
                   && std::none_of(block.except.begin(), block.except.end(),
                                   [&](const Cidr &except) { return overlaps(except, cidr); });
        });
    }
    case PeerKind::Node:
    case PeerKind::External:
    case PeerKind::Unattributed: return inIpBlock(block, peer.address);
    }
    return false;
}

bool PolicyEvaluator::ipBlocksMatchPeer(const std::vector<const IpBlock *> &blocks,
                                        const Peer &peer) const
{
    if (std::any_of(blocks.begin(), blocks.end(),
                    [&](const IpBlock *b) { return ipBlockMatchesPeer(*b, peer); }))
        return true;
    // The peers of one rule are alternatives for each pod: a workload on several addresses (a
    // host-network DaemonSet on every node) is matched when each pod is matched by some ipBlock.
    if (peer.kind != PeerKind::Workload || peer.index < 0
        || static_cast<size_t>(peer.index) >= m_inventory.workloads.size() || blocks.size() < 2)
        return false;
    bool any = false;
    for (const PodMember &pod : m_inventory.workloads[static_cast<size_t>(peer.index)].pods) {
        if (pod.addresses.empty())
            continue;
        const bool covered
            = std::any_of(pod.addresses.begin(), pod.addresses.end(), [&](const IpAddress &a) {
                  return std::any_of(blocks.begin(), blocks.end(),
                                     [&](const IpBlock *b) { return inIpBlock(*b, a); });
              });
        if (!covered)
            return false;
        any = true;
    }
    return any;
}

PolicyEvaluator::Match PolicyEvaluator::ruleMatches(const CompiledRule &rule, const Peer &other,
                                                    Protocol protocol, uint16_t port,
                                                    int destinationPod) const
{
    Match match;
    if (!rule.allPorts) {
        const auto &ports = rule.rule->ports;
        if (std::none_of(ports.begin(), ports.end(), [&](const PolicyPort &p) {
                return portMatches(p, protocol, port, destinationPod);
            }))
            return match;
    }
    if (rule.allPeers) {
        match.strict = true;
        return match;
    }
    const int otherPod = podIndex(other);
    if (otherPod >= 0 && testBit(rule.selected, otherPod)) {
        match.strict = true;
        return match;
    }
    if (rule.ipBlocks.empty())
        return match;
    if (!ipBlocksMatchPeer(rule.ipBlocks, other))
        return match;
    if (otherPod >= 0)
        match.viaPodIp = true; // only counts when ipBlock applies to pod addresses
    else
        match.strict = true;
    return match;
}

PolicyEvaluator::Match PolicyEvaluator::directionMatches(int subject, PolicyDirection direction,
                                                         const Peer &other, Protocol protocol,
                                                         uint16_t port, int destinationPod) const
{
    Match result;
    for (const int p : isolatingPolicies(subject, direction)) {
        const CompiledPolicy &compiled = m_compiled[static_cast<size_t>(p)];
        for (const CompiledRule &rule :
             direction == PolicyDirection::Ingress ? compiled.ingress : compiled.egress) {
            const Match m = ruleMatches(rule, other, protocol, port, destinationPod);
            if (m.strict)
                return m;
            result.viaPodIp = result.viaPodIp || m.viaPodIp;
        }
    }
    return result;
}

bool PolicyEvaluator::isOwnNode(const Peer &a, const Peer &b) const
{
    const Peer *node = a.kind == PeerKind::Node ? &a : (b.kind == PeerKind::Node ? &b : nullptr);
    const Peer *pod = node == &a ? &b : &a;
    if (!node || podIndex(*pod) < 0)
        return false;
    const Workload &workload = m_inventory.workloads[static_cast<size_t>(pod->index)];
    const std::vector<IpAddress> *nodeAddresses = nullptr;
    if (node->index >= 0 && static_cast<size_t>(node->index) < m_inventory.nodes.size())
        nodeAddresses = &m_inventory.nodes[static_cast<size_t>(node->index)].addresses;
    for (const PodMember &member : workload.pods) {
        if (!member.hostIp)
            continue;
        if (*member.hostIp == node->address)
            return true;
        if (nodeAddresses
            && std::find(nodeAddresses->begin(), nodeAddresses->end(), *member.hostIp)
                   != nodeAddresses->end())
            return true;
    }
    return false;
}

std::vector<uint64_t> PolicyEvaluator::ingressCandidates(int workload) const
{
    std::vector<uint64_t> bits((m_inventory.workloads.size() + 63) / 64, 0);
    const auto everyone = [&bits] {
        std::fill(bits.begin(), bits.end(), ~uint64_t(0));
        return bits;
    };
    if (!isolated(workload, PolicyDirection::Ingress))
        return everyone();
    for (const int p : isolatingPolicies(workload, PolicyDirection::Ingress)) {
        for (const CompiledRule &rule : m_compiled[static_cast<size_t>(p)].ingress) {
            if (rule.allPeers || !rule.ipBlocks.empty()) // ipBlocks may match any source
                return everyone();
            for (size_t i = 0; i < bits.size() && i < rule.selected.size(); ++i)
                bits[i] |= rule.selected[i];
        }
    }
    return bits;
}

bool PolicyEvaluator::allows(const Peer &from, const Peer &to, Protocol protocol,
                             uint16_t port) const
{
    if (isOwnNode(from, to))
        return true;
    const int source = podIndex(from);
    const int destination = podIndex(to);
    const auto directionAllows = [&](int subject, PolicyDirection direction, const Peer &other) {
        if (subject < 0 || !isolated(subject, direction))
            return true;
        const Match m = directionMatches(subject, direction, other, protocol, port, destination);
        return m.strict || (m_options.ipBlockMatchesPods && m.viaPodIp);
    };
    return directionAllows(source, PolicyDirection::Egress, to)
           && directionAllows(destination, PolicyDirection::Ingress, from);
}

bool PolicyEvaluator::directionAllows(const Peer &from, const Peer &to, Protocol protocol,
                                      uint16_t port, PolicyDirection direction) const
{
    const int destination = podIndex(to);
    const int subject = direction == PolicyDirection::Egress ? podIndex(from) : destination;
    if (subject < 0 || !isolated(subject, direction))
        return true;
    const Match m
        = directionMatches(subject, direction, direction == PolicyDirection::Egress ? to : from,
                           protocol, port, destination);
    return m.strict || (m_options.ipBlockMatchesPods && m.viaPodIp);
}

std::string PolicyEvaluator::name(const Peer &peer) const
{
    switch (peer.kind) {
    case PeerKind::Workload:
        if (peer.index >= 0 && static_cast<size_t>(peer.index) < m_inventory.workloads.size())
            return m_inventory.workloads[static_cast<size_t>(peer.index)].id();
        break;
    case PeerKind::ExternalNetwork:
        if (peer.index >= 0 && static_cast<size_t>(peer.index) < m_inventory.externals.size())
            return m_inventory.externals[static_cast<size_t>(peer.index)].name;
        break;
    default: break;
    }
    return peer.address.toString();
}

DirectionVerdict PolicyEvaluator::explainDirection(const Peer &subjectPeer,
                                                   PolicyDirection direction, const Peer &other,
                                                   Protocol protocol, uint16_t port,
                                                   int destinationPod, bool podIps) const
{
    DirectionVerdict verdict;
    const std::string subjectName = name(subjectPeer);
    const std::string_view dir = directionName(direction);
    const int subject = podIndex(subjectPeer);
    if (subject < 0) {
        verdict.reason = subjectName + " is not a pod: no " + std::string(dir) + " policy applies";
        return verdict;
    }
    const IndexList isolating = isolatingPolicies(subject, direction);
    if (isolating.empty()) {
        verdict.reason = subjectName + " is not isolated for " + std::string(dir);
        return verdict;
    }
    verdict.isolated = true;
    for (const int p : isolating) {
        const NetworkPolicy &policy = m_policies[static_cast<size_t>(p)];
        verdict.isolatedBy.push_back(policy.id());
        const CompiledPolicy &compiled = m_compiled[static_cast<size_t>(p)];
        for (const CompiledRule &rule :
             direction == PolicyDirection::Ingress ? compiled.ingress : compiled.egress) {
            const Match m = ruleMatches(rule, other, protocol, port, destinationPod);
            if (m.strict || (podIps && m.viaPodIp))
                verdict.allowedBy.push_back(policy.id() + ' ' + std::string(dir) + '['
                                            + std::to_string(rule.index) + ']');
        }
    }
    std::sort(verdict.isolatedBy.begin(), verdict.isolatedBy.end());
    verdict.allowed = !verdict.allowedBy.empty();
    if (verdict.allowed)
        verdict.reason = subjectName + ' ' + std::string(dir) + " allowed by "
                         + joined(verdict.allowedBy, ", ");
    else
        verdict.reason = subjectName + " isolated for " + std::string(dir) + " by "
                         + joined(verdict.isolatedBy, ", ") + "; no rule allows it";
    return verdict;
}

Verdict PolicyEvaluator::evaluate(const Peer &from, const Peer &to, Protocol protocol,
                                  uint16_t port) const
{
    Verdict verdict;
    if (isOwnNode(from, to)) {
        verdict.ownNode = true;
        verdict.allowed = true;
        verdict.reason = "traffic between a pod and its own node is always allowed";
        return verdict;
    }
    const int destination = podIndex(to);
    const bool podIps = m_options.ipBlockMatchesPods;
    verdict.egress
        = explainDirection(from, PolicyDirection::Egress, to, protocol, port, destination, podIps);
    verdict.ingress
        = explainDirection(to, PolicyDirection::Ingress, from, protocol, port, destination, podIps);
    verdict.allowed = verdict.egress.allowed && verdict.ingress.allowed;

    // Would the other reading of ipBlock (pod addresses or not) change the answer?
    const auto allowedWith = [&](bool withPodIps) {
        const auto one
            = [&](const Peer &subjectPeer, PolicyDirection direction, const Peer &other) {
                  const int subject = podIndex(subjectPeer);
                  if (subject < 0 || !isolated(subject, direction))
                      return true;
                  const Match m
                      = directionMatches(subject, direction, other, protocol, port, destination);
                  return m.strict || (withPodIps && m.viaPodIp);
              };
        return one(from, PolicyDirection::Egress, to) && one(to, PolicyDirection::Ingress, from);
    };
    verdict.ipBlockChoiceMattered = allowedWith(!podIps) != verdict.allowed;

    if (verdict.allowed) {
        verdict.reason = verdict.egress.reason + "; " + verdict.ingress.reason;
    } else {
        std::vector<std::string> denials;
        if (!verdict.egress.allowed)
            denials.push_back(verdict.egress.reason);
        if (!verdict.ingress.allowed)
            denials.push_back(verdict.ingress.reason);
        verdict.reason = joined(denials, "; ");
    }
    if (verdict.ipBlockChoiceMattered) {
        verdict.reason
            += podIps
                   ? " (allowed only because an ipBlock covers the pod addresses; CNIs that do not "
                     "apply ipBlock to pods would deny it)"
                   : " (an ipBlock covers the pod addresses: CNIs that apply ipBlock to pods would "
                     "allow it, see ipBlockMatchesPods)";
    }
    return verdict;
}

} // namespace bulkhead
