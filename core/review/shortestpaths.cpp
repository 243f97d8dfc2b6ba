#include "review/shortestpaths.h"

#include <algorithm>

namespace bulkhead {

ShortestPaths::ShortestPaths(int source, std::vector<int> parent, std::vector<int> targets)
    : m_source(source)
    , m_parent(std::move(parent))
    , m_targets(std::move(targets))
{
}

std::vector<int> ShortestPaths::to(int target) const
{
    if (!std::binary_search(m_targets.begin(), m_targets.end(), target))
        return {};
    return pathTo(target);
}

std::vector<int> ShortestPaths::pathTo(int target) const
{
    std::vector<int> path;
    for (int at = target; at != m_source; at = m_parent[static_cast<size_t>(at)])
        path.push_back(at);
    path.push_back(m_source);
    std::reverse(path.begin(), path.end());
    return path;
}

} // namespace bulkhead
