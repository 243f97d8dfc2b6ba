#include "review/internetexposure.h"

#include "review/reviewjson.h"

#include "analysis/analysis.h"
#include "design/decisionnetworks.h"
#include "inventory/inventory.h"
#include "review/evaluator.h"
#include "zones/zones.h"

#include <algorithm>
#include <deque>
#include <set>
#include <tuple>

namespace bulkhead {

namespace {

bool isWorld(const Inventory &inventory, const Peer &peer)
{
    return peer.kind == PeerKind::ExternalNetwork && peer.index >= 0
           && static_cast<size_t>(peer.index) < inventory.externals.size()
           && inventory.externals[static_cast<size_t>(peer.index)].name == WorldPeerName;
}

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

std::vector<int> internetDirectFromEdges(const Inventory &inventory, const std::vector<Edge> &edges)
{
    std::set<int> direct;
    for (const Edge &e : edges) {
        if (e.to.isWorkload() && isWorld(inventory, e.from))
            direct.insert(e.to.index);
    }
    return {direct.begin(), direct.end()};
}

std::vector<int> internetDirectWithoutPolicy(const Inventory &inventory)
{
    std::vector<int> all(inventory.workloads.size());
    for (size_t w = 0; w < all.size(); ++w)
        all[w] = static_cast<int>(w);
    return all;
}

std::vector<int> internetDirectFromPolicies(const Inventory &inventory, const Analysis &analysis,
                                            const PolicyEvaluator &evaluator, int worldNetwork)
{
    return internetDirectFromAllows(
        inventory, analysis,
        [&evaluator](const Peer &from, const Peer &to, Protocol protocol, uint16_t port) {
            return evaluator.allows(from, to, protocol, port);
        },
        worldNetwork);
}

std::vector<int> internetDirectFromAllows(
    const Inventory &inventory, const Analysis &analysis,
    const std::function<bool(const Peer &, const Peer &, Protocol, uint16_t)> &allows,
    int worldNetwork)
{
    const size_t n = inventory.workloads.size();
    std::vector<std::set<std::pair<Protocol, uint16_t>>> ports(n);
    for (size_t w = 0; w < n; ++w) {
        for (const ContainerPort &p : inventory.workloads[w].ports)
            ports[w].insert({p.protocol, p.port});
        for (Protocol p : {Protocol::TCP, Protocol::UDP, Protocol::SCTP})
            ports[w].insert({p, 0}); // only a rule without ports allows port 0: "every port"
    }
    for (const Edge &e : analysis.edges) {
        if (e.to.isWorkload())
            ports[static_cast<size_t>(e.to.index)].insert({e.protocol, e.port});
    }
    const Peer world{PeerKind::ExternalNetwork, worldNetwork, {}};
    std::vector<int> direct;
    for (size_t w = 0; w < n; ++w) {
        const Peer to = Peer::workload(static_cast<int>(w));
        for (const auto &[protocol, port] : ports[w]) {
            if (allows(world, to, protocol, port)) {
                direct.push_back(static_cast<int>(w));
                break;
            }
        }
    }
    return direct;
}

std::vector<std::pair<int, std::string>> internetFacingHints(const Inventory &inventory)
{
    std::set<std::pair<int, std::string>> hints;
    for (const Service &service : inventory.services) {
        if (service.type != "LoadBalancer" && service.type != "NodePort")
            continue;
        for (size_t backend : service.backends)
            hints.insert(
                {static_cast<int>(backend), "Service " + service.id() + " is a " + service.type});
    }
    for (const IngressRoutes &ingress : inventory.ingresses) {
        for (const std::string &name : ingress.services) {
            const auto it = std::lower_bound(
                inventory.services.begin(), inventory.services.end(), std::tie(ingress.ns, name),
                [](const Service &s, const auto &key) { return std::tie(s.ns, s.name) < key; });
            if (it == inventory.services.end() || it->ns != ingress.ns || it->name != name)
                continue; // a Service the inventory does not hold: no workload to point at
            for (size_t backend : it->backends)
                hints.insert({static_cast<int>(backend),
                              "Ingress " + ingress.id() + " routes to Service " + it->id()});
        }
    }
    return {hints.begin(), hints.end()};
}

InternetExposure computeInternetExposure(const Inventory &inventory, const Zones &zones,
                                         const ReachGraph &graph, std::vector<int> direct)
{
    InternetExposure out;
    const size_t n = inventory.workloads.size();
    std::sort(direct.begin(), direct.end());
    direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
    out.direct = direct;

    // parent[x]: the workload x was first reached from; -2 unreached, -1 reached from the internet.
    std::vector<int> parent(n, -2);
    std::deque<int> queue;
    for (int w : direct) {
        parent[static_cast<size_t>(w)] = -1;
        queue.push_back(w);
    }
    while (!queue.empty()) {
        const int w = queue.front();
        queue.pop_front();
        const auto visit = [&](int x) {
            if (x >= 0 && static_cast<size_t>(x) < n && parent[static_cast<size_t>(x)] == -2) {
                parent[static_cast<size_t>(x)] = w;
                queue.push_back(x);
            }
        };
        if (graph.complete) {
            for (size_t x = 0; x < n; ++x)
                visit(static_cast<int>(x));
        } else if (static_cast<size_t>(w) < graph.out.size()) {
            for (int x : graph.out[static_cast<size_t>(w)])
                visit(x);
        }
    }
    int bestRank = -1;
    for (size_t x = 0; x < n; ++x) {
        if (parent[x] == -2)
            continue;
        out.reach.push_back(static_cast<int>(x));
        const Workload &workload = inventory.workloads[x];
        const std::string &zone = workload.zone.empty() ? zones.defaultLevel : workload.zone;
        ++out.byZone[zone];
        const int rank = zones.levelIndex(zone);
        if (out.highestZone.empty() || rank > bestRank) {
            bestRank = rank;
            out.highestZone = zone;
        }
    }
    for (int x : out.reach) {
        const Workload &workload = inventory.workloads[static_cast<size_t>(x)];
        const std::string &zone = workload.zone.empty() ? zones.defaultLevel : workload.zone;
        if (zone != out.highestZone)
            continue;
        std::vector<int> path;
        for (int step = x; step >= 0; step = parent[static_cast<size_t>(step)])
            path.push_back(step);
        std::reverse(path.begin(), path.end());
        out.paths.emplace(x, std::move(path));
    }
    return out;
}

nlohmann::json internetExposureJson(const Inventory &inventory, const InternetExposure &exposure)
{
    nlohmann::json j;
    j["reach"] = namesSorted(inventory, exposure.reach);
    j["direct"] = namesSorted(inventory, exposure.direct);
    j["byZone"] = exposure.byZone;
    j["highestZone"] = exposure.highestZone.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json(exposure.highestZone);
    nlohmann::json paths = nlohmann::json::object();
    for (const auto &[target, path] : exposure.paths) {
        nlohmann::json names = nlohmann::json::array({"internet"});
        for (int step : path)
            names.push_back(inventory.workloads[static_cast<size_t>(step)].id());
        paths[inventory.workloads[static_cast<size_t>(target)].id()] = std::move(names);
    }
    j["paths"] = std::move(paths);
    return j;
}

} // namespace bulkhead
