#pragma once

#include <string>
#include <vector>

namespace bulkhead {

class PolicyEvaluator;

// A policy that selects no workload of the inventory: it neither isolates nor allows anything,
// which is never what its author meant (typically a namespace-less policy placed in the wrong
// namespace, or a selector with a typo).
struct SelectionWarning
{
    std::string policy; // "ns/name"
    std::string message;
};

struct PolicySelection
{
    size_t policies = 0;                    // how many were given
    size_t selecting = 0;                   // how many select at least one workload
    std::vector<SelectionWarning> warnings; // one per policy that selects nothing, in policy order

    // Given policies of which none selects anything: a review of them would report nothing but
    // "excess", and a gate on it would pass whatever the policies say. An error, not a warning.
    bool noneSelects() const { return policies > 0 && selecting == 0; }
};

PolicySelection policySelection(const PolicyEvaluator &evaluator);
// The sentence for noneSelects(): how many policies, which namespaces, and the usual cause.
std::string noneSelectsMessage(const PolicyEvaluator &evaluator);

} // namespace bulkhead
