#pragma once

#include "inventory/inventory.h"
#include "policy/networkpolicy.h"

#include <string>
#include <vector>

namespace bulkhead {

struct GenerateOptions;

// What one generated policy selects: a set of pod workloads of one namespace and a selector that
// selects exactly their pods among the inventory's pods of that namespace. Workload granularity
// makes one target per workload (or per group of workloads no label tells apart); zone
// granularity one per (namespace, zone label value), plus one for the pods without the label.
struct PolicyTarget
{
    std::string ns;
    std::string baseName; // policy name before DNS-1123 shortening and collision handling
    LabelSelector selector;
    std::vector<int> members;          // Inventory::workloads indices, sorted by workload id
    std::vector<std::string> comments; // written above the policy
};

struct TargetPartition
{
    std::vector<PolicyTarget> targets; // sorted by (ns, baseName)
    std::vector<int> targetOf;         // per workload; -1 for workloads that are not pods
    std::vector<std::string> warnings;
};

// One target per workload, or per group of indistinguishable workloads (policy/selector.h).
TargetPartition workloadTargets(const Inventory &inventory);
// One target per (namespace, value of options.zoneLabelKey), and one per namespace for the pods
// without that label (selected with DoesNotExist).
TargetPartition zoneTargets(const Inventory &inventory, const GenerateOptions &options);

} // namespace bulkhead
