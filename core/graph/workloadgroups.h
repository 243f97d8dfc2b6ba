#pragma once

#include <string>
#include <vector>

namespace bulkhead {

struct Inventory;

// A namespace too big to draw workload by workload (docs/gui.md, "Groups in a big namespace")
// opens on groups of its workloads: by `app.kubernetes.io/part-of`, else by the stem of
// `app.kubernetes.io/name` or `app`, else by the stem of the workload's name ("cart-7d9f",
// "cart2" -> "cart"). Where that still makes more than `limit` groups, the namespace is cut
// into name ranges instead ("svc00000 – svc04980": sorted by name, at most kGroupRangeSize
// each, nor more than `limit`); a group of more than `limit` workloads is cut the same way.
struct WorkloadGroup
{
    std::string title;          // "shop", "svc00000 – svc04980": unique within the namespace
    std::vector<int> workloads; // Inventory::workloads indexes, in inventory order
};

constexpr int kGroupRangeSize = 250;

// The stem of a name: before its last "-<suffix>", else without its trailing digits; the name
// itself when neither leaves anything.
std::string nameStem(const std::string &name);

// The groups of `members` (one namespace's workloads, Inventory::workloads indexes), sorted by
// title; empty when there are at most `limit` members (the namespace is drawn whole).
std::vector<WorkloadGroup> groupWorkloads(const Inventory &inventory,
                                          const std::vector<int> &members, int limit);

} // namespace bulkhead
