#pragma once

#include "inventory/inventory.h"

#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// Which pod labels select which workload (docs/semantics.md "Generated policies", Selectors).
//
// For every workload the plan holds the smallest set of its pod labels that selects its pods and
// no other workload's pods in the same namespace. Keys are tried in a fixed priority order
// (selectorKeyLess); subsets are searched by size first, then by that order, and the search is
// bounded (kMaxSubsetSize, kMaxCandidates). When the bound is hit, the workload's full set of
// usable labels is used: still exact, only longer.
//
// Workloads no label set can tell apart (one's usable labels are a subset of another's, or a
// workload has no usable label at all and shares its namespace) form one policy TARGET: every
// member gets the same selector, one that selects all of them and nothing else of the inventory.
// A lone workload without usable labels gets the empty selector {} (the whole namespace, which is
// exactly that workload). Each such case gives a warning naming the workloads.
//
// Workloads of kind "Host" (native inventory, not pods), on the host network (a NetworkPolicy
// neither isolates nor selects them: docs/node-boundary.md) or without a namespace are not pods:
// they get no selector (an empty Labels, target -1) and are ignored when telling pods apart.
struct SelectorPlan
{
    std::vector<Labels> selectorOf; // per workload (Inventory::workloads index): matchLabels
    std::vector<int> targetOf;      // per workload: target group id, -1 for non-pod workloads
    std::vector<std::vector<int>> targets; // per target id: its workloads, sorted by index
    std::vector<std::string> warnings;     // sorted, deterministic

    bool isGrouped(int workload) const
    {
        const int t = targetOf[static_cast<size_t>(workload)];
        return t >= 0 && targets[static_cast<size_t>(t)].size() > 1;
    }
};

inline constexpr int kMaxSubsetSize = 4;
inline constexpr long kMaxCandidates = 1L << 16; // subsets tried per workload, at most

// Labels that never go into a selector: controller bookkeeping that differs per pod or per rollout.
bool isForbiddenSelectorKey(std::string_view key);
// Selector key priority: app.kubernetes.io/name, app.kubernetes.io/instance,
// app.kubernetes.io/component, app, k8s-app, name, version, then the rest alphabetically.
bool selectorKeyLess(const std::string &a, const std::string &b);
// True for workloads that are pods (can be selected by a podSelector).
bool isPodWorkload(const Workload &workload);

SelectorPlan planSelectors(const Inventory &inventory);

} // namespace bulkhead
