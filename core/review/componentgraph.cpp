#include "review/componentgraph.h"

#include <algorithm>

namespace bulkhead {

namespace {

const std::vector<int> &successors(const std::vector<std::vector<int>> &out, size_t w)
{
    static const std::vector<int> none;
    return w < out.size() ? out[w] : none;
}

} // namespace

ComponentGraph::ComponentGraph(const std::vector<std::vector<int>> &out, size_t count)
{
    // Tarjan's algorithm, iterative (a path of thousands of workloads must not overflow the stack).
    std::vector<int> order(count, -1); // discovery order, -1 = not visited
    std::vector<int> low(count, 0);
    std::vector<char> onStack(count, 0);
    std::vector<int> stack;
    struct Frame
    {
        int workload;
        size_t next; // position in its successor list
    };
    std::vector<Frame> frames;
    m_componentOf.assign(count, -1);
    int discovered = 0;
    int components = 0;
    for (size_t root = 0; root < count; ++root) {
        if (order[root] >= 0)
            continue;
        const auto enter = [&](int w) {
            order[static_cast<size_t>(w)] = low[static_cast<size_t>(w)] = discovered++;
            stack.push_back(w);
            onStack[static_cast<size_t>(w)] = 1;
            frames.push_back({w, 0});
        };
        enter(static_cast<int>(root));
        while (!frames.empty()) {
            Frame &frame = frames.back();
            const size_t v = static_cast<size_t>(frame.workload);
            const std::vector<int> &next = successors(out, v);
            if (frame.next < next.size()) {
                const int w = next[frame.next++];
                if (w < 0 || static_cast<size_t>(w) >= count)
                    continue;
                if (order[static_cast<size_t>(w)] < 0)
                    enter(w); // invalidates `frame`
                else if (onStack[static_cast<size_t>(w)])
                    low[v] = std::min(low[v], order[static_cast<size_t>(w)]);
                continue;
            }
            frames.pop_back();
            if (low[v] == order[v]) {
                int w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    onStack[static_cast<size_t>(w)] = 0;
                    m_componentOf[static_cast<size_t>(w)] = components;
                } while (static_cast<size_t>(w) != v);
                ++components;
            }
            if (!frames.empty()) {
                const size_t parent = static_cast<size_t>(frames.back().workload);
                low[parent] = std::min(low[parent], low[v]);
            }
        }
    }

    // Members, in index order within each component.
    m_memberStart.assign(static_cast<size_t>(components) + 1, 0);
    for (size_t w = 0; w < count; ++w)
        ++m_memberStart[static_cast<size_t>(m_componentOf[w]) + 1];
    for (size_t c = 0; c < static_cast<size_t>(components); ++c)
        m_memberStart[c + 1] += m_memberStart[c];
    m_members.resize(count);
    {
        std::vector<size_t> fill(m_memberStart.begin(), m_memberStart.end() - 1);
        for (size_t w = 0; w < count; ++w)
            m_members[fill[static_cast<size_t>(m_componentOf[w])]++] = static_cast<int>(w);
    }

    // Edges between components, reversed, without duplicates.
    std::vector<std::pair<int, int>> links; // (to, from)
    for (size_t v = 0; v < count; ++v) {
        const int from = m_componentOf[v];
        for (int w : successors(out, v)) {
            if (w < 0 || static_cast<size_t>(w) >= count)
                continue;
            const int to = m_componentOf[static_cast<size_t>(w)];
            if (to != from)
                links.emplace_back(to, from);
        }
    }
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    m_predecessorStart.assign(static_cast<size_t>(components) + 1, 0);
    m_predecessors.reserve(links.size());
    for (const auto &[to, from] : links) {
        ++m_predecessorStart[static_cast<size_t>(to) + 1];
        m_predecessors.push_back(from);
    }
    for (size_t c = 0; c < static_cast<size_t>(components); ++c)
        m_predecessorStart[c + 1] += m_predecessorStart[c];
}

} // namespace bulkhead
