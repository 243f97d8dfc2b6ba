#pragma once

#include "policy/clusternetworkpolicy.h"

#include <string>
#include <vector>

namespace bulkhead {

// Cluster-scoped policies as YAML the API server accepts with the network-policy-api CRDs, written
// by hand like the NetworkPolicies (policy/policywriter.h: comments above each document, quoting
// per value). ClusterNetworkPolicy is written as v1alpha2 (`protocols`, action Accept);
// AdminNetworkPolicy / BaselineAdminNetworkPolicy as v1alpha1 (`ports`, action Allow, no tier,
// no priority for the Baseline singleton). Selectors are always written in full (`{}` when empty).
std::string writeClusterPolicyYaml(const ClusterNetworkPolicy &policy);
// Multi-document YAML in the given order, "---" between documents.
std::string writeClusterPoliciesYaml(const std::vector<ClusterNetworkPolicy> &policies);

} // namespace bulkhead
