#include "policy/selector.h"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <utility>

namespace bulkhead {

namespace {

using LabelPair = std::pair<std::string, std::string>;

constexpr std::array<std::string_view, 7> kPriorityKeys = {
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app",
    "k8s-app",
    "name",
    "version",
};

int priorityRank(std::string_view key)
{
    for (size_t i = 0; i < kPriorityKeys.size(); ++i) {
        if (kPriorityKeys[i] == key)
            return static_cast<int>(i);
    }
    return static_cast<int>(kPriorityKeys.size());
}

// The usable labels of a workload, in selector priority order.
std::vector<LabelPair> usableLabels(const Workload &w)
{
    std::vector<LabelPair> out;
    for (const auto &[key, value] : w.labels) {
        if (!isForbiddenSelectorKey(key))
            out.emplace_back(key, value);
    }
    std::sort(out.begin(), out.end(), [](const LabelPair &a, const LabelPair &b) {
        return selectorKeyLess(a.first, b.first);
    });
    return out;
}

bool hasAll(const Labels &labels, const std::vector<LabelPair> &pairs)
{
    for (const auto &[key, value] : pairs) {
        auto it = labels.find(key);
        if (it == labels.end() || it->second != value)
            return false;
    }
    return true;
}

Labels toLabels(const std::vector<LabelPair> &pairs)
{
    return Labels(pairs.begin(), pairs.end());
}

std::string joinIds(const Inventory &inv, const std::vector<int> &members)
{
    std::string out;
    for (int m : members) {
        if (!out.empty())
            out += ", ";
        out += inv.workloads[static_cast<size_t>(m)].id();
    }
    return out;
}

std::string selectorText(const Labels &labels)
{
    if (labels.empty())
        return "{} (every pod of the namespace)";
    std::string out;
    for (const auto &[key, value] : labels) {
        if (!out.empty())
            out += ", ";
        out += key + '=' + value;
    }
    return out;
}

struct SearchResult
{
    std::vector<LabelPair> chosen;
    bool bounded = false; // the search bound was hit: `chosen` is the full candidate set
};

// The smallest subset of `candidates` (already in priority order) that `works` (selects nobody
// outside the target). Subsets by size, then lexicographically by priority. `candidates` itself is
// known to work (the caller checked), so it is the fallback when the bound is hit.
template <typename Works>
SearchResult smallestDistinguishing(const std::vector<LabelPair> &candidates, bool noOthers,
                                    Works works)
{
    const int n = static_cast<int>(candidates.size());
    if (n == 0 || noOthers)
        return {{}, false}; // nothing to tell apart from (caller decides whether {} is acceptable)
    long tried = 0;
    std::vector<LabelPair> subset;
    for (int size = 1; size <= std::min(n, kMaxSubsetSize); ++size) {
        std::vector<int> idx(static_cast<size_t>(size));
        std::iota(idx.begin(), idx.end(), 0);
        while (true) {
            if (++tried > kMaxCandidates)
                return {candidates, true};
            subset.clear();
            for (int i : idx)
                subset.push_back(candidates[static_cast<size_t>(i)]);
            if (works(subset))
                return {subset, false};
            // next combination in lexicographic order
            int pos = size - 1;
            while (pos >= 0 && idx[static_cast<size_t>(pos)] == n - size + pos)
                --pos;
            if (pos < 0)
                break;
            ++idx[static_cast<size_t>(pos)];
            for (int j = pos + 1; j < size; ++j)
                idx[static_cast<size_t>(j)] = idx[static_cast<size_t>(j - 1)] + 1;
        }
    }
    return {candidates, n > kMaxSubsetSize};
}

// Which members of a namespace carry every pair of a label set: the shortest list of one of the
// pairs, filtered by the others (no scan over the whole namespace per question).
class CarrierIndex
{
public:
    template <typename LabelsOf>
    CarrierIndex(size_t count, LabelsOf labelsOf)
        : m_count(count)
    {
        for (size_t b = 0; b < count; ++b)
            for (const auto &pair : labelsOf(b))
                m_byPair[LabelPair(pair.first, pair.second)].push_back(b);
    }
    // Calls `visit(b)` for each carrier in ascending order; stops when it returns false.
    template <typename LabelsOf, typename Visit>
    void forEachCarrier(const std::vector<LabelPair> &pairs, LabelsOf labelsOf, Visit visit) const
    {
        if (pairs.empty()) {
            for (size_t b = 0; b < m_count; ++b)
                if (!visit(b))
                    return;
            return;
        }
        const std::vector<size_t> *shortest = nullptr;
        for (const LabelPair &pair : pairs) {
            auto it = m_byPair.find(pair);
            if (it == m_byPair.end())
                return; // nobody carries it
            if (!shortest || it->second.size() < shortest->size())
                shortest = &it->second;
        }
        for (size_t b : *shortest)
            if (hasAll(labelsOf(b), pairs) && !visit(b))
                return;
    }

private:
    size_t m_count;
    std::map<LabelPair, std::vector<size_t>> m_byPair;
};

struct UnionFind
{
    std::vector<int> parent;
    explicit UnionFind(size_t n)
        : parent(n)
    {
        std::iota(parent.begin(), parent.end(), 0);
    }
    int find(int x)
    {
        while (parent[static_cast<size_t>(x)] != x)
            x = parent[static_cast<size_t>(x)]
                = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
        return x;
    }
    bool unite(int a, int b)
    {
        a = find(a);
        b = find(b);
        if (a == b)
            return false;
        parent[static_cast<size_t>(std::max(a, b))] = std::min(a, b);
        return true;
    }
};

} // namespace

bool isForbiddenSelectorKey(std::string_view key)
{
    return key == "pod-template-hash" || key == "controller-revision-hash"
           || key == "statefulset.kubernetes.io/pod-name" || key.starts_with("batch.kubernetes.io/")
           || key == "job-name" || key == "controller-uid";
}

bool selectorKeyLess(const std::string &a, const std::string &b)
{
    const int ra = priorityRank(a);
    const int rb = priorityRank(b);
    if (ra != rb)
        return ra < rb;
    return a < b;
}

bool isPodWorkload(const Workload &workload)
{
    return workload.kind != "Host" && !workload.ns.empty() && !workload.onHostNetwork();
}

SelectorPlan planSelectors(const Inventory &inventory)
{
    const size_t count = inventory.workloads.size();
    SelectorPlan plan;
    plan.selectorOf.assign(count, {});
    plan.targetOf.assign(count, -1);

    std::map<std::string, std::vector<int>> byNamespace; // sorted: deterministic target ids
    for (size_t i = 0; i < count; ++i) {
        if (isPodWorkload(inventory.workloads[i]))
            byNamespace[inventory.workloads[i].ns].push_back(static_cast<int>(i));
    }

    for (const auto &[ns, members] : byNamespace) {
        std::vector<std::vector<LabelPair>> usable;
        usable.reserve(members.size());
        for (int w : members)
            usable.push_back(usableLabels(inventory.workloads[static_cast<size_t>(w)]));
        const std::vector<int> &memberList
            = members; // clang < 16 cannot capture a structured binding
        const auto labelsOf = [&](size_t local) -> const Labels & {
            return inventory.workloads[static_cast<size_t>(memberList[local])].labels;
        };

        const CarrierIndex carriers(members.size(), labelsOf);

        // Workloads that no selector can separate: every label w can offer is also on o.
        UnionFind groups(members.size());
        for (size_t a = 0; a < members.size(); ++a)
            carriers.forEachCarrier(usable[a], labelsOf, [&](size_t b) {
                if (a != b)
                    groups.unite(static_cast<int>(a), static_cast<int>(b));
                return true;
            });
        // A group's selector is built from the labels all its members share; grow each group
        // until those shared labels select nobody outside it.
        std::vector<std::vector<LabelPair>> common(members.size());
        for (bool changed = true; changed;) {
            changed = false;
            std::vector<std::vector<size_t>> inGroup(members.size());
            for (size_t b = 0; b < members.size(); ++b)
                inGroup[static_cast<size_t>(groups.find(static_cast<int>(b)))].push_back(b);
            for (size_t a = 0; a < members.size(); ++a) {
                if (groups.find(static_cast<int>(a)) != static_cast<int>(a))
                    continue;
                std::vector<LabelPair> shared = usable[a];
                for (size_t b : inGroup[a]) {
                    if (b == a)
                        continue;
                    std::erase_if(shared, [&](const LabelPair &p) {
                        auto it = labelsOf(b).find(p.first);
                        return it == labelsOf(b).end() || it->second != p.second;
                    });
                }
                common[a] = std::move(shared);
            }
            for (size_t a = 0; a < members.size() && !changed; ++a) {
                const int root = groups.find(static_cast<int>(a));
                if (root != static_cast<int>(a))
                    continue;
                carriers.forEachCarrier(common[a], labelsOf, [&](size_t b) {
                    if (groups.find(static_cast<int>(b)) != root) {
                        groups.unite(root, static_cast<int>(b));
                        changed = true;
                    }
                    return true;
                });
            }
        }

        // Emit targets in member order (members are sorted by index).
        std::map<int, std::vector<size_t>> localGroups;
        for (size_t a = 0; a < members.size(); ++a)
            localGroups[groups.find(static_cast<int>(a))].push_back(a);
        for (const auto &[root, locals] : localGroups) {
            std::vector<int> globalMembers;
            for (size_t l : locals)
                globalMembers.push_back(members[l]);
            const std::vector<LabelPair> &candidates
                = locals.size() == 1 ? usable[locals.front()] : common[static_cast<size_t>(root)];
            const int groupRoot = root; // clang < 16 cannot capture a structured binding
            // A subset works when every workload carrying it belongs to the group.
            const auto works = [&](const std::vector<LabelPair> &subset) {
                bool inside = true;
                carriers.forEachCarrier(subset, labelsOf, [&](size_t b) {
                    inside = groups.find(static_cast<int>(b)) == groupRoot;
                    return inside;
                });
                return inside;
            };
            SearchResult found
                = smallestDistinguishing(candidates, locals.size() == members.size(), works);
            if (found.chosen.empty() && !candidates.empty())
                found.chosen
                    = {candidates.front()}; // alone in its namespace: still name it by its label
            const Labels selector = toLabels(found.chosen);

            const int target = static_cast<int>(plan.targets.size());
            plan.targets.push_back(globalMembers);
            for (int g : globalMembers) {
                plan.targetOf[static_cast<size_t>(g)] = target;
                plan.selectorOf[static_cast<size_t>(g)] = selector;
            }

            if (globalMembers.size() > 1) {
                plan.warnings.push_back("workloads " + joinIds(inventory, globalMembers)
                                        + " cannot be told apart by their pod labels: they are one "
                                          "policy target (selector "
                                        + selectorText(selector)
                                        + "), whose policy allows the union of their traffic, "
                                          "wider than one policy per workload");
            } else if (selector.empty()) {
                plan.warnings.push_back("workload " + joinIds(inventory, globalMembers)
                                        + " has no usable pod label: it is selected by an empty "
                                          "podSelector {} (every pod of namespace "
                                        + ns
                                        + ", where it is the only workload); a workload added "
                                          "there later would be selected too");
            }
            if (found.bounded) {
                plan.warnings.push_back("selector search for " + joinIds(inventory, globalMembers)
                                        + " stopped at its bound; its selector uses all "
                                        + std::to_string(found.chosen.size()) + " usable labels");
            }
        }
    }
    std::sort(plan.warnings.begin(), plan.warnings.end());
    return plan;
}

} // namespace bulkhead
