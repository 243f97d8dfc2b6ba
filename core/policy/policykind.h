#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bulkhead {

// What Bulkhead does with one object found in a policy file: the single place that decides which
// kinds of policy are evaluated (docs/unsupported-kinds.md describes the contract).
enum class PolicyKindSupport : uint8_t {
    Evaluated,    // read, validated and evaluated (networking.k8s.io NetworkPolicy)
    List,         // a List or NetworkPolicyList: its items are read one by one
    NotEvaluated, // a network policy of another API (Cilium, Calico, Antrea, ...): listed, never
                  // hidden
    NotAPolicy,   // any other object (a ConfigMap in a chart's output): skipped with a warning
};

PolicyKindSupport policyKindSupport(std::string_view apiVersion, std::string_view kind);

// A policy object that was read but not evaluated: every verdict computed leaves it out.
struct NotEvaluatedPolicy
{
    std::string policy;     // "namespace/name", or "name" when the object names no namespace
    std::string kind;       // CiliumNetworkPolicy, GlobalNetworkPolicy, ...
    std::string apiVersion; // cilium.io/v2, projectcalico.org/v3, ...
    std::string file;
    int line = 0;
};

} // namespace bulkhead
