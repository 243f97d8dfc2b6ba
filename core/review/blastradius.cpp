#include "review/blastradius.h"

#include "review/reviewjson.h"

#include "inventory/inventory.h"
#include "review/componentgraph.h"
#include "zones/zones.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace bulkhead {

namespace {

void normalise(std::vector<std::vector<int>> &adjacency)
{
    for (size_t w = 0; w < adjacency.size(); ++w) {
        std::vector<int> &list = adjacency[w];
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
        list.erase(std::remove(list.begin(), list.end(), static_cast<int>(w)), list.end());
    }
}

// The reverse graph; its lists come out sorted because sources are visited in index order.
std::vector<std::vector<int>> reverseOf(const std::vector<std::vector<int>> &out)
{
    std::vector<size_t> degree(out.size(), 0);
    for (const std::vector<int> &list : out) {
        for (int to : list)
            ++degree[static_cast<size_t>(to)];
    }
    std::vector<std::vector<int>> in(out.size());
    for (size_t w = 0; w < out.size(); ++w)
        in[w].reserve(degree[w]);
    for (size_t from = 0; from < out.size(); ++from) {
        for (int to : out[from])
            in[static_cast<size_t>(to)].push_back(static_cast<int>(from));
    }
    return in;
}

// Computes radii with everything that does not depend on the workload built once: the successor
// lists in one flat array, the strongly connected components (who reaches W is the same for every
// W of a component), interned zones, and the search buffers. Per workload there remains one
// breadth-first search (hop counts and shortest paths are the workload's own) and its output.
class RadiusComputer
{
public:
    RadiusComputer(const Inventory &inventory, const Zones &zones, const ReachGraph &graph)
        : m_complete(graph.complete)
        , m_count(inventory.workloads.size())
        , m_components(graph.out, graph.complete ? 0 : inventory.workloads.size())
    {
        // Zones are interned: a workload's zone is a small integer, its rank the level's position.
        m_zoneOf.reserve(m_count);
        for (const Workload &w : inventory.workloads) {
            const std::string &zone = w.zone.empty() ? zones.defaultLevel : w.zone;
            auto it = std::find(m_zoneNames.begin(), m_zoneNames.end(), zone);
            if (it == m_zoneNames.end()) {
                m_zoneNames.push_back(zone);
                m_zoneRank.push_back(zones.levelIndex(zone));
                it = m_zoneNames.end() - 1;
            }
            m_zoneOf.push_back(static_cast<int>(it - m_zoneNames.begin()));
        }
        m_zoneCount.assign(m_zoneNames.size(), 0);
        if (!m_complete) {
            m_outStart.assign(m_count + 1, 0);
            for (size_t w = 0; w < m_count; ++w) {
                if (w < graph.out.size()) {
                    for (int to : graph.out[w]) {
                        if (to >= 0 && static_cast<size_t>(to) < m_count)
                            m_outTargets.push_back(to);
                    }
                }
                m_outStart[w + 1] = m_outTargets.size();
            }
            m_componentMark.assign(m_components.componentCount(), 0);
        }
        m_distance.assign(m_count, -1);
        m_parent.assign(m_count, -1);
        m_queue.reserve(m_count);
    }

    BlastRadius compute(int workload)
    {
        BlastRadius r;
        r.workload = workload;
        r.baseline = m_count > 0 ? static_cast<int>(m_count) - 1 : 0;
        if (workload < 0 || static_cast<size_t>(workload) >= m_count) {
            r.hops.assign(m_count, -1);
            return r;
        }
        if (m_complete)
            computeComplete(r);
        else
            computeFromGraph(r);
        summarise(r);
        return r;
    }

private:
    void computeComplete(BlastRadius &r)
    {
        r.reach.reserve(m_count - 1);
        for (size_t w = 0; w < m_count; ++w) {
            if (static_cast<int>(w) == r.workload)
                continue;
            r.reach.push_back(static_cast<int>(w));
            m_parent[w] = r.workload;
        }
        r.direct = r.reach;
        r.reachedBy = r.reach;
        r.hops.assign(m_count, 1);
        r.hops[static_cast<size_t>(r.workload)] = 0;
    }

    // Breadth-first from start, successors in index order (so the shortest paths are stable):
    // m_distance and m_parent for what it reaches, m_queue the start then the rest in visit order.
    void search(int start)
    {
        m_distance[static_cast<size_t>(start)] = 0;
        m_queue.clear();
        m_queue.push_back(start);
        const int *targets = m_outTargets.data();
        for (size_t head = 0; head < m_queue.size(); ++head) {
            const int at = m_queue[head];
            const int next = m_distance[static_cast<size_t>(at)] + 1;
            const int *end = targets + m_outStart[static_cast<size_t>(at) + 1];
            for (const int *to = targets + m_outStart[static_cast<size_t>(at)]; to != end; ++to) {
                if (m_distance[static_cast<size_t>(*to)] >= 0)
                    continue;
                m_distance[static_cast<size_t>(*to)] = next;
                m_parent[static_cast<size_t>(*to)] = at;
                m_queue.push_back(*to);
            }
        }
    }

    void computeFromGraph(BlastRadius &r)
    {
        const int w = r.workload;
        r.direct.assign(m_outTargets.begin()
                            + static_cast<std::ptrdiff_t>(m_outStart[static_cast<size_t>(w)]),
                        m_outTargets.begin()
                            + static_cast<std::ptrdiff_t>(m_outStart[static_cast<size_t>(w) + 1]));
        search(w);
        // The reached workloads in index order: a scan of the distances when many were reached
        // (cheaper than sorting), a sort otherwise.
        const size_t reached = m_queue.size() - 1;
        r.reach.reserve(reached);
        if (reached * 16 > m_count) {
            for (size_t x = 0; x < m_count; ++x) {
                if (m_distance[x] > 0)
                    r.reach.push_back(static_cast<int>(x));
            }
        } else {
            r.reach.assign(m_queue.begin() + 1, m_queue.end());
            std::sort(r.reach.begin(), r.reach.end());
        }
        r.hops = m_distance; // W is 0, the unreached -1
        for (int x : m_queue)
            m_distance[static_cast<size_t>(x)] = -1;
        collectReachedBy(w, r.reachedBy);
    }

    // Who reaches w: the members of every component from which w's component can be reached
    // (its own included), w excepted; a search over the components' predecessors.
    void collectReachedBy(int w, std::vector<int> &reachedBy)
    {
        ++m_epoch;
        const int start = m_components.componentOf(w);
        m_componentQueue.clear();
        m_componentQueue.push_back(start);
        m_componentMark[static_cast<size_t>(start)] = m_epoch;
        size_t members = 0;
        for (size_t head = 0; head < m_componentQueue.size(); ++head) {
            const int c = m_componentQueue[head];
            members
                += static_cast<size_t>(m_components.membersEnd(c) - m_components.membersBegin(c));
            for (const int *p = m_components.predecessorsBegin(c);
                 p != m_components.predecessorsEnd(c); ++p) {
                if (m_componentMark[static_cast<size_t>(*p)] == m_epoch)
                    continue;
                m_componentMark[static_cast<size_t>(*p)] = m_epoch;
                m_componentQueue.push_back(*p);
            }
        }
        reachedBy.reserve(members - 1);
        if (members * 16 > m_count) {
            for (size_t x = 0; x < m_count; ++x) {
                if (static_cast<int>(x) != w
                    && m_componentMark[static_cast<size_t>(
                           m_components.componentOf(static_cast<int>(x)))]
                           == m_epoch)
                    reachedBy.push_back(static_cast<int>(x));
            }
        } else {
            for (int c : m_componentQueue) {
                for (const int *x = m_components.membersBegin(c); x != m_components.membersEnd(c);
                     ++x) {
                    if (*x != w)
                        reachedBy.push_back(*x);
                }
            }
            std::sort(reachedBy.begin(), reachedBy.end());
        }
    }

    // Zones, the highest zone and the paths to its workloads (m_parent holds the search tree).
    void summarise(BlastRadius &r)
    {
        int bestZone = -1;
        for (int x : r.reach) {
            const int zone = m_zoneOf[static_cast<size_t>(x)];
            ++m_zoneCount[static_cast<size_t>(zone)];
            if (bestZone < 0
                || m_zoneRank[static_cast<size_t>(zone)]
                       > m_zoneRank[static_cast<size_t>(bestZone)])
                bestZone = zone;
        }
        for (size_t z = 0; z < m_zoneCount.size(); ++z) {
            if (m_zoneCount[z] > 0)
                r.byZone.emplace(m_zoneNames[z], m_zoneCount[z]);
            m_zoneCount[z] = 0;
        }
        if (bestZone < 0)
            return;
        r.highestZone = m_zoneNames[static_cast<size_t>(bestZone)];
        std::vector<int> targets;
        for (int x : r.reach) {
            if (m_zoneOf[static_cast<size_t>(x)] == bestZone)
                targets.push_back(x);
        }
        r.paths = ShortestPaths(r.workload, m_parent, std::move(targets));
    }

    bool m_complete;
    size_t m_count;
    std::vector<std::string> m_zoneNames; // distinct zones, in order of first appearance
    std::vector<int> m_zoneRank;          // level position of each, -1 for an unknown level
    std::vector<int> m_zoneOf;            // workload -> index into m_zoneNames
    std::vector<int> m_zoneCount;         // per-radius counts, back to 0 after each
    std::vector<size_t>
        m_outStart; // successors of w: m_outTargets[m_outStart[w], m_outStart[w + 1])
    std::vector<int> m_outTargets;
    ComponentGraph m_components;
    std::vector<unsigned> m_componentMark; // == m_epoch: reached in the current reverse search
    unsigned m_epoch = 0;
    std::vector<int> m_componentQueue;
    std::vector<int> m_distance; // -1 = not visited; reset after each search
    std::vector<int> m_parent;
    std::vector<int> m_queue;
};

std::vector<std::string> namesSorted(const Inventory &inventory, const std::vector<int> &workloads)
{
    std::vector<std::string> names;
    names.reserve(workloads.size());
    for (int w : workloads)
        names.push_back(inventory.workloads[static_cast<size_t>(w)].id());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

ReachGraph reachWithoutPolicy(const Inventory &inventory)
{
    ReachGraph graph;
    graph.complete = true;
    graph.out.resize(inventory.workloads.size());
    graph.in.resize(inventory.workloads.size());
    return graph;
}

ReachGraph reachFromEdges(const Inventory &inventory, const std::vector<Edge> &edges)
{
    ReachGraph graph;
    graph.out.resize(inventory.workloads.size());
    for (const Edge &e : edges) {
        if (!e.from.isWorkload() || !e.to.isWorkload() || e.from.index == e.to.index)
            continue;
        if (e.from.index < 0 || e.to.index < 0
            || static_cast<size_t>(std::max(e.from.index, e.to.index)) >= graph.out.size())
            continue;
        graph.out[static_cast<size_t>(e.from.index)].push_back(e.to.index);
    }
    normalise(graph.out);
    graph.in = reverseOf(graph.out);
    return graph;
}

ReachGraph reachFromPredicate(size_t workloadCount,
                              const std::function<bool(int from, int to)> &canReach)
{
    ReachGraph graph;
    graph.out.resize(workloadCount);
    for (size_t from = 0; from < workloadCount; ++from) {
        for (size_t to = 0; to < workloadCount; ++to) {
            if (from != to && canReach(static_cast<int>(from), static_cast<int>(to)))
                graph.out[from].push_back(static_cast<int>(to));
        }
    }
    graph.in = reverseOf(graph.out);
    return graph;
}

BlastRadius computeBlastRadius(const Inventory &inventory, const Zones &zones,
                               const ReachGraph &graph, int workload)
{
    RadiusComputer computer(inventory, zones, graph);
    return computer.compute(workload);
}

void forEachBlastRadius(const Inventory &inventory, const Zones &zones, const ReachGraph &graph,
                        const std::function<void(BlastRadius &&)> &sink)
{
    RadiusComputer computer(inventory, zones, graph);
    for (size_t w = 0; w < inventory.workloads.size(); ++w)
        sink(computer.compute(static_cast<int>(w)));
}

void forEachBlastRadius(const Inventory &inventory, const Zones &zones, const ReachGraph &graph,
                        const std::vector<int> &workloads,
                        const std::function<void(BlastRadius &&)> &sink)
{
    RadiusComputer computer(inventory, zones, graph);
    for (int w : workloads)
        sink(computer.compute(w));
}

std::vector<BlastRadius> computeBlastRadii(const Inventory &inventory, const Zones &zones,
                                           const ReachGraph &graph)
{
    std::vector<BlastRadius> radii;
    radii.reserve(inventory.workloads.size());
    forEachBlastRadius(inventory, zones, graph,
                       [&](BlastRadius &&r) { radii.push_back(std::move(r)); });
    return radii;
}

std::vector<int> reachCounts(const ReachGraph &graph, size_t workloadCount)
{
    if (graph.complete)
        return std::vector<int>(workloadCount,
                                workloadCount > 0 ? static_cast<int>(workloadCount) - 1 : 0);
    // Tarjan numbers components so that every edge between two goes to a lower number: in
    // increasing order, a component's reach is final when it is pushed to its predecessors.
    const ComponentGraph components(graph.out, workloadCount);
    const size_t count = components.componentCount();
    std::vector<int> size(count);
    for (size_t c = 0; c < count; ++c)
        size[c] = static_cast<int>(components.membersEnd(static_cast<int>(c))
                                   - components.membersBegin(static_cast<int>(c)));
    std::vector<int> reached(count,
                             0); // workloads in the components a component reaches, itself excluded
    // The reached components as bitsets, one block of target components at a time, so that
    // memory stays count * kBlock bits however many components there are.
    constexpr size_t kBlock = 4096;
    constexpr size_t kWords = kBlock / 64;
    std::vector<uint64_t> bits;
    for (size_t first = 0; first < count; first += kBlock) {
        const size_t last = std::min(count, first + kBlock);
        bits.assign(count * kWords, 0);
        for (size_t c = 0; c < count; ++c) {
            uint64_t *own = bits.data() + c * kWords;
            for (const int *p = components.predecessorsBegin(static_cast<int>(c));
                 p != components.predecessorsEnd(static_cast<int>(c)); ++p) {
                uint64_t *into = bits.data() + static_cast<size_t>(*p) * kWords;
                for (size_t k = 0; k < kWords; ++k)
                    into[k] |= own[k];
                if (c >= first && c < last)
                    into[(c - first) / 64] |= uint64_t(1) << ((c - first) % 64);
            }
            for (size_t k = 0; k < kWords; ++k) {
                for (uint64_t word = own[k]; word != 0; word &= word - 1)
                    reached[c]
                        += size[first + k * 64 + static_cast<size_t>(std::countr_zero(word))];
            }
        }
    }
    std::vector<int> counts(workloadCount);
    for (size_t w = 0; w < workloadCount; ++w) {
        const int c = components.componentOf(static_cast<int>(w));
        counts[w] = reached[static_cast<size_t>(c)] + size[static_cast<size_t>(c)] - 1;
    }
    return counts;
}

nlohmann::json blastRadiusJson(const Inventory &inventory, const BlastRadius &radius)
{
    return blastRadiusJson(inventory, radius, 0);
}

nlohmann::json blastRadiusJson(const Inventory &inventory, const BlastRadius &radius,
                               size_t maxPaths)
{
    const Workload &w = inventory.workloads[static_cast<size_t>(radius.workload)];
    nlohmann::json j;
    j["workload"] = w.id();
    j["zone"] = w.zone;
    j["reach"] = namesSorted(inventory, radius.reach);
    j["direct"] = namesSorted(inventory, radius.direct);
    j["reachedBy"] = namesSorted(inventory, radius.reachedBy);
    j["highestZone"]
        = radius.highestZone.empty() ? nlohmann::json(nullptr) : nlohmann::json(radius.highestZone);
    // The first targets by name (what a reader of the object sees first), each path built only
    // when it is written.
    std::vector<int> targets = radius.paths.targets();
    const auto byName = [&](int a, int b) {
        return inventory.workloads[static_cast<size_t>(a)].id()
               < inventory.workloads[static_cast<size_t>(b)].id();
    };
    size_t omitted = 0;
    if (maxPaths > 0 && targets.size() > maxPaths) {
        std::partial_sort(targets.begin(), targets.begin() + static_cast<std::ptrdiff_t>(maxPaths),
                          targets.end(), byName);
        omitted = targets.size() - maxPaths;
        targets.resize(maxPaths);
    }
    nlohmann::json paths = nlohmann::json::object();
    for (int target : targets) {
        nlohmann::json names = nlohmann::json::array();
        for (int step : radius.paths.to(target))
            names.push_back(inventory.workloads[static_cast<size_t>(step)].id());
        paths[inventory.workloads[static_cast<size_t>(target)].id()] = std::move(names);
    }
    j["paths"] = std::move(paths);
    if (omitted > 0)
        j["pathsOmitted"] = omitted;
    j["byZone"] = radius.byZone;
    j["baseline"] = radius.baseline;
    return j;
}

} // namespace bulkhead
