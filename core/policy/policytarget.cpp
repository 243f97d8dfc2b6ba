#include "policy/policytarget.h"

#include "policy/generator.h"
#include "policy/selector.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace bulkhead {

TargetPartition workloadTargets(const Inventory &inventory)
{
    const SelectorPlan plan = planSelectors(inventory);
    TargetPartition out;
    out.warnings = plan.warnings;
    std::vector<size_t> order(plan.targets.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const auto first = [&](size_t t) -> const Workload & {
        return inventory.workloads[static_cast<size_t>(plan.targets[t].front())];
    };
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::tie(first(a).ns, first(a).name) < std::tie(first(b).ns, first(b).name);
    });
    out.targetOf.assign(inventory.workloads.size(), -1);
    for (size_t t : order) {
        PolicyTarget target;
        target.members = plan.targets[t];
        std::sort(target.members.begin(), target.members.end(), [&](int a, int b) {
            return inventory.workloads[static_cast<size_t>(a)].name
                   < inventory.workloads[static_cast<size_t>(b)].name;
        });
        const Workload &w = inventory.workloads[static_cast<size_t>(target.members.front())];
        target.ns = w.ns;
        target.baseName = w.name;
        target.selector.matchLabels = plan.selectorOf[static_cast<size_t>(target.members.front())];
        for (int m : target.members)
            out.targetOf[static_cast<size_t>(m)] = static_cast<int>(out.targets.size());
        out.targets.push_back(std::move(target));
    }
    return out;
}

TargetPartition zoneTargets(const Inventory &inventory, const GenerateOptions &options)
{
    const std::string &key = options.zoneLabelKey;
    // (namespace, label value or nullopt for "no label") -> workloads
    std::map<std::pair<std::string, std::optional<std::string>>, std::vector<int>> units;
    TargetPartition out;
    out.targetOf.assign(inventory.workloads.size(), -1);
    for (size_t i = 0; i < inventory.workloads.size(); ++i) {
        const Workload &w = inventory.workloads[i];
        if (!isPodWorkload(w))
            continue;
        auto it = w.labels.find(key);
        std::optional<std::string> value;
        if (it != w.labels.end()) {
            value = it->second;
            if (!w.zone.empty() && w.zone != it->second) {
                out.warnings.push_back(
                    "workload " + w.id() + " is in zone " + w.zone + " but its pod label " + key
                    + " says " + it->second
                    + ": zone policies select pods by the label, so it is policed as "
                    + it->second);
            }
        }
        units[{w.ns, value}].push_back(static_cast<int>(i));
    }
    for (auto &[unit, members] : units) {
        const auto &[ns, value] = unit;
        PolicyTarget target;
        target.ns = ns;
        std::sort(members.begin(), members.end(), [&](int a, int b) {
            return inventory.workloads[static_cast<size_t>(a)].name
                   < inventory.workloads[static_cast<size_t>(b)].name;
        });
        target.members = members;
        if (value) {
            target.baseName = "zone-" + *value;
            target.selector.matchLabels = {{key, *value}};
        } else {
            target.baseName = "zone-unlabelled";
            target.selector.matchExpressions.push_back(LabelSelectorRequirement{
                key, LabelSelectorRequirement::Operator::DoesNotExist, {}});
            std::set<std::string> zones;
            for (int m : members)
                zones.insert(inventory.workloads[static_cast<size_t>(m)].zone);
            std::string zoneText;
            for (const std::string &z : zones)
                zoneText
                    += (zoneText.empty() ? "" : ", ") + (z.empty() ? std::string("unassigned") : z);
            target.comments.push_back(
                "Selects the pods without the label " + key + " (zone from the default: " + zoneText
                + "); a label selector cannot name a default, so this uses DoesNotExist.");
        }
        std::string names;
        for (int m : members)
            names += (names.empty() ? "" : ", ") + inventory.workloads[static_cast<size_t>(m)].name;
        target.comments.push_back("Zone policy for workloads: " + names + '.');
        const int id = static_cast<int>(out.targets.size());
        for (int m : members)
            out.targetOf[static_cast<size_t>(m)] = id;
        out.targets.push_back(std::move(target));
    }
    // Already sorted by (ns, label value) with "no label" first; order by (ns, baseName) as
    // promised.
    std::vector<size_t> order(out.targets.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::tie(out.targets[a].ns, out.targets[a].baseName)
               < std::tie(out.targets[b].ns, out.targets[b].baseName);
    });
    std::vector<int> newId(order.size());
    std::vector<PolicyTarget> sorted;
    for (size_t i = 0; i < order.size(); ++i) {
        newId[order[i]] = static_cast<int>(i);
        sorted.push_back(std::move(out.targets[order[i]]));
    }
    for (int &t : out.targetOf) {
        if (t >= 0)
            t = newId[static_cast<size_t>(t)];
    }
    out.targets = std::move(sorted);
    return out;
}

} // namespace bulkhead
