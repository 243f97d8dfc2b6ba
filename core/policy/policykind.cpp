#include "policy/policykind.h"

#include <array>

namespace bulkhead {

namespace {

std::string_view apiGroup(std::string_view apiVersion)
{
    const size_t slash = apiVersion.find('/');
    return slash == std::string_view::npos ? std::string_view() : apiVersion.substr(0, slash);
}

// API groups whose objects are network policies (or parts of one, such as Calico tiers and Antrea
// cluster groups) in the CNIs and meshes users run.
bool isNetworkPolicyGroup(std::string_view group)
{
    static constexpr std::array<std::string_view, 12> groups
        = {"networking.k8s.io",    "policy.networking.k8s.io", "cilium.io",
           "projectcalico.org",    "crd.projectcalico.org",    "crd.antrea.io",
           "security.antrea.io",   "k8s.cni.cncf.io",          "k8s.ovn.org",
           "network.openshift.io", "security.istio.io",        "networking.gke.io"};
    for (std::string_view g : groups) {
        if (group == g)
            return true;
    }
    return false;
}

} // namespace

PolicyKindSupport policyKindSupport(std::string_view apiVersion, std::string_view kind)
{
    if (kind == "List" || kind == "NetworkPolicyList")
        return PolicyKindSupport::List;
    const std::string_view group = apiGroup(apiVersion);
    // A NetworkPolicy of the core API, or one whose apiVersion is missing or misspelt in that API
    // (the reader says what is wrong with it). Calico's and Antrea's NetworkPolicy live in other
    // groups and are not evaluated.
    if (kind == "NetworkPolicy" && (group.empty() || group == "networking.k8s.io"))
        return PolicyKindSupport::Evaluated;
    if (kind.ends_with("Policy") || isNetworkPolicyGroup(group))
        return PolicyKindSupport::NotEvaluated;
    return PolicyKindSupport::NotAPolicy;
}

} // namespace bulkhead
