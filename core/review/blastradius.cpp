#include "review/blastradius.h"

#include "inventory/inventory.h"
#include "zones/zones.h"

#include <algorithm>

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

// Computes radii with buffers reused from one workload to the next: at thousands of workloads
// the per-call cost is two breadth-first searches and the output, nothing else.
class RadiusComputer
{
public:
    RadiusComputer(const Inventory &inventory, const Zones &zones, const ReachGraph &graph)
        : m_graph(graph)
        , m_count(inventory.workloads.size())
    {
        m_zone.reserve(m_count);
        m_rank.reserve(m_count);
        for (const Workload &w : inventory.workloads) {
            const std::string &zone = w.zone.empty() ? zones.defaultLevel : w.zone;
            m_zone.push_back(&zone);
            m_rank.push_back(zones.levelIndex(zone));
        }
        if (!graph.complete && graph.in.size() != graph.out.size())
            m_reverse = reverseOf(graph.out);
        m_distance.assign(m_count, -1);
        m_parent.assign(m_count, -1);
    }

    BlastRadius compute(int workload)
    {
        BlastRadius r;
        r.workload = workload;
        r.baseline = m_count > 0 ? static_cast<int>(m_count) - 1 : 0;
        if (workload < 0 || static_cast<size_t>(workload) >= m_count)
            return r;
        if (m_graph.complete)
            computeComplete(r);
        else
            computeFromGraph(r);
        summarise(r);
        return r;
    }

private:
    const std::vector<int> &outOf(int w) const
    {
        static const std::vector<int> none;
        return static_cast<size_t>(w) < m_graph.out.size() ? m_graph.out[static_cast<size_t>(w)] : none;
    }
    const std::vector<int> &inOf(int w) const
    {
        static const std::vector<int> none;
        const auto &in = m_reverse.empty() ? m_graph.in : m_reverse;
        return static_cast<size_t>(w) < in.size() ? in[static_cast<size_t>(w)] : none;
    }

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
        for (int w : r.reach)
            r.hops.emplace_hint(r.hops.end(), w, 1);
    }

    // Breadth-first from start over adjacency; visited (without start) in visit order.
    template<typename Adjacency>
    void bfs(int start, Adjacency adjacency, std::vector<int> &visited, bool recordParents)
    {
        m_distance[static_cast<size_t>(start)] = 0;
        m_queue.clear();
        m_queue.push_back(start);
        for (size_t head = 0; head < m_queue.size(); ++head) {
            const int at = m_queue[head];
            const int next = m_distance[static_cast<size_t>(at)] + 1;
            for (int to : adjacency(at)) {
                if (m_distance[static_cast<size_t>(to)] >= 0)
                    continue;
                m_distance[static_cast<size_t>(to)] = next;
                if (recordParents)
                    m_parent[static_cast<size_t>(to)] = at;
                m_queue.push_back(to);
                visited.push_back(to);
            }
        }
    }

    void resetDistances(int start, const std::vector<int> &visited)
    {
        m_distance[static_cast<size_t>(start)] = -1;
        for (int w : visited)
            m_distance[static_cast<size_t>(w)] = -1;
    }

    void computeFromGraph(BlastRadius &r)
    {
        const int w = r.workload;
        r.direct = outOf(w);
        bfs(w, [this](int at) -> const std::vector<int> & { return outOf(at); }, r.reach, true);
        for (int x : r.reach) // the hop counts, read before the distances are reset
            m_hopBuffer.emplace_back(x, m_distance[static_cast<size_t>(x)]);
        resetDistances(w, r.reach);
        std::sort(r.reach.begin(), r.reach.end());
        std::sort(m_hopBuffer.begin(), m_hopBuffer.end());
        for (const auto &[x, hops] : m_hopBuffer)
            r.hops.emplace_hint(r.hops.end(), x, hops);
        m_hopBuffer.clear();

        bfs(w, [this](int at) -> const std::vector<int> & { return inOf(at); }, r.reachedBy, false);
        resetDistances(w, r.reachedBy);
        std::sort(r.reachedBy.begin(), r.reachedBy.end());
    }

    // Zones, the highest zone and the paths to its workloads (m_parent holds the BFS tree).
    void summarise(BlastRadius &r)
    {
        int best = -2;
        int bestWorkload = -1;
        for (int x : r.reach) {
            ++r.byZone[*m_zone[static_cast<size_t>(x)]];
            if (m_rank[static_cast<size_t>(x)] > best) {
                best = m_rank[static_cast<size_t>(x)];
                bestWorkload = x;
            }
        }
        if (bestWorkload < 0)
            return;
        r.highestZone = *m_zone[static_cast<size_t>(bestWorkload)];
        std::vector<int> path;
        for (int x : r.reach) {
            if (*m_zone[static_cast<size_t>(x)] != r.highestZone)
                continue;
            path.clear();
            for (int at = x; at != r.workload; at = m_parent[static_cast<size_t>(at)])
                path.push_back(at);
            path.push_back(r.workload);
            std::reverse(path.begin(), path.end());
            r.paths.emplace_hint(r.paths.end(), x, path);
        }
    }

    const ReachGraph &m_graph;
    size_t m_count;
    std::vector<const std::string *> m_zone;
    std::vector<int> m_rank;
    std::vector<std::vector<int>> m_reverse; // when the graph came without its reverse
    std::vector<int> m_distance;             // -1 = not visited; reset after each search
    std::vector<int> m_parent;
    std::vector<int> m_queue;
    std::vector<std::pair<int, int>> m_hopBuffer;
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

ReachGraph reachFromPredicate(size_t workloadCount, const std::function<bool(int from, int to)> &canReach)
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

BlastRadius computeBlastRadius(const Inventory &inventory, const Zones &zones, const ReachGraph &graph,
                               int workload)
{
    RadiusComputer computer(inventory, zones, graph);
    return computer.compute(workload);
}

std::vector<BlastRadius> computeBlastRadii(const Inventory &inventory, const Zones &zones,
                                           const ReachGraph &graph)
{
    RadiusComputer computer(inventory, zones, graph);
    std::vector<BlastRadius> radii;
    radii.reserve(inventory.workloads.size());
    for (size_t w = 0; w < inventory.workloads.size(); ++w)
        radii.push_back(computer.compute(static_cast<int>(w)));
    return radii;
}

nlohmann::json blastRadiusJson(const Inventory &inventory, const BlastRadius &radius)
{
    const Workload &w = inventory.workloads[static_cast<size_t>(radius.workload)];
    nlohmann::json j;
    j["workload"] = w.id();
    j["zone"] = w.zone;
    j["reach"] = namesSorted(inventory, radius.reach);
    j["direct"] = namesSorted(inventory, radius.direct);
    j["reachedBy"] = namesSorted(inventory, radius.reachedBy);
    j["highestZone"] = radius.highestZone.empty() ? nlohmann::json(nullptr) : nlohmann::json(radius.highestZone);
    nlohmann::json paths = nlohmann::json::object();
    for (const auto &[target, path] : radius.paths) {
        nlohmann::json names = nlohmann::json::array();
        for (int step : path)
            names.push_back(inventory.workloads[static_cast<size_t>(step)].id());
        paths[inventory.workloads[static_cast<size_t>(target)].id()] = std::move(names);
    }
    j["paths"] = std::move(paths);
    j["byZone"] = radius.byZone;
    j["baseline"] = radius.baseline;
    return j;
}

} // namespace bulkhead
