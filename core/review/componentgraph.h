#pragma once

#include <cstddef>
#include <vector>

namespace bulkhead {

// The strongly connected components of a directed graph over workloads 0..count-1 and, for each
// component, the components with an edge into it. Every workload of a component is reached by
// the same workloads, so "who reaches W" is a search over components instead of workloads: where
// every workload reaches every other (one component), it costs nothing.
class ComponentGraph
{
public:
    // out[w]: w's successors (indices >= count and lists past count are ignored).
    ComponentGraph(const std::vector<std::vector<int>> &out, size_t count);

    size_t componentCount() const { return m_memberStart.size() - 1; }
    int componentOf(int workload) const { return m_componentOf[static_cast<size_t>(workload)]; }
    // Members of component c, sorted by index: [membersBegin(c), membersEnd(c)).
    const int *membersBegin(int c) const
    {
        return m_members.data() + m_memberStart[static_cast<size_t>(c)];
    }
    const int *membersEnd(int c) const
    {
        return m_members.data() + m_memberStart[static_cast<size_t>(c) + 1];
    }
    // Distinct components with an edge into component c (c itself excluded).
    const int *predecessorsBegin(int c) const
    {
        return m_predecessors.data() + m_predecessorStart[static_cast<size_t>(c)];
    }
    const int *predecessorsEnd(int c) const
    {
        return m_predecessors.data() + m_predecessorStart[static_cast<size_t>(c) + 1];
    }

private:
    std::vector<int> m_componentOf;
    std::vector<size_t> m_memberStart; // componentCount() + 1 offsets into m_members
    std::vector<int> m_members;
    std::vector<size_t> m_predecessorStart;
    std::vector<int> m_predecessors;
};

} // namespace bulkhead
