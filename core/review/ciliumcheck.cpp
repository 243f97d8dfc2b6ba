#include "review/ciliumcheck.h"

#include "review/reviewjson.h"

#include "analysis/analysis.h"
#include "inventory/inventory.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace bulkhead {

CiliumCheckResult checkCilium(const Inventory &inventory, const Analysis &analysis,
                              const CiliumEvaluator &evaluator)
{
    CiliumCheckResult result;
    result.observedEdges = analysis.edges.size();
    const size_t n = inventory.workloads.size();
    std::set<std::tuple<Peer, Peer, Protocol, uint16_t>> observed;
    std::vector<std::set<std::pair<Protocol, uint16_t>>> portsTo(n);
    for (const Edge &edge : analysis.edges) {
        observed.insert({edge.from, edge.to, edge.protocol, edge.port});
        if (edge.to.isWorkload())
            portsTo[static_cast<size_t>(edge.to.index)].insert({edge.protocol, edge.port});
        const CiliumDecision d = evaluator.decide(edge.from, edge.to, edge.protocol, edge.port);
        if (d == CiliumDecision::Allowed)
            continue;
        const CiliumVerdict v = evaluator.evaluate(edge.from, edge.to, edge.protocol, edge.port);
        if (d == CiliumDecision::Undecided) {
            result.undecided.push_back({edge, v.reason});
            continue;
        }
        const bool egressDenied = v.egress.decision == CiliumDecision::Denied;
        const bool ingressDenied = v.ingress.decision == CiliumDecision::Denied;
        result.breaks.push_back(PolicyBreak{edge,
                                            egressDenied && ingressDenied ? "ingress+egress"
                                            : egressDenied                ? "egress"
                                                                          : "ingress",
                                            v.reason});
    }

    // Layer 7: requests of connections allowed at layer 3/4 (a denied one is a break already).
    for (const HttpRequestSeen &r : analysis.httpRequests) {
        if (r.clientWorkload < 0 || r.serverWorkload < 0)
            continue;
        const Peer from = Peer::workload(r.clientWorkload), to = Peer::workload(r.serverWorkload);
        if (evaluator.decide(from, to, Protocol::TCP, r.port) != CiliumDecision::Allowed)
            continue;
        result.httpRequests += r.count;
        // What Envoy matches: the path alone for the requests without a query string, and
        // path?query for each query kept.
        std::vector<std::pair<std::string, uint64_t>> targets;
        if (r.withoutQuery() > 0)
            targets.emplace_back(r.path, r.withoutQuery());
        for (const std::string &q : r.queries.samples)
            targets.emplace_back(r.path + '?' + q, r.queries.requests);
        for (const PolicyDirection direction :
             {PolicyDirection::Egress, PolicyDirection::Ingress}) {
            for (const auto &[target, requests] : targets) {
                const CiliumHttpVerdict v = evaluator.httpVerdict(r, direction, &target);
                if (v.enforced && !v.allowed)
                    result.httpBreaks.push_back(HttpBreak{
                        r, target, requests,
                        direction == PolicyDirection::Ingress ? "ingress" : "egress", v.rules});
            }
        }
    }

    for (size_t to = 0; to < n; ++to) {
        for (const ContainerPort &p : inventory.workloads[to].ports)
            portsTo[to].insert({p.protocol, p.port});
    }
    for (size_t to = 0; to < n; ++to) {
        if (portsTo[to].empty())
            continue;
        const std::vector<uint64_t> candidates = evaluator.ingressCandidates(static_cast<int>(to));
        const Peer dst = Peer::workload(static_cast<int>(to));
        for (size_t from = 0; from < n; ++from) {
            if (!(candidates[from / 64] >> (from % 64) & 1))
                continue;
            const Peer src = Peer::workload(static_cast<int>(from));
            for (const auto &[protocol, port] : portsTo[to]) {
                if (observed.count({src, dst, protocol, port})
                    || evaluator.decide(src, dst, protocol, port) != CiliumDecision::Allowed)
                    continue;
                const CiliumVerdict v = evaluator.evaluate(src, dst, protocol, port);
                PolicyExcess e{src, dst, protocol, port, v.egress.allowedBy};
                e.policies.insert(e.policies.end(), v.ingress.allowedBy.begin(),
                                  v.ingress.allowedBy.end());
                result.excess.push_back(std::move(e));
            }
        }
    }
    std::sort(result.excess.begin(), result.excess.end(),
              [](const PolicyExcess &a, const PolicyExcess &b) {
                  return std::tie(a.from, a.to, a.protocol, a.port)
                         < std::tie(b.from, b.to, b.protocol, b.port);
              });
    return result;
}

nlohmann::json ciliumCheckJson(const Inventory &inventory, const CiliumCheckResult &result)
{
    CheckResult plain;
    plain.observedEdges = result.observedEdges;
    plain.breaks = result.breaks;
    plain.excess = result.excess;
    nlohmann::json j = checkResultJson(inventory, plain);
    nlohmann::json l7 = nlohmann::json::array();
    for (const HttpBreak &b : result.httpBreaks) {
        std::set<std::string> policies;
        for (const std::string &r : b.rules)
            policies.insert(r.substr(0, r.find(' ')));
        const HttpRequestSeen &r = b.request;
        l7.push_back({{"from", inventory.workloads[static_cast<size_t>(r.clientWorkload)].id()},
                      {"to", inventory.workloads[static_cast<size_t>(r.serverWorkload)].id()},
                      {"port", r.port},
                      {"method", r.method},
                      {"path", r.path},
                      {"query", b.target.size() > r.path.size()
                                    ? nlohmann::json(b.target.substr(r.path.size() + 1))
                                    : nlohmann::json(nullptr)},
                      {"target", b.target},
                      {"host", r.host},
                      {"requests", b.requests},
                      {"side", b.side},
                      {"policies", std::vector<std::string>(policies.begin(), policies.end())},
                      {"rules", b.rules}});
    }
    nlohmann::json undecided = nlohmann::json::array();
    for (const UndecidedEdge &u : result.undecided) {
        undecided.push_back({{"from", peerName(inventory, u.edge.from)},
                             {"to", peerName(inventory, u.edge.to)},
                             {"protocol", protocolName(u.edge.protocol)},
                             {"port", u.edge.port},
                             {"flows", u.edge.evidence.flows},
                             {"reason", u.reason}});
    }
    j["l7Breaks"] = std::move(l7);
    j["undecided"] = std::move(undecided);
    j["summary"]["l7Breaks"] = result.httpBreaks.size();
    j["summary"]["httpRequests"] = result.httpRequests;
    j["summary"]["undecided"] = result.undecided.size();
    return j;
}

std::optional<Error> ciliumWithClusterTiers(const PolicySet &set)
{
    if (set.ciliumPolicies.empty() || set.clusterPolicies.empty())
        return std::nullopt;
    const ClusterNetworkPolicy &c = set.clusterPolicies.front();
    const CiliumNetworkPolicy &p = set.ciliumPolicies.front();
    return Error{c.sourceFile, c.sourceLine,
                 c.id() + " with " + p.id() + " (" + p.sourceFile + ':'
                     + std::to_string(p.sourceLine)
                     + "): Cilium does not enforce the cluster tiers (ClusterNetworkPolicy, "
                       "AdminNetworkPolicy, BaselineAdminNetworkPolicy); review them apart"};
}

} // namespace bulkhead
