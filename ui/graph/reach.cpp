#include "graph/reach.h"

#include "analysis/pipeline.h"

#include <deque>
#include <vector>

namespace bulkhead::ui {

std::map<int, int> reachFrom(const Model &model, int start, RadiusPolicy policy)
{
    const auto &workloads = model.inventory.workloads;
    std::map<int, int> hops;
    if (start < 0 || start >= static_cast<int>(workloads.size()))
        return hops;
    if (policy == RadiusPolicy::NoPolicy) {
        for (int i = 0; i < static_cast<int>(workloads.size()); ++i)
            if (i != start)
                hops[i] = 1;
        return hops;
    }
    std::vector<std::vector<int>> next(workloads.size());
    for (const Edge &edge : model.analysis.edges) {
        if (!edge.from.isWorkload() || !edge.to.isWorkload())
            continue;
        const ZoneRule *rule = matchZoneRule(model.zones, workloads[edge.from.index].zone,
                                             workloads[edge.to.index].zone);
        if (rule && rule->action == ZoneRule::Action::Block)
            continue;
        next[edge.from.index].push_back(edge.to.index);
    }
    std::deque<int> queue{start};
    std::vector<int> distance(workloads.size(), -1);
    distance[start] = 0;
    while (!queue.empty()) {
        const int at = queue.front();
        queue.pop_front();
        for (int to : next[at]) {
            if (distance[to] >= 0)
                continue;
            distance[to] = distance[at] + 1;
            hops[to] = distance[to];
            queue.push_back(to);
        }
    }
    return hops;
}

} // namespace bulkhead::ui
