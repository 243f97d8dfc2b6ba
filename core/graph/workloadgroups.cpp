#include "graph/workloadgroups.h"

#include "inventory/inventory.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

namespace bulkhead {

namespace {

const std::string *labelOf(const Workload &w, const char *key)
{
    auto it = w.labels.find(key);
    return it == w.labels.end() || it->second.empty() ? nullptr : &it->second;
}

std::string groupKey(const Workload &w)
{
    if (const std::string *partOf = labelOf(w, "app.kubernetes.io/part-of"))
        return *partOf;
    if (const std::string *name = labelOf(w, "app.kubernetes.io/name"))
        return nameStem(*name);
    if (const std::string *app = labelOf(w, "app"))
        return nameStem(*app);
    return nameStem(w.name);
}

// Names in the order a person counts them: runs of digits by their value ("w2" < "w10").
bool nameBefore(const std::string &a, const std::string &b)
{
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
        const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
        if (da && db) {
            size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei])))
                ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej])))
                ++ej;
            // (leading zeros aside, a longer run is a larger number)
            std::string_view na(a.data() + i, ei - i), nb(b.data() + j, ej - j);
            while (na.size() > 1 && na.front() == '0')
                na.remove_prefix(1);
            while (nb.size() > 1 && nb.front() == '0')
                nb.remove_prefix(1);
            if (na.size() != nb.size())
                return na.size() < nb.size();
            if (na != nb)
                return na < nb;
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j];
        ++i;
        ++j;
    }
    if (a.size() - i != b.size() - j)
        return a.size() - i < b.size() - j;
    return a < b; // (equal but for leading zeros)
}

// `members` sorted by name (nameBefore), cut into ranges of at most `size`, of sizes as even as can
// be (1,000 by 250 -> 4 of 250; 260 -> 2 of 130).
void appendRanges(const Inventory &inventory, std::vector<int> members, size_t size,
                  std::vector<WorkloadGroup> &out)
{
    const auto &workloads = inventory.workloads;
    std::sort(members.begin(), members.end(), [&](int a, int b) {
        if (workloads[a].name != workloads[b].name)
            return nameBefore(workloads[a].name, workloads[b].name);
        return a < b;
    });
    const size_t n = members.size();
    const size_t ranges = (n + size - 1) / size;
    for (size_t r = 0; r < ranges; ++r) {
        const size_t begin = r * n / ranges, end = (r + 1) * n / ranges;
        WorkloadGroup group;
        group.workloads.assign(members.begin() + static_cast<std::ptrdiff_t>(begin),
                               members.begin() + static_cast<std::ptrdiff_t>(end));
        group.title = workloads[group.workloads.front()].name + " – "
                      + workloads[group.workloads.back()].name;
        std::sort(group.workloads.begin(), group.workloads.end());
        out.push_back(std::move(group));
    }
}

} // namespace

std::string nameStem(const std::string &name)
{
    if (const size_t dash = name.rfind('-'); dash != std::string::npos && dash > 0)
        return name.substr(0, dash);
    size_t end = name.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(name[end - 1])))
        --end;
    return end > 0 ? name.substr(0, end) : name;
}

std::vector<WorkloadGroup> groupWorkloads(const Inventory &inventory,
                                          const std::vector<int> &members, int limit)
{
    std::vector<WorkloadGroup> out;
    if (static_cast<int>(members.size()) <= limit)
        return out;
    // (a range is never over the limit either, when a test lowers it)
    const size_t rangeSize = static_cast<size_t>(std::max(1, std::min(kGroupRangeSize, limit)));
    std::map<std::string, std::vector<int>> byKey;
    for (int w : members)
        byKey[groupKey(inventory.workloads[w])].push_back(w);
    if (static_cast<int>(byKey.size()) > limit) {
        appendRanges(inventory, members, rangeSize, out);
        return out;
    }
    for (auto &[key, workloads] : byKey) {
        if (static_cast<int>(workloads.size()) > limit) {
            appendRanges(inventory, std::move(workloads), rangeSize, out);
            continue;
        }
        out.push_back(WorkloadGroup{key, std::move(workloads)});
    }
    std::sort(out.begin(), out.end(),
              [](const WorkloadGroup &a, const WorkloadGroup &b) { return a.title < b.title; });
    return out;
}

} // namespace bulkhead
