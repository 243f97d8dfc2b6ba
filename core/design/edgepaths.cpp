#include "design/edgepaths.h"

#include "inventory/inventory.h"

namespace bulkhead {

std::vector<PathRequest> edgePathRequests(const Inventory &inventory,
                                          const std::vector<HttpRequestSeen> &requests,
                                          const std::string &from, const std::string &to,
                                          uint16_t port)
{
    std::vector<PathRequest> out;
    const auto idOf = [&](int w) {
        return w < 0 || w >= static_cast<int>(inventory.workloads.size())
                   ? std::string()
                   : inventory.workloads[static_cast<size_t>(w)].id();
    };
    for (const HttpRequestSeen &r : requests) {
        if (r.port == port && idOf(r.clientWorkload) == from && idOf(r.serverWorkload) == to
            && !from.empty())
            out.push_back({r.method, r.path, r.count, r.queries.requests});
    }
    return out;
}

PathTree edgePathTree(const Inventory &inventory, const std::vector<HttpRequestSeen> &requests,
                      int threshold, const std::vector<PathDecision> &decisions,
                      const std::string &from, const std::string &to, uint16_t port)
{
    return buildPathTree(edgePathRequests(inventory, requests, from, to, port), threshold,
                         pathOverridesFor(decisions, {from}, {to}, port));
}

std::vector<std::string> stalePathDecisions(const Inventory &inventory,
                                            const std::vector<HttpRequestSeen> &requests,
                                            int threshold,
                                            const std::vector<PathDecision> &decisions)
{
    std::vector<std::string> warnings;
    for (const PathDecision &d : decisions) {
        const PathTree tree
            = edgePathTree(inventory, requests, threshold, decisions, d.from, d.to, d.port);
        if (tree.nodes.empty())
            warnings.push_back("path decision \"" + pathDecisionText(d)
                               + "\": no HTTP request was seen on this edge; ignored");
        else if (tree.find(d.path) < 0)
            warnings.push_back("path decision \"" + pathDecisionText(d)
                               + "\": the edge's path tree has no node " + d.path + "; ignored");
    }
    return warnings;
}

} // namespace bulkhead
