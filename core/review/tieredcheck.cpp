#include "review/tieredcheck.h"

#include "review/reviewjson.h"

#include "analysis/analysis.h"
#include "inventory/inventory.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace bulkhead {

namespace {

std::vector<std::string> allowingRules(const TieredVerdict &v)
{
    std::vector<std::string> out;
    for (const PolicyDirection direction : {PolicyDirection::Egress, PolicyDirection::Ingress}) {
        const bool egress = direction == PolicyDirection::Egress;
        const TieredSide &side = egress ? v.egress : v.ingress;
        if (side.tier == VerdictTier::NetworkPolicy) {
            const auto &rules
                = egress ? v.networkPolicy.egress.allowedBy : v.networkPolicy.ingress.allowedBy;
            out.insert(out.end(), rules.begin(), rules.end());
        } else if (!side.policy.empty()) {
            out.push_back(side.policy + ' ' + side.rule);
        }
    }
    return out;
}

} // namespace

TieredCheckResult checkTiered(const Inventory &inventory, const Analysis &analysis,
                              const TieredEvaluator &evaluator)
{
    TieredCheckResult result;
    result.observedEdges = analysis.edges.size();
    const PolicyEvaluator &np = evaluator.networkPolicies();

    std::set<std::tuple<Peer, Peer, Protocol, uint16_t>> observed;
    std::vector<std::set<std::pair<Protocol, uint16_t>>> portsTo(inventory.workloads.size());
    std::set<std::tuple<Peer, Peer, Protocol, uint16_t>> deadSeen;

    // A denied connection whose denial is an Admin-tier Deny while the NetworkPolicies alone, with
    // a rule, allow it.
    const auto deadCheck = [&](const Peer &from, const Peer &to, Protocol protocol, uint16_t port,
                               bool wasObserved) {
        if (deadSeen.count({from, to, protocol, port}))
            return;
        for (const PolicyDirection direction :
             {PolicyDirection::Egress, PolicyDirection::Ingress}) {
            const TieredEvaluator::SideDecision d
                = evaluator.decide(from, to, protocol, port, direction);
            if (d.allowed || d.tier != VerdictTier::Admin)
                continue;
            const bool npIsolates
                = (from.isWorkload() && np.isolated(from.index, PolicyDirection::Egress))
                  || (to.isWorkload() && np.isolated(to.index, PolicyDirection::Ingress));
            if (!npIsolates || !np.allows(from, to, protocol, port))
                return; // no NetworkPolicy rule allows it: nothing dead
            const Verdict npVerdict = np.evaluate(from, to, protocol, port);
            if (npVerdict.egress.allowedBy.empty() && npVerdict.ingress.allowedBy.empty())
                return; // nothing isolates: no NetworkPolicy allowance to speak of
            const TieredVerdict tv = evaluator.evaluate(from, to, protocol, port);
            const TieredSide &side = direction == PolicyDirection::Egress ? tv.egress : tv.ingress;
            DeadAllowance dead{from,       to, protocol, port, {}, side.policy + ' ' + side.rule,
                               wasObserved};
            dead.allowedBy = npVerdict.egress.allowedBy;
            dead.allowedBy.insert(dead.allowedBy.end(), npVerdict.ingress.allowedBy.begin(),
                                  npVerdict.ingress.allowedBy.end());
            deadSeen.insert({from, to, protocol, port});
            result.dead.push_back(std::move(dead));
            return;
        }
    };

    for (const Edge &edge : analysis.edges) {
        observed.insert({edge.from, edge.to, edge.protocol, edge.port});
        if (edge.to.isWorkload())
            portsTo[static_cast<size_t>(edge.to.index)].insert({edge.protocol, edge.port});
        if (evaluator.allows(edge.from, edge.to, edge.protocol, edge.port))
            continue;
        const TieredVerdict v = evaluator.evaluate(edge.from, edge.to, edge.protocol, edge.port);
        TieredBreak b;
        b.edge = edge;
        b.side = !v.ingress.allowed && !v.egress.allowed
                     ? "ingress+egress"
                     : (v.ingress.allowed ? "egress" : "ingress");
        b.tier = v.tier;
        b.policy = v.policy;
        b.rule = v.rule;
        b.reason = v.reason;
        if (v.tier == VerdictTier::Admin)
            ++result.adminDenyBreaks;
        result.breaks.push_back(std::move(b));
        deadCheck(edge.from, edge.to, edge.protocol, edge.port, true);
    }

    for (size_t to = 0; to < inventory.workloads.size(); ++to) {
        for (const ContainerPort &p : inventory.workloads[to].ports)
            portsTo[to].insert({p.protocol, p.port});
    }
    const size_t n = inventory.workloads.size();
    for (size_t to = 0; to < n; ++to) {
        if (portsTo[to].empty())
            continue;
        const std::vector<uint64_t> candidates = evaluator.ingressCandidates(static_cast<int>(to));
        const std::vector<uint64_t> npCandidates = np.ingressCandidates(static_cast<int>(to));
        const Peer dst = Peer::workload(static_cast<int>(to));
        for (size_t from = 0; from < n; ++from) {
            const bool tieredCandidate = candidates[from / 64] >> (from % 64) & 1;
            const bool npCandidate = npCandidates[from / 64] >> (from % 64) & 1;
            if (!tieredCandidate && !npCandidate)
                continue;
            const Peer src = Peer::workload(static_cast<int>(from));
            for (const auto &[protocol, port] : portsTo[to]) {
                const bool wasObserved = observed.count({src, dst, protocol, port}) > 0;
                if (!evaluator.allows(src, dst, protocol, port)) {
                    if (npCandidate && !wasObserved)
                        deadCheck(src, dst, protocol, port, false);
                    continue;
                }
                if (wasObserved)
                    continue;
                const TieredVerdict v = evaluator.evaluate(src, dst, protocol, port);
                result.excess.push_back(PolicyExcess{src, dst, protocol, port, allowingRules(v)});
            }
        }
    }
    const auto key = [](const Peer &a, const Peer &b, Protocol p, uint16_t port) {
        return std::make_tuple(a, b, p, port);
    };
    std::sort(result.excess.begin(), result.excess.end(),
              [&](const PolicyExcess &a, const PolicyExcess &b) {
                  return key(a.from, a.to, a.protocol, a.port)
                         < key(b.from, b.to, b.protocol, b.port);
              });
    std::sort(result.dead.begin(), result.dead.end(),
              [&](const DeadAllowance &a, const DeadAllowance &b) {
                  return key(a.from, a.to, a.protocol, a.port)
                         < key(b.from, b.to, b.protocol, b.port);
              });
    return result;
}

nlohmann::json tieredCheckJson(const Inventory &inventory, const TieredCheckResult &result)
{
    CheckResult plain;
    plain.observedEdges = result.observedEdges;
    plain.excess = result.excess;
    for (const TieredBreak &b : result.breaks)
        plain.breaks.push_back(PolicyBreak{b.edge, b.side, b.reason});
    nlohmann::json j = checkResultJson(inventory, plain);
    for (size_t i = 0; i < result.breaks.size(); ++i) {
        j["breaks"][i]["tier"] = verdictTierName(result.breaks[i].tier);
        j["breaks"][i]["policy"] = result.breaks[i].policy;
        j["breaks"][i]["rule"] = result.breaks[i].rule;
    }
    nlohmann::json dead = nlohmann::json::array();
    for (const DeadAllowance &d : result.dead) {
        dead.push_back({{"from", peerName(inventory, d.from)},
                        {"to", peerName(inventory, d.to)},
                        {"protocol", protocolName(d.protocol)},
                        {"port", d.port},
                        {"allowedBy", d.allowedBy},
                        {"deniedBy", d.deniedBy},
                        {"observed", d.observed}});
    }
    j["deadAllowances"] = std::move(dead);
    j["summary"]["adminDenyBreaks"] = result.adminDenyBreaks;
    j["summary"]["deadAllowances"] = result.dead.size();
    return j;
}

std::string explainText(const Inventory &inventory, const TieredVerdict &verdict, const Peer &from,
                        const Peer &to, Protocol protocol, uint16_t port)
{
    std::string out = peerName(inventory, from) + " -> " + peerName(inventory, to) + ' '
                      + std::string(protocolName(protocol)) + '/' + std::to_string(port) + '\n';
    if (verdict.ownNode) {
        out += "  " + verdict.reason + "\nVerdict: allowed\n";
        return out;
    }
    for (const PolicyDirection direction : {PolicyDirection::Egress, PolicyDirection::Ingress}) {
        const bool egress = direction == PolicyDirection::Egress;
        out += std::string(egress ? "Egress of " : "Ingress of ")
               + peerName(inventory, egress ? from : to) + ":\n";
        std::string tier;
        for (const TierStep &step : verdict.steps) {
            if (step.direction != direction)
                continue;
            const std::string name = step.tier == VerdictTier::Default
                                         ? "Default"
                                         : std::string(verdictTierName(step.tier)) + " tier";
            if (name != tier) {
                out += "  " + name + ":\n";
                tier = name;
            }
            out += "    " + (step.policy.empty() ? std::string() : step.policy + ": ")
                   + step.outcome + (step.decided ? "  <- decides" : "") + '\n';
        }
        const TieredSide &side = egress ? verdict.egress : verdict.ingress;
        out += std::string("  => ") + (side.allowed ? "allowed" : "denied") + " (" + side.reason
               + ")\n";
    }
    out += std::string("Verdict: ") + (verdict.allowed ? "allowed" : "denied") + " by the "
           + std::string(verdictTierName(verdict.tier))
           + (verdict.tier == VerdictTier::Default ? "" : " tier")
           + (verdict.policy.empty() ? std::string() : ": " + verdict.policy)
           + (verdict.rule.empty() ? std::string() : ' ' + verdict.rule) + '\n';
    if (verdict.priorityTie)
        out += "Note: " + verdict.reason + '\n';
    return out;
}

} // namespace bulkhead
