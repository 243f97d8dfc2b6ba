#pragma once

#include "policy/networkpolicy.h"

#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// NetworkPolicies as YAML that kubectl applies (docs/semantics.md "Generated policies", Output).
// Written by hand rather than with YAML::Emitter, to place comments (NetworkPolicy::comments above
// a document, PolicyRule::comments above a rule) and to decide quoting per value: a string is
// written plain only when every YAML 1.1 and 1.2 reader takes it back as that same string; anything
// that could read as a bool, null, number or timestamp (yes, on, ~, 080, 1e3, 0x1F, .inf,
// 2024-01-01, "2") is double-quoted.
std::string writePolicyYaml(const NetworkPolicy &policy);
// Multi-document YAML: the policies in the given order, "---" between documents.
std::string writePoliciesYaml(const std::vector<NetworkPolicy> &policies);

// The scalar as it is written: plain when safe, double-quoted otherwise.
std::string yamlScalar(std::string_view value);

} // namespace bulkhead
