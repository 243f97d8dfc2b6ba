#pragma once

#include "policy/clusternetworkpolicy.h"
#include "util/error.h"
#include "zones/zones.h"

#include <string>
#include <vector>

namespace bulkhead {

struct GuardrailOptions
{
    bool baselineDeny = false; // --baseline-deny: Baseline-tier denies between zones
    bool v1alpha1
        = false; // --guardrails-api v1alpha1: AdminNetworkPolicy / BaselineAdminNetworkPolicy
};

struct GuardrailResult
{
    std::vector<ClusterNetworkPolicy> policies; // Admin tier by priority, then Baseline by priority
    std::vector<std::string> warnings;
};

// Zone rules as cluster-wide guardrails (docs/guardrails.md).
//
// Every (from zone, to zone) pair of levels whose first matching zone rule is a `block` rule is
// denied in the Admin tier: one policy per (block rule, to zone), named
// "bulkhead-<rule>" ("bulkhead-<rule>-<to zone>" when the rule names no to zone), priority 100 +
// the rule's position in the zones file (so rule order is precedence order, and 0-99 stay free for
// the cluster administrator), subject the to zone's pods, one Deny ingress rule whose peers are the
// from zones' pods (at most 25 a rule). A zone's pods are selected by the zone label (matchLabels);
// the default zone's by `NotIn [every other level]`, which also selects the pods without the label
// or with an unknown level, as zone assignment does. Pairs a `flag` rule matches first are left
// alone, as in the intent. With baselineDeny, one Baseline-tier policy per zone denies ingress from
// every other zone, so traffic between zones needs a NetworkPolicy that allows it. Every policy is
// labelled app.kubernetes.io/managed-by: bulkhead and carries comments naming the zone rule.
//
// Errors: a level name that is not a valid label value, more than 900 rules, or baselineDeny with
// v1alpha1 (its single BaselineAdminNetworkPolicy has one subject and cannot say "between zones").
Expected<GuardrailResult> generateGuardrails(const Zones &zones, const GuardrailOptions &options);

// The selector of a zone's pods, as above.
LabelSelector zonePodSelector(const Zones &zones, const std::string &level);

} // namespace bulkhead
