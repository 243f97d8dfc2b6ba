#include "review/policycompare.h"

#include "analysis/analysis.h"
#include "inventory/inventory.h"
#include "review/evaluator.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace bulkhead {

PolicyComparison comparePolicies(const Inventory &inventory, const Analysis &analysis,
                                 const PolicyEvaluator &current, const PolicyEvaluator &design,
                                 const std::vector<Edge> &designEdges)
{
    const auto allows = [](const PolicyEvaluator &set) {
        return [&set](const Peer &from, const Peer &to, Protocol protocol, uint16_t port) {
            return set.allows(from, to, protocol, port);
        };
    };
    return compareAllowances(analysis, allows(current), allows(design), designEdges,
                             checkPolicies(inventory, analysis, current).excess,
                             checkPolicies(inventory, analysis, design).excess);
}

PolicyComparison compareAllowances(const Analysis &analysis, const AllowsFunction &current,
                                   const AllowsFunction &design,
                                   const std::vector<Edge> &designEdges,
                                   const std::vector<PolicyExcess> &currentExcess,
                                   const std::vector<PolicyExcess> &designExcess)
{
    using Key = std::tuple<Peer, Peer, Protocol, uint16_t>;
    std::map<Key, bool> candidates; // -> observed
    for (const Edge &e : analysis.edges)
        candidates[{e.from, e.to, e.protocol, e.port}] = true;
    for (const Edge &e : designEdges)
        candidates.try_emplace({e.from, e.to, e.protocol, e.port}, false);
    for (const std::vector<PolicyExcess> *excess : {&currentExcess, &designExcess}) {
        for (const PolicyExcess &x : *excess)
            candidates.try_emplace({x.from, x.to, x.protocol, x.port}, false);
    }
    PolicyComparison out;
    for (const auto &[key, observed] : candidates) {
        const auto &[from, to, protocol, port] = key;
        const bool now = current(from, to, protocol, port);
        const bool then = design(from, to, protocol, port);
        if (now == then)
            continue;
        (now ? out.newlyBlocked : out.newlyAllowed)
            .push_back(Connection{from, to, protocol, port, observed});
    }
    // Observed traffic first: what would break is what matters most.
    for (std::vector<Connection> *list : {&out.newlyBlocked, &out.newlyAllowed})
        std::stable_partition(list->begin(), list->end(),
                              [](const Connection &c) { return c.observed; });
    return out;
}

std::vector<ExcessSummary> summariseExcess(const std::vector<PolicyExcess> &excess)
{
    struct Accumulator
    {
        int connections = 0;
        std::set<Peer> sources;
        std::set<std::string> policies;
    };
    std::map<int, Accumulator> byWorkload;
    for (const PolicyExcess &x : excess) {
        if (!x.to.isWorkload())
            continue;
        Accumulator &a = byWorkload[x.to.index];
        ++a.connections;
        a.sources.insert(x.from);
        for (const std::string &rule : x.policies)
            a.policies.insert(rule.substr(0, rule.find(' ')));
    }
    std::vector<ExcessSummary> out;
    for (auto &[workload, a] : byWorkload) {
        out.push_back({workload,
                       a.connections,
                       static_cast<int>(a.sources.size()),
                       {a.policies.begin(), a.policies.end()}});
    }
    std::stable_sort(out.begin(), out.end(), [](const ExcessSummary &a, const ExcessSummary &b) {
        return a.connections > b.connections;
    });
    return out;
}

} // namespace bulkhead
