#pragma once

#include "policy/ciliumnetworkpolicy.h"
#include "policy/clusternetworkpolicy.h"
#include "policy/networkpolicy.h"
#include "policy/policykind.h"
#include "util/error.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// Far more than any set of policies needs; yaml-cpp needs tens of bytes of memory per byte.
inline constexpr size_t MaxPolicyFileBytes = size_t(64) << 20;

// Reads users' networking.k8s.io/v1 NetworkPolicies (docs/semantics.md "Reviewing existing
// policies") and validates them as the API server does (ValidateNetworkPolicySpec plus what the
// JSON schema checks), collecting every problem instead of stopping at the first.
//
// Accepted: one document, several documents (---), `kind: List` and `kind: NetworkPolicyList`
// (their `items`; a NetworkPolicyList's items may leave out apiVersion and kind, as the API server
// does). Network policies of other APIs (Cilium, Calico, Antrea, ...: policyKindSupport()) are
// not evaluated: they go to `notEvaluated`, or become warnings when the caller passes none.
// Documents and items of other kinds are skipped with a warning; empty documents are ignored.
// metadata.namespace defaults to "default". Unknown fields are problems, since a misspelt key
// (`matchLabel:`) would silently widen a selector. Strings written as plain YAML numbers or
// booleans (`version: 2`, `env: on`) are problems, as kubectl rejects them.
//
// Defaulting, as Kubernetes does it: an absent or empty policyTypes means Ingress, plus Egress
// when spec.egress has at least one rule; a missing protocol means TCP (left unset in PolicyPort,
// see effectiveProtocol()); a missing or null podSelector is the empty selector (all pods).
// A policy defined twice (same namespace/name) keeps the later definition, with a warning.
// Policies come out sorted by (namespace, name).
//
// On any problem the result is an Error: file and line of the first problem, and a message with
// one problem per line. The first line is "document 2 (shop/deny): spec.ingress[0].from[1]:
// must not set both ipBlock and podSelector"; every further line carries its own
// "file:line: " prefix, so Error::toString() prints every line in the same form. YAML syntax
// errors are an Error with the file and line of the parser's complaint.
Expected<std::vector<NetworkPolicy>>
loadPoliciesText(std::string_view yaml, const std::string &fileName,
                 std::vector<std::string> *warnings = nullptr,
                 std::vector<NotEvaluatedPolicy> *notEvaluated = nullptr);
Expected<std::vector<NetworkPolicy>>
loadPoliciesFile(const std::string &path, std::vector<std::string> *warnings = nullptr,
                 std::vector<NotEvaluatedPolicy> *notEvaluated = nullptr);
// Several files, in order; problems of every file are reported together (the Error names the
// first file with a problem).
Expected<std::vector<NetworkPolicy>>
loadPolicyFiles(const std::vector<std::string> &paths, std::vector<std::string> *warnings = nullptr,
                std::vector<NotEvaluatedPolicy> *notEvaluated = nullptr);

// NetworkPolicies and the cluster-scoped tiers around them (policy/clusterpolicyreader.h):
// ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1.
struct PolicySet
{
    std::vector<NetworkPolicy> networkPolicies; // as loadPolicyFiles returns them
    std::vector<ClusterNetworkPolicy>
        clusterPolicies; // sorted by id(); a later (kind, name) replaces
    // Only when asked for (withCilium): CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy
    // (policy/ciliumpolicyreader.h), sorted by id(); a later definition replaces. Otherwise they
    // are not evaluated, as other APIs' policies.
    std::vector<CiliumNetworkPolicy> ciliumPolicies;
};

// As loadPolicyFiles, also reading the cluster-scoped kinds (validated the same way: every
// problem of every file with its document, field path and line).
// Policies of kinds Bulkhead does not evaluate go to notEvaluated, as for loadPolicyFiles.
Expected<PolicySet> loadPolicySetText(std::string_view yaml, const std::string &fileName,
                                      std::vector<std::string> *warnings = nullptr,
                                      std::vector<NotEvaluatedPolicy> *notEvaluated = nullptr,
                                      bool withCilium = false);
Expected<PolicySet> loadPolicySetFiles(const std::vector<std::string> &paths,
                                       std::vector<std::string> *warnings = nullptr,
                                       std::vector<NotEvaluatedPolicy> *notEvaluated = nullptr,
                                       bool withCilium = false);

} // namespace bulkhead
