#pragma once

#include "l7/httprequest.h"
#include "policy/ciliumnetworkpolicy.h"
#include "review/evaluator.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace bulkhead {

// A review's answer for one side or one connection. Undecided: the inventory and the captures do
// not say which Cilium identity a peer has (an address inside the cluster networks that no
// workload holds; a node that hosts some but not all pods of the workload, between `host` and
// `remote-node`): `check` reports it apart, never as a break or an excess.
enum class CiliumDecision : uint8_t { Denied, Allowed, Undecided };

// What the evaluator needs from the captures: names seen for external addresses (DNS answers and
// TLS server names) and which of them were seen resolved (toFQDNs needs a lookup).
struct CiliumNames
{
    std::map<IpAddress, std::vector<std::string>> externalNames;
    std::set<std::string> resolvedNames;
};

struct CiliumSideVerdict
{
    CiliumDecision decision = CiliumDecision::Allowed;
    bool isolated = false;
    std::vector<std::string>
        allowedBy; // "ns/name ingress[0]" of each rule that allows (NetworkPolicies too)
    std::vector<std::string> isolatedBy; // the policies that make the endpoint default-deny, sorted
    std::string deniedBy;                // "ns/name egressDeny[0]" when a deny rule decided
    std::string reason;
};

struct CiliumVerdict
{
    CiliumDecision decision = CiliumDecision::Allowed;
    CiliumSideVerdict egress, ingress;
    std::string reason;
};

// The layer-7 verdict of one observed HTTP request on one side.
struct CiliumHttpVerdict
{
    bool enforced
        = false; // some rule that lets the connection through has rules.http, and none lacks them
    bool allowed = true;
    std::vector<std::string>
        rules; // "ns/name ingress[0]" of the rules whose rules.http were consulted
};

// Applies Cilium's policy semantics (docs/cilium.md "Reviewing CiliumNetworkPolicy") to
// connections between peers, for CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies
// together with the Kubernetes NetworkPolicies Cilium also enforces:
//  - an endpoint (a pod, not on the host network) is default-deny for a direction when a
//    NetworkPolicy isolates it, or a Cilium policy selecting it has rules (or deny rules) in that
//    direction and enableDefaultDeny does not turn it off;
//  - a side is allowed when it is not default-deny, or a rule of any of those policies (of either
//    API) allows it; a matching deny rule (ingressDeny/egressDeny) denies whatever allows it;
//  - the connection is allowed when both sides are; ingress from the node that hosts the pod, or
//    from a host-network workload on it, is always allowed (Cilium's allow-localhost; undecided
//    where the workload is on the node of some of the subject's pods only), egress to it is not.
// Peers and identities: endpoint selectors match pod workloads by their labels, namespace and
// namespace labels; entities world (External, declared and design networks, non-Kubernetes hosts),
// cluster (pods, host-network workloads, nodes), host and remote-node (a node, or a host-network
// workload, by whether it hosts the subject's pods), kube-apiserver (the endpoints of Service
// default/kubernetes), all; CIDR rules match only addresses outside the cluster's identities
// (External, declared networks, non-Kubernetes hosts), never pods or nodes (Cilium's default
// policy-cidr-match-mode); toFQDNs match an External address when a name seen resolved for it
// matches (matchName, or matchPattern where '*' stands for characters within one label).
class CiliumEvaluator
{
public:
    // cidrMatchesNodes: Cilium runs with policy-cidr-match-mode=nodes (CIDR rules and NetworkPolicy
    // ipBlocks match node addresses, host-network pods included); by default they do not.
    CiliumEvaluator(const Inventory &inventory, const std::vector<NetworkPolicy> &networkPolicies,
                    const std::vector<CiliumNetworkPolicy> &policies, CiliumNames names,
                    EvaluatorOptions options = {}, bool cidrMatchesNodes = false);
    ~CiliumEvaluator();

    CiliumDecision decide(const Peer &from, const Peer &to, Protocol protocol, uint16_t port) const;
    CiliumVerdict evaluate(const Peer &from, const Peer &to, Protocol protocol,
                           uint16_t port) const;
    // Layer 7: an observed request (client and server workloads, the server's port) on one side.
    // `path` is what Envoy matches rules.http `path` against: the request's `:path`, its query
    // string included ("/users/4?page=2"); request.path when null.
    CiliumHttpVerdict httpVerdict(const HttpRequestSeen &request, PolicyDirection direction,
                                  const std::string *path = nullptr) const;
    // A superset of the workloads that could be allowed into `workload` (bitset as
    // PolicyEvaluator::ingressCandidates).
    std::vector<uint64_t> ingressCandidates(int workload) const;

    const PolicyEvaluator &networkPolicies() const { return m_np; }
    const std::vector<CiliumNetworkPolicy> &policies() const { return m_policies; }
    // Workloads (ascending) a Cilium policy selects.
    const std::vector<int> &selectedWorkloads(size_t policy) const;

private:
    struct Impl;
    enum class Tri : uint8_t { No, Yes, Unknown };
    CiliumDecision side(int subject, PolicyDirection direction, const Peer &other,
                        Protocol protocol, uint16_t port, CiliumSideVerdict *explain) const;
    Tri ruleMatches(size_t policy, PolicyDirection direction, bool deny, size_t rule, int subject,
                    const Peer &other, Protocol protocol, uint16_t port, std::string *note) const;
    Tri peerMatches(size_t policy, PolicyDirection direction, bool deny, size_t rule, int subject,
                    const Peer &other, std::string *note) const;
    bool portMatches(const CiliumPortRule &p, Protocol protocol, uint16_t port,
                     int destination) const;
    bool isEndpoint(int workload) const;
    bool nodeLike(const Peer &peer) const; // a node, or a pod on the host network
    Tri hostsSubject(int subject, const Peer &other, std::string *note) const;
    // Whether a NetworkPolicy rule without peers (every peer) allows it: what is left of a
    // NetworkPolicy allowance to a node when ipBlocks do not match nodes.
    bool networkPolicyAllowsEveryPeer(const Peer &from, const Peer &to, Protocol protocol,
                                      uint16_t port, PolicyDirection direction) const;

    const Inventory &m_inventory;
    PolicyEvaluator m_np;
    std::vector<CiliumNetworkPolicy> m_policies;
    CiliumNames m_names;
    bool m_cidrMatchesNodes = false;
    std::unique_ptr<Impl> m_impl;
};

std::string_view ciliumDecisionName(CiliumDecision decision); // "denied", "allowed", "undecided"

} // namespace bulkhead
