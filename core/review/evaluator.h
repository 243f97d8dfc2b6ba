#pragma once

#include "analysis/peer.h"
#include "inventory/inventory.h"
#include "policy/networkpolicy.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bulkhead {

struct EvaluatorOptions
{
    // Whether an ipBlock matches pod addresses. CNIs differ: some apply ipBlock to pod IPs, others
    // only to traffic from outside the cluster. Off (the stricter reading) by default; a Verdict
    // says when this choice decided the result.
    bool ipBlockMatchesPods = false;
};

enum class PolicyDirection : uint8_t { Ingress, Egress };

// A read-only view of indices (workloads or policies) owned by the evaluator. Not std::span:
// <span> pulls in <concepts>, which Qt 6.4's moc cannot parse when a moc'ed file includes this.
struct IndexList
{
    const int *first = nullptr;
    const int *last = nullptr;
    const int *begin() const { return first; }
    const int *end() const { return last; }
    size_t size() const { return static_cast<size_t>(last - first); }
    bool empty() const { return first == last; }
    int operator[](size_t i) const { return first[i]; }
};

struct DirectionVerdict
{
    bool isolated = false;
    bool allowed = true;
    std::vector<std::string>
        allowedBy; // "ns/name ingress[0]" of each rule that allows, in policy order
    std::vector<std::string> isolatedBy; // "ns/name" of the policies that isolate, sorted
    std::string reason;
};

struct Verdict
{
    bool allowed = true;
    DirectionVerdict egress, ingress;
    bool ownNode = false;
    bool ipBlockChoiceMattered
        = false;        // the other ipBlockMatchesPods setting would give the opposite result
    std::string reason; // e.g. "shop/cart isolated for ingress by shop/deny-all; no rule allows it"
};

// Applies Kubernetes NetworkPolicy semantics to a connection between two peers (docs/semantics.md
// "Reviewing existing policies").
//
// A connection is allowed iff the source's egress allows it (or the source is not isolated for
// egress, or is not a pod) and the destination's ingress allows it (or it is not isolated for
// ingress, or is not a pod). A pod is isolated for a direction iff some policy of its namespace
// selects it and has that direction among its (effective) policyTypes. Traffic between a pod and
// its own node is always allowed.
//
// Peers: a Workload is a pod set (kind "Host", a non-Kubernetes host of the native inventory, is
// not a pod: no policy selects it, no pod/namespace selector matches it, ipBlocks match its
// addresses; the same holds for workloads on the host network, as CNIs treat them). Node, External
// and Unattributed peers are their address. Choices where Kubernetes speaks of pods and the model
// of workloads:
//  - an ipBlock matches a workload (a Host always; a pod only with ipBlockMatchesPods) when every
//    pod that has an address has one inside cidr and outside every except;
//  - an ExternalNetwork matches an ipBlock when cidr contains every declared CIDR of the network
//    and no except overlaps any of them (a network without CIDRs matches no ipBlock): a rule
//    allows a named network only if it allows all of it;
//  - "own node": a Node peer whose address is the hostIp of any pod of the workload;
//  - named ports resolve on the destination workload's declared container ports (name and
//    protocol), in both directions; they never match a non-pod destination.
//
// Construction precomputes which workloads each policy selects and, per rule, which workloads its
// selector peers match (a bitset), so allows() costs O(rules of the policies isolating the two
// ends) and allocates nothing. The evaluator keeps a reference to the inventory (it must outlive
// the evaluator) and a copy of the policies.
class PolicyEvaluator
{
public:
    PolicyEvaluator(const Inventory &inventory, const std::vector<NetworkPolicy> &policies,
                    EvaluatorOptions options = {});

    // The full verdict with reasons (allocates the strings).
    Verdict evaluate(const Peer &from, const Peer &to, Protocol protocol, uint16_t port) const;
    // Only the answer of evaluate(...).allowed; allocates nothing. For blast radius and excess
    // scans.
    bool allows(const Peer &from, const Peer &to, Protocol protocol, uint16_t port) const;

    // One side of allows(): the source's egress (Egress) or the destination's ingress (Ingress);
    // true when that side is not a pod or not isolated. Own-node traffic is the caller's to test
    // (ownNode). Allocates nothing. For the tiered evaluator (review/tieredevaluator.h).
    bool directionAllows(const Peer &from, const Peer &to, Protocol protocol, uint16_t port,
                         PolicyDirection direction) const;
    bool ownNode(const Peer &from, const Peer &to) const { return isOwnNode(from, to); }

    const std::vector<NetworkPolicy> &policies() const { return m_policies; }
    const EvaluatorOptions &options() const { return m_options; }

    // Workload indices (ascending) that policy `policyIndex` selects.
    IndexList selectedWorkloads(size_t policyIndex) const;
    // Policy indices (ascending) that isolate `workload` for `direction`; empty when not isolated
    // or not a pod.
    IndexList isolatingPolicies(int workload, PolicyDirection direction) const;
    bool isolated(int workload, PolicyDirection direction) const
    {
        return !isolatingPolicies(workload, direction).empty();
    }
    // Whether the workload is a pod set (policies apply) rather than a non-Kubernetes host.
    bool isPod(int workload) const;
    // For scans over every source: a bitset over workload indices (bit i of word i / 64)
    // holding every workload an ingress rule isolating `workload` could let in, a superset to
    // confirm with allows(); every workload when `workload` is not isolated for ingress.
    std::vector<uint64_t> ingressCandidates(int workload) const;

private:
    struct CompiledRule
    {
        const PolicyRule *rule = nullptr;
        int index = 0;                  // position in spec.ingress / spec.egress
        bool allPeers = false;          // no `from` / `to`, or an empty list
        bool allPorts = false;          // no `ports`, or an empty list
        std::vector<uint64_t> selected; // workloads matched by the rule's selector peers (bitset)
        std::vector<const IpBlock *> ipBlocks;
    };
    struct CompiledPolicy
    {
        std::vector<int> selected; // workloads the policy selects
        std::vector<CompiledRule> ingress;
        std::vector<CompiledRule> egress;
    };
    // The outcome of one direction: matched without ipBlock-on-pod-IP, or only through it.
    struct Match
    {
        bool strict = false;
        bool viaPodIp = false;
    };

    Match ruleMatches(const CompiledRule &rule, const Peer &other, Protocol protocol, uint16_t port,
                      int destinationPod) const;
    Match directionMatches(int subject, PolicyDirection direction, const Peer &other,
                           Protocol protocol, uint16_t port, int destinationPod) const;
    DirectionVerdict explainDirection(const Peer &subject, PolicyDirection direction,
                                      const Peer &other, Protocol protocol, uint16_t port,
                                      int destinationPod, bool podIps) const;
    bool portMatches(const PolicyPort &policyPort, Protocol protocol, uint16_t port,
                     int destinationPod) const;
    bool ipBlockMatchesPeer(const IpBlock &block, const Peer &peer) const;
    bool ipBlocksMatchPeer(const std::vector<const IpBlock *> &blocks, const Peer &peer) const;
    bool ipBlockMatchesWorkload(const IpBlock &block, const Workload &workload) const;
    bool isOwnNode(const Peer &a, const Peer &b) const;
    int podIndex(const Peer &peer) const; // the workload index when the peer is a pod set, else -1
    std::string name(const Peer &peer) const;

    const Inventory &m_inventory;
    std::vector<NetworkPolicy> m_policies;
    EvaluatorOptions m_options;
    std::vector<CompiledPolicy> m_compiled;
    std::vector<bool> m_isPod;
    // Per workload, the isolating policies: CSR layout (offsets has workloads + 1 entries).
    std::vector<uint32_t> m_ingressOffsets, m_egressOffsets;
    std::vector<int> m_ingressPolicies, m_egressPolicies;
};

} // namespace bulkhead
