#include "review/check.h"

#include "review/reviewjson.h"

#include "analysis/analysis.h"
#include "inventory/inventory.h"
#include "review/evaluator.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace bulkhead {

CheckResult checkPolicies(const Inventory &inventory, const Analysis &analysis,
                          const PolicyEvaluator &evaluator)
{
    CheckResult result;
    result.observedEdges = analysis.edges.size();

    std::set<std::tuple<Peer, Peer, Protocol, uint16_t>> observed;
    std::vector<std::set<std::pair<Protocol, uint16_t>>> portsTo(inventory.workloads.size());
    for (const Edge &edge : analysis.edges) {
        observed.insert({edge.from, edge.to, edge.protocol, edge.port});
        if (edge.to.isWorkload())
            portsTo[edge.to.index].insert({edge.protocol, edge.port});
        if (evaluator.allows(edge.from, edge.to, edge.protocol, edge.port))
            continue;
        const Verdict verdict = evaluator.evaluate(edge.from, edge.to, edge.protocol, edge.port);
        PolicyBreak b;
        b.edge = edge;
        if (!verdict.ingress.allowed && !verdict.egress.allowed)
            b.side = "ingress+egress";
        else
            b.side = verdict.ingress.allowed ? "egress" : "ingress";
        b.reason = verdict.reason;
        result.breaks.push_back(std::move(b));
    }

    for (size_t to = 0; to < inventory.workloads.size(); ++to) {
        for (const ContainerPort &p : inventory.workloads[to].ports)
            portsTo[to].insert({p.protocol, p.port});
    }
    // Every destination against the sources an ingress rule could let in (all of them when it is
    // not isolated), each confirmed by allows(): the same pairs as trying every (from, to), without
    // the n² evaluations. Sorted into (from, to, protocol, port) order after.
    for (size_t to = 0; to < inventory.workloads.size(); ++to) {
        if (portsTo[to].empty())
            continue;
        const std::vector<uint64_t> candidates = evaluator.ingressCandidates(static_cast<int>(to));
        const Peer dst = Peer::workload(static_cast<int>(to));
        for (size_t from = 0; from < inventory.workloads.size(); ++from) {
            if (!(candidates[from / 64] >> (from % 64) & 1))
                continue;
            const Peer src = Peer::workload(static_cast<int>(from));
            for (const auto &[protocol, port] : portsTo[to]) {
                if (observed.count({src, dst, protocol, port})
                    || !evaluator.allows(src, dst, protocol, port))
                    continue;
                const Verdict verdict = evaluator.evaluate(src, dst, protocol, port);
                PolicyExcess e{src, dst, protocol, port, {}};
                for (const std::string &rule : verdict.egress.allowedBy)
                    e.policies.push_back(rule);
                for (const std::string &rule : verdict.ingress.allowedBy)
                    e.policies.push_back(rule);
                result.excess.push_back(std::move(e));
            }
        }
    }
    std::sort(result.excess.begin(), result.excess.end(),
              [](const PolicyExcess &a, const PolicyExcess &b) {
                  return std::tie(a.from.index, a.to.index, a.protocol, a.port)
                         < std::tie(b.from.index, b.to.index, b.protocol, b.port);
              });
    return result;
}

namespace {

// "ns/name ingress[0]" -> "ns/name"
std::vector<std::string> policyNames(const std::vector<std::string> &rules)
{
    std::set<std::string> names;
    for (const std::string &rule : rules)
        names.insert(rule.substr(0, rule.find(' ')));
    return {names.begin(), names.end()};
}

} // namespace

nlohmann::json checkResultJson(const Inventory &inventory, const CheckResult &result)
{
    nlohmann::json breaks = nlohmann::json::array();
    for (const PolicyBreak &b : result.breaks) {
        breaks.push_back({{"from", peerName(inventory, b.edge.from)},
                          {"to", peerName(inventory, b.edge.to)},
                          {"protocol", protocolName(b.edge.protocol)},
                          {"port", b.edge.port},
                          {"flows", b.edge.evidence.flows},
                          {"side", b.side},
                          {"reason", b.reason}});
    }
    nlohmann::json excess = nlohmann::json::array();
    for (const PolicyExcess &e : result.excess) {
        excess.push_back({{"from", peerName(inventory, e.from)},
                          {"to", peerName(inventory, e.to)},
                          {"protocol", protocolName(e.protocol)},
                          {"port", e.port},
                          {"policies", policyNames(e.policies)},
                          {"rules", e.policies}});
    }
    nlohmann::json j;
    j["breaks"] = std::move(breaks);
    j["excess"] = std::move(excess);
    j["summary"] = {{"observedEdges", result.observedEdges},
                    {"breaks", result.breaks.size()},
                    {"excess", result.excess.size()}};
    return j;
}

} // namespace bulkhead
