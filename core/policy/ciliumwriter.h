#pragma once

#include "policy/ciliumnetworkpolicy.h"

#include <string>
#include <vector>

namespace bulkhead {

// CiliumNetworkPolicies (cilium.io/v2) as YAML that kubectl applies: comments above documents,
// rules and HTTP rules (the evidence), scalars quoted as the NetworkPolicy writer quotes them,
// ports as strings (the CRD's type). A direction with default deny and no rule is written
// `- {}` (an empty rule: selects nothing, and puts the endpoints in default deny).
std::string writeCiliumPolicyYaml(const CiliumNetworkPolicy &policy);
// Multi-document YAML: the policies in the given order, "---" between documents.
std::string writeCiliumPoliciesYaml(const std::vector<CiliumNetworkPolicy> &policies);

} // namespace bulkhead
