#include "policy/clusternetworkpolicy.h"

#include <algorithm>

namespace bulkhead {

std::string ClusterNetworkPolicy::id() const
{
    return std::string(clusterPolicyKindName(kind)) + '/' + name;
}

std::string_view clusterPolicyKindName(ClusterPolicyKind kind)
{
    switch (kind) {
    case ClusterPolicyKind::ClusterNetworkPolicy: return "ClusterNetworkPolicy";
    case ClusterPolicyKind::AdminNetworkPolicy: return "AdminNetworkPolicy";
    case ClusterPolicyKind::BaselineAdminNetworkPolicy: return "BaselineAdminNetworkPolicy";
    }
    return "ClusterNetworkPolicy";
}

std::string_view clusterPolicyApiVersion(ClusterPolicyKind kind)
{
    return kind == ClusterPolicyKind::ClusterNetworkPolicy ? "policy.networking.k8s.io/v1alpha2"
                                                           : "policy.networking.k8s.io/v1alpha1";
}

std::string_view policyTierName(PolicyTier tier)
{
    return tier == PolicyTier::Admin ? "Admin" : "Baseline";
}

std::string_view clusterActionName(ClusterAction action, bool v1alpha1)
{
    switch (action) {
    case ClusterAction::Accept: return v1alpha1 ? "Allow" : "Accept";
    case ClusterAction::Deny: return "Deny";
    case ClusterAction::Pass: return "Pass";
    }
    return "Deny";
}

std::string clusterRuleLabel(const ClusterRule &rule, bool ingress, size_t index)
{
    std::string out
        = std::string(ingress ? "ingress" : "egress") + '[' + std::to_string(index) + ']';
    if (!rule.name.empty())
        out += " \"" + rule.name + '"';
    return out;
}

bool isHostNetworkWorkload(const Workload &workload)
{
    if (workload.kind == "Host")
        return false;
    // spec.hostNetwork as the inventory read it; failing that (a native inventory), every pod
    // address being its node's.
    bool any = false;
    bool declared = false;
    for (const PodMember &pod : workload.pods) {
        if (pod.hostNetwork)
            declared = true;
        if (pod.addresses.empty())
            continue;
        if (!pod.hostIp
            || std::find(pod.addresses.begin(), pod.addresses.end(), *pod.hostIp)
                   == pod.addresses.end())
            return declared;
        any = true;
    }
    return any || declared;
}

} // namespace bulkhead
