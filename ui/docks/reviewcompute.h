#pragma once

#include "policy/clusternetworkpolicy.h"
#include "policy/networkpolicy.h"
#include "policy/policyloader.h"
#include "review/blastradius.h"
#include "review/check.h"
#include "review/ciliumcheck.h"
#include "review/internetexposure.h"
#include "review/policycompare.h"
#include "review/policyselection.h"
#include "review/tieredcheck.h"

#include <memory>
#include <vector>

namespace bulkhead {
struct Model;
}

namespace bulkhead::ui {

// What the policies in force do to the evidence and what the design would change, computed in
// the background from a copy of the model (so a design edit meanwhile changes nothing under it).
struct PolicyReview
{
    std::shared_ptr<const Model> model; // the model the indices below refer to (world added)
    std::vector<NetworkPolicy> policies;
    // Cluster-scoped policies (ClusterNetworkPolicy, AdminNetworkPolicy,
    // BaselineAdminNetworkPolicy) in evaluation order; when there are any, every verdict below is
    // the tiered one (review/tieredevaluator.h), cluster policies kept in force under the design
    // too.
    std::vector<ClusterNetworkPolicy> clusterPolicies;
    std::vector<std::vector<int>> clusterSubjects; // per cluster policy: its subject's workloads
    PolicySelection selection;
    std::string noneSelects;         // non-empty: no policy selects anything (the message)
    CheckResult check;               // breaks and excess under the policies in force
    std::vector<TieredBreak> breaks; // check.breaks with the tier, policy and rule deciding
    std::vector<DeadAllowance> dead; // NetworkPolicy allowances an Admin Deny makes dead
    std::vector<ExcessSummary> excessByWorkload;
    PolicyComparison comparison;                // what applying the design would change
    InternetExposure internetNow;               // under the policies in force
    InternetExposure internetDesign;            // under the design
    std::shared_ptr<const ReachGraph> reachNow; // who reaches whom under the policies in force
    // With Cilium policies (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy): every verdict
    // above is Cilium's, NetworkPolicies included (review/ciliumevaluator.h); breaks holds the
    // layer-3/4 breaks then the layer-7 ones; a connection Cilium cannot decide counts as allowed
    // in reachNow, internetNow and the comparison (an upper bound).
    size_t ciliumPolicies = 0;
    size_t httpBreaks = 0;                // layer-7 breaks among breaks (the last ones)
    std::vector<UndecidedEdge> undecided; // observed edges whose verdict cannot be settled
    size_t undecidedPairs = 0; // workload pairs in reachNow only because of an undecided verdict
};

// Everything the Review panel shows, from copies: runs on any thread. `previous`: a review of the
// same policies and inputs under another design, whose findings under the policies in force (which
// no design decision changes) are taken over; only compare and the exposure are computed again.
std::shared_ptr<const PolicyReview> computeReview(std::shared_ptr<Model> model, PolicySet set,
                                                  std::vector<NetworkPolicy> designPolicies,
                                                  std::vector<Edge> designEdges,
                                                  std::shared_ptr<const PolicyReview> previous);

} // namespace bulkhead::ui
