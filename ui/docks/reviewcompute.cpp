#include "docks/reviewcompute.h"

#include "design/decisionnetworks.h"
#include "model/model.h"
#include "review/ciliumevaluator.h"
#include "review/ciliumreach.h"
#include "review/evaluator.h"
#include "review/policyreach.h"
#include "review/tieredevaluator.h"
#include "review/tieredreach.h"

#include <algorithm>
#include <functional>

namespace bulkhead::ui {

namespace {

template <typename Evaluator>
AllowsFunction allowsOf(const Evaluator &evaluator)
{
    return [&evaluator](const Peer &from, const Peer &to, Protocol protocol, uint16_t port) {
        return evaluator.allows(from, to, protocol, port);
    };
}

// The findings under Cilium policies (with the NetworkPolicies Cilium enforces beside them):
// check's breaks at layers 3/4 and 7, its excess and undecided edges, and the reach (undecided
// pairs counted as reachable). A policy of either API that selects nothing is a warning.
void reviewCilium(PolicyReview &review, const Inventory &inventory, const Analysis &analysis,
                  const PolicyEvaluator &current, const CiliumEvaluator &cilium)
{
    review.selection = policySelection(current);
    for (size_t p = 0; p < cilium.policies().size(); ++p) {
        ++review.selection.policies;
        if (cilium.selectedWorkloads(p).empty())
            review.selection.warnings.push_back(
                {cilium.policies()[p].id(), "selects no workload of the inventory"});
        else
            ++review.selection.selecting;
    }
    CiliumCheckResult found = checkCilium(inventory, analysis, cilium);
    review.check.observedEdges = found.observedEdges;
    review.check.breaks = found.breaks;
    review.check.excess = std::move(found.excess);
    for (const PolicyBreak &b : found.breaks)
        review.breaks.push_back({b.edge, b.side, VerdictTier::NetworkPolicy, {}, {}, b.reason});
    for (const HttpBreak &b : found.httpBreaks) {
        const HttpRequestSeen &r = b.request;
        Edge edge{Peer::workload(r.clientWorkload),
                  Peer::workload(r.serverWorkload),
                  Protocol::TCP,
                  r.port,
                  {},
                  {}};
        const auto observed = std::find_if(analysis.edges.begin(), analysis.edges.end(),
                                           [&](const Edge &e) { return sameEdge(e, edge); });
        if (observed != analysis.edges.end())
            edge.evidence = observed->evidence;
        std::string rules;
        for (const std::string &rule : b.rules)
            rules += (rules.empty() ? "" : ", ") + rule;
        review.breaks.push_back({std::move(edge),
                                 b.side + " (layer 7)",
                                 VerdictTier::NetworkPolicy,
                                 {},
                                 {},
                                 r.method + ' ' + b.target + " (" + std::to_string(b.requests)
                                     + " requests): no rules.http of " + rules + " matches"});
    }
    review.httpBreaks = found.httpBreaks.size();
    review.undecided = std::move(found.undecided);
    CiliumReach reach = reachFromCiliumEvaluator(inventory, analysis, cilium);
    review.reachNow = std::make_shared<const ReachGraph>(std::move(reach.graph));
    review.undecidedPairs = reach.undecidedPairs;
    review.ciliumPolicies = cilium.policies().size();
}

} // namespace

std::shared_ptr<const PolicyReview> computeReview(std::shared_ptr<Model> model, PolicySet set,
                                                  std::vector<NetworkPolicy> designPolicies,
                                                  std::vector<Edge> designEdges,
                                                  std::shared_ptr<const PolicyReview> previous)
{
    auto review = std::make_shared<PolicyReview>();
    const int world = ensureWorldNetwork(model->inventory);
    const Inventory &inventory = model->inventory;
    const Analysis &analysis = model->analysis;
    const std::vector<NetworkPolicy> &policies = set.networkPolicies;
    const PolicyEvaluator current(inventory, policies);
    if (previous) {
        review->selection = previous->selection;
        review->noneSelects = previous->noneSelects;
        review->check = previous->check;
        review->breaks = previous->breaks;
        review->dead = previous->dead;
        review->excessByWorkload = previous->excessByWorkload;
        review->clusterPolicies = previous->clusterPolicies;
        review->clusterSubjects = previous->clusterSubjects;
        review->reachNow = previous->reachNow;
        review->ciliumPolicies = previous->ciliumPolicies;
        review->httpBreaks = previous->httpBreaks;
        review->undecided = previous->undecided;
        review->undecidedPairs = previous->undecidedPairs;
    }
    if (!set.ciliumPolicies.empty()) {
        // Cilium enforces the NetworkPolicies too: one evaluator for both. The design replaces
        // both (its Cilium export allows the same connections at layers 3/4 as its
        // NetworkPolicies).
        const CiliumEvaluator cilium(inventory, policies, set.ciliumPolicies,
                                     CiliumNames{analysis.externalNames, analysis.resolvedNames});
        const CiliumReachAllows upper{cilium};
        if (!previous)
            reviewCilium(*review, inventory, analysis, current, cilium);
        const PolicyEvaluator design(inventory, designPolicies);
        review->comparison = compareAllowances(analysis, allowsOf(upper), allowsOf(design),
                                               designEdges, review->check.excess,
                                               checkPolicies(inventory, analysis, design).excess);
        review->internetNow = computeInternetExposure(
            inventory, model->zones, *review->reachNow,
            previous ? previous->internetNow.direct
                     : internetDirectFromCilium(inventory, analysis, cilium, world));
    } else if (set.clusterPolicies.empty()) {
        if (!previous) {
            review->selection = policySelection(current);
            if (review->selection.noneSelects())
                review->noneSelects = noneSelectsMessage(current);
            review->check = checkPolicies(inventory, analysis, current);
            for (const PolicyBreak &b : review->check.breaks)
                review->breaks.push_back(
                    {b.edge, b.side, VerdictTier::NetworkPolicy, {}, {}, b.reason});
            review->reachNow = std::make_shared<const ReachGraph>(
                reachFromPolicies(inventory, analysis, policies));
        }
        const PolicyEvaluator design(inventory, designPolicies);
        review->comparison = compareAllowances(analysis, allowsOf(current), allowsOf(design),
                                               designEdges, review->check.excess,
                                               checkPolicies(inventory, analysis, design).excess);
        review->internetNow = computeInternetExposure(
            inventory, model->zones, *review->reachNow,
            previous ? previous->internetNow.direct
                     : internetDirectFromPolicies(inventory, analysis, current, world));
    } else {
        const TieredEvaluator tiered(inventory, policies, set.clusterPolicies);
        if (!previous) {
            review->selection = policySelection(current);
            TieredCheckResult found = checkTiered(inventory, analysis, tiered);
            review->check.observedEdges = found.observedEdges;
            for (const TieredBreak &b : found.breaks)
                review->check.breaks.push_back({b.edge, b.side, b.reason});
            review->check.excess = found.excess;
            review->breaks = std::move(found.breaks);
            review->dead = std::move(found.dead);
            review->reachNow = std::make_shared<const ReachGraph>(
                reachFromTieredPolicies(inventory, analysis, policies, set.clusterPolicies));
            review->clusterPolicies = tiered.clusterPolicies();
            for (size_t i = 0; i < review->clusterPolicies.size(); ++i) {
                const IndexList subject = tiered.subjectWorkloads(i);
                review->clusterSubjects.emplace_back(subject.begin(), subject.end());
            }
        }
        // The design replaces the NetworkPolicies; the cluster-scoped policies stay in force.
        const TieredEvaluator design(inventory, designPolicies, set.clusterPolicies);
        review->comparison = compareAllowances(analysis, allowsOf(tiered), allowsOf(design),
                                               designEdges, review->check.excess,
                                               checkTiered(inventory, analysis, design).excess);
        review->internetNow = computeInternetExposure(
            inventory, model->zones, *review->reachNow,
            previous ? previous->internetNow.direct
                     : internetDirectFromAllows(inventory, analysis, allowsOf(tiered), world));
    }
    if (!previous)
        review->excessByWorkload = summariseExcess(review->check.excess);
    review->internetDesign
        = computeInternetExposure(inventory, model->zones, reachFromEdges(inventory, designEdges),
                                  internetDirectFromEdges(inventory, designEdges));
    review->policies = std::move(set.networkPolicies);
    review->model = std::move(model);
    return review;
}

} // namespace bulkhead::ui
