#pragma once

#include "inventory/inventory.h"
#include "policy/networkpolicy.h"
#include "util/ipaddress.h"
#include "util/protocol.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// A C++ model of the cluster-scoped policies evaluated around NetworkPolicy (docs/guardrails.md):
// policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (network-policy-api v0.2.0) and its
// predecessors v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, read into one shape.
// Shared by the guardrail generator (which writes it), the reader and the tiered evaluator.

enum class PolicyTier : uint8_t { Admin, Baseline };

// Accept is v1alpha1's Allow.
enum class ClusterAction : uint8_t { Accept, Deny, Pass };

// Which API object a policy is (read from, or to be written as).
enum class ClusterPolicyKind : uint8_t {
    ClusterNetworkPolicy,       // v1alpha2, tier given by spec.tier
    AdminNetworkPolicy,         // v1alpha1, Admin tier
    BaselineAdminNetworkPolicy, // v1alpha1, Baseline tier, a singleton named "default"
};

// A subject or a peer. Namespaces: every pod of the namespaces namespaceSelector matches. Pods:
// pods podSelector matches in namespaces namespaceSelector matches (v1alpha2 may leave
// namespaceSelector out: every namespace). Networks: addresses inside one of the CIDRs (pods'
// addresses too). Nodes (egress, v1alpha1 and v1alpha2's experimental channel): nodes whose labels
// nodeSelector matches. Host-network pods are never selected by Namespaces or Pods.
struct ClusterPeer
{
    enum class Kind : uint8_t { Namespaces, Pods, Networks, Nodes };
    Kind kind = Kind::Namespaces;
    LabelSelector namespaceSelector;
    LabelSelector podSelector;
    LabelSelector nodeSelector;
    std::vector<Cidr> networks;
};

// One entry of v1alpha2 `protocols` / v1alpha1 `ports`. Number: first == last. Named: the
// destination pod's container port of that name (its protocol is the container port's).
// AnyPort: v1alpha2 `tcp: {}`-like entries that give a protocol without destinationPort.
struct ClusterPort
{
    enum class Kind : uint8_t { Number, Range, Named, AnyPort };
    Kind kind = Kind::Number;
    Protocol protocol = Protocol::TCP;
    uint16_t first = 0;
    uint16_t last = 0;
    std::string name;
};

struct ClusterRule
{
    std::string name; // optional in the API; may be empty
    ClusterAction action = ClusterAction::Deny;
    std::vector<ClusterPeer> peers; // at least one
    std::vector<ClusterPort> ports; // empty: every port and protocol
    int line = 0;                   // where it was read (0 for generated rules)
};

struct ClusterNetworkPolicy
{
    ClusterPolicyKind kind = ClusterPolicyKind::ClusterNetworkPolicy;
    std::string name;
    Labels labels;
    PolicyTier tier = PolicyTier::Admin;
    int priority = 0; // v1alpha1 BaselineAdminNetworkPolicy has none: 0
    ClusterPeer subject;
    std::vector<ClusterRule> ingress;
    std::vector<ClusterRule> egress;
    std::vector<std::string> comments; // written above the document as YAML comments

    std::string sourceFile; // where a loaded policy came from (for messages)
    int sourceLine = 0;

    // "ClusterNetworkPolicy/block-public-to-restricted": cluster-scoped, so the kind names it.
    std::string id() const;
};

std::string_view clusterPolicyKindName(ClusterPolicyKind kind); // "ClusterNetworkPolicy", ...
std::string_view
clusterPolicyApiVersion(ClusterPolicyKind kind);  // "policy.networking.k8s.io/v1alpha2", ...
std::string_view policyTierName(PolicyTier tier); // "Admin" | "Baseline"
// "Accept" | "Deny" | "Pass"; with v1alpha1 = true, Accept is written "Allow".
std::string_view clusterActionName(ClusterAction action, bool v1alpha1 = false);
// "ingress[2] \"deny-from-public\"" or "ingress[2]" for a rule without a name.
std::string clusterRuleLabel(const ClusterRule &rule, bool ingress, size_t index);

// Whether a workload's pods use the node's network (every pod with an address has its node's
// address): the API leaves such pods out of every subject and of namespaces/pods peers.
bool isHostNetworkWorkload(const Workload &workload);

} // namespace bulkhead
