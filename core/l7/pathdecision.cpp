#include "l7/pathdecision.h"

namespace bulkhead {

std::string pathDecisionText(const PathDecision &d)
{
    return std::string(pathActionName(d.action)) + ' ' + d.path + " on " + d.from + " -> " + d.to
           + " TCP/" + std::to_string(d.port);
}

PathOverrides pathOverridesFor(const std::vector<PathDecision> &decisions,
                               const std::set<std::string> &clients,
                               const std::set<std::string> &servers, uint16_t port)
{
    PathOverrides out;
    for (const PathDecision &d : decisions) {
        if (d.port != port || !clients.contains(d.from) || !servers.contains(d.to))
            continue;
        const auto [it, inserted] = out.emplace(d.path, d.action);
        if (!inserted && d.action == PathAction::Split)
            it->second = PathAction::Split;
    }
    return out;
}

} // namespace bulkhead
