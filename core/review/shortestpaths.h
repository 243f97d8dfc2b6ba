#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace bulkhead {

// A shortest path from one workload to each of some target workloads, kept as the breadth-first
// tree it was found in (a parent per workload) rather than one list per target: a radius where
// everything reaches everything has n targets, and n lists per workload made the computation of
// every workload's radius O(n² · path length) in allocations alone. A path is spelled out when
// asked for. Iterating gives (target, path) pairs, targets in index order, each path source first.
class ShortestPaths
{
public:
    ShortestPaths() = default;
    // parent[x]: the workload before x on the path to x (the source for its direct neighbours);
    // read only for the targets and the workloads on their paths. targets: sorted by index.
    ShortestPaths(int source, std::vector<int> parent, std::vector<int> targets);

    bool empty() const { return m_targets.empty(); }
    size_t size() const { return m_targets.size(); }
    const std::vector<int> &targets() const { return m_targets; }
    // The path to `target`, source first; empty when target is not one of the targets.
    std::vector<int> to(int target) const;

    class Iterator
    {
    public:
        Iterator(const ShortestPaths *paths, size_t position)
            : m_paths(paths)
            , m_position(position)
        {
        }
        std::pair<int, std::vector<int>> operator*() const
        {
            const int target = m_paths->m_targets[m_position];
            return {target, m_paths->pathTo(target)};
        }
        Iterator &operator++()
        {
            ++m_position;
            return *this;
        }
        bool operator==(const Iterator &other) const = default;

    private:
        const ShortestPaths *m_paths;
        size_t m_position;
    };
    Iterator begin() const { return {this, 0}; }
    Iterator end() const { return {this, m_targets.size()}; }

private:
    std::vector<int> pathTo(int target) const;

    int m_source = -1;
    std::vector<int> m_parent;
    std::vector<int> m_targets;
};

} // namespace bulkhead
