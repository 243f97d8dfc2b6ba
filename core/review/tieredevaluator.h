#pragma once

#include "policy/clusternetworkpolicy.h"
#include "review/evaluator.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// Where a decision was taken: the Admin tier (ClusterNetworkPolicy tier Admin, AdminNetworkPolicy),
// the NetworkPolicy tier, the Baseline tier (ClusterNetworkPolicy tier Baseline,
// BaselineAdminNetworkPolicy), or the default (allow) when no tier decided.
enum class VerdictTier : uint8_t { Admin, NetworkPolicy, Baseline, Default };
std::string_view
verdictTierName(VerdictTier tier); // "Admin", "NetworkPolicy", "Baseline", "default"

// One policy consulted for one side of a connection, in evaluation order (check --explain).
struct TierStep
{
    VerdictTier tier = VerdictTier::Default;
    PolicyDirection direction = PolicyDirection::Ingress;
    std::string
        policy; // "ClusterNetworkPolicy/name", "ns/name" of a NetworkPolicy; empty for a note
    std::string outcome;  // "ingress[0] \"deny-public\": Deny", "no rule matches", "allowed by
                          // ingress[1]", ...
    bool decided = false; // this step took the side's decision
};

// The decision of one side: the source's egress or the destination's ingress.
struct TieredSide
{
    bool allowed = true;
    VerdictTier tier = VerdictTier::Default;
    std::string policy; // the deciding policy; empty for the default
    std::string rule;   // the deciding rule ("ingress[0] \"name\""); NetworkPolicy: that policy's
                        // allowing rules ("ingress[0]")
    std::string reason;
};

struct TieredVerdict
{
    bool allowed = true;
    // The decision that counts: the denying side (both deny: the one decided in the earlier tier,
    // egress on a tie), else the side a policy decided (ingress first), else the default.
    VerdictTier tier = VerdictTier::Default;
    std::string policy;
    std::string rule;
    TieredSide egress, ingress;
    bool ownNode = false;
    // Another policy of the deciding tier has the same priority, also applies, and would decide
    // otherwise: the API lets an implementation apply either.
    bool priorityTie = false;
    std::string reason; // names the tier, the policy and the rule
    std::vector<TierStep> steps;
    Verdict networkPolicy; // the NetworkPolicy tier alone, as PolicyEvaluator gives it
};

// Evaluates a connection through the tiers, as the network-policy-api defines them
// (docs/guardrails.md): for each side (the source's egress, the destination's ingress),
//   1. Admin tier policies whose subject holds the pod, by priority (lower first; equal
//      priorities by name), rules in order: the first matching rule decides: Accept allows, Deny
//      denies, Pass skips the rest of the Admin tier;
//   2. NetworkPolicy: if a NetworkPolicy isolates the pod for that side, it decides;
//   3. Baseline tier policies whose subject holds the pod, by priority, first matching rule;
//   4. otherwise allowed.
// The connection is allowed when both sides are. Traffic between a pod and its own node is always
// allowed (as for NetworkPolicy). Subjects and namespaces/pods peers are pods of the inventory
// (not Hosts, not host-network pods); networks peers match by address (every pod address of a
// workload inside, or every CIDR of a declared network, as ipBlock does); nodes peers match
// Node peers whose labels (unknown to the inventory: none) the selector matches. Named ports
// resolve on the destination workload's container ports.
class TieredEvaluator
{
public:
    TieredEvaluator(const Inventory &inventory, const std::vector<NetworkPolicy> &policies,
                    const std::vector<ClusterNetworkPolicy> &clusterPolicies,
                    EvaluatorOptions options = {});

    TieredVerdict evaluate(const Peer &from, const Peer &to, Protocol protocol,
                           uint16_t port) const;
    // evaluate(...).allowed without allocating.
    bool allows(const Peer &from, const Peer &to, Protocol protocol, uint16_t port) const;

    // The decision of one side without strings: the tier, and the cluster policy (an index into
    // clusterPolicies()) and rule index that decided (-1 when not a cluster policy).
    struct SideDecision
    {
        bool allowed = true;
        VerdictTier tier = VerdictTier::Default;
        int policy = -1;
        int rule = -1;
    };
    SideDecision decide(const Peer &from, const Peer &to, Protocol protocol, uint16_t port,
                        PolicyDirection direction) const;

    const PolicyEvaluator &networkPolicies() const { return m_np; }
    // The cluster-scoped policies in evaluation order: Admin by (priority, name), then Baseline.
    const std::vector<ClusterNetworkPolicy> &clusterPolicies() const { return m_cluster; }
    // Workload indices (ascending) a cluster policy's subject holds: what a guardrail fences.
    IndexList subjectWorkloads(size_t clusterPolicyIndex) const;
    // Whether the workload is subject to cluster policies (a pod, not on the host network).
    bool isSubjectPod(int workload) const;
    // As PolicyEvaluator::ingressCandidates, across the tiers: a superset of the sources that
    // could be allowed into `workload`.
    std::vector<uint64_t> ingressCandidates(int workload) const;

private:
    struct CompiledRule
    {
        std::vector<uint64_t>
            workloads; // namespaces/pods peers, and workloads a networks peer covers
        std::vector<Cidr> networks;
        bool nodes = false;
    };
    struct CompiledPolicy
    {
        std::vector<int> subject;
        std::vector<uint64_t> subjectBits;
        std::vector<CompiledRule> ingress, egress;
    };

    int subjectIndex(const Peer &peer) const;
    bool ruleMatches(const ClusterRule &rule, const CompiledRule &compiled, const Peer &other,
                     Protocol protocol, uint16_t port, int destinationPod) const;
    bool portMatches(const ClusterPort &p, Protocol protocol, uint16_t port,
                     int destinationPod) const;
    bool networksMatch(const std::vector<Cidr> &networks, const Peer &peer) const;
    // First matching rule of a policy for a side, or -1.
    int firstMatch(size_t policy, PolicyDirection direction, const Peer &other, Protocol protocol,
                   uint16_t port, int destinationPod) const;
    SideDecision decideImpl(const Peer &from, const Peer &to, Protocol protocol, uint16_t port,
                            PolicyDirection direction, const DirectionVerdict *npVerdict,
                            std::vector<TierStep> *steps) const;
    std::string name(const Peer &peer) const;

    const Inventory &m_inventory;
    PolicyEvaluator m_np;
    std::vector<ClusterNetworkPolicy> m_cluster;
    std::vector<CompiledPolicy> m_compiled;
    std::vector<bool> m_subjectPod;
};

} // namespace bulkhead
