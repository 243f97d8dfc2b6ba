#include "commands.h"
#include "notevaluated.h"
#include "output.h"

#include "design/decisionnetworks.h"
#include "design/intent.h"
#include "review/blastradius.h"
#include "review/ciliumevaluator.h"
#include "review/ciliumreach.h"
#include "review/evaluator.h"
#include "review/internetexposure.h"
#include "review/policyreach.h"
#include "review/reviewjson.h"
#include "review/tieredreach.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace bulkhead::cli {
namespace {

struct BlastRadiusCommand
{
    InputOptions input;
    PolicyOptions policies;
    std::string policy = "intent";
    std::vector<std::string> workloads;
    std::string format = "table";
    bool ipBlockMatchesPods = false;
    bool ciliumCidrMatchesNodes = false; // --cilium-cidr-match-nodes
    bool ignoreUnsupported = false;
    size_t maxPaths = 10;
    int run() const;
    int runUnguarded() const;
};

// Writes value as json::dump(2) would inside a document, its lines indented by `indent` spaces.
void dumpIndented(std::ostream &out, const nlohmann::json &value, unsigned indent)
{
    nlohmann::detail::serializer<nlohmann::json> serializer(
        nlohmann::detail::output_adapter<char>(out), ' ');
    serializer.dump(value, true, false, 2, indent);
}

std::string shareText(size_t count, int baseline)
{
    if (baseline <= 0)
        return std::to_string(count);
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.0f%%", 100.0 * static_cast<double>(count) / baseline);
    return std::to_string(count) + " (" + percent + ")";
}

int BlastRadiusCommand::run() const
{
    try {
        return runUnguarded();
    } catch (const std::bad_alloc &) {
        std::cout.flush();
        std::cerr << "\nbulkhead-cli: blast-radius: out of memory; the output is incomplete. Ask "
                     "for less: "
                     "--workload NS/NAME, a smaller --paths, or --format table\n";
        return ExitBadInput;
    }
}

int BlastRadiusCommand::runUnguarded() const
{
    auto model = loadModel(input, true);
    if (!model)
        return reportError(model.error());
    const int worldNetwork = ensureWorldNetwork(model->inventory); // the internet, as a peer
    const Inventory &inventory = model->inventory;

    // The workloads to report, by "ns/name", every one when none is named.
    std::vector<int> selected;
    for (const std::string &id : workloads) {
        const int w = inventory.findWorkload(id);
        if (w < 0) {
            std::cerr << "bulkhead-cli: --workload " << id << ": no workload \"" << id
                      << "\" in the inventory (expected namespace/name)\n";
            return ExitBadInput;
        }
        selected.push_back(w);
    }
    if (selected.empty()) {
        for (size_t w = 0; w < inventory.workloads.size(); ++w)
            selected.push_back(static_cast<int>(w));
    }
    std::sort(selected.begin(), selected.end(), [&](int a, int b) {
        return inventory.workloads[static_cast<size_t>(a)].id()
               < inventory.workloads[static_cast<size_t>(b)].id();
    });
    selected.erase(std::unique(selected.begin(), selected.end()), selected.end());

    std::vector<std::string> warnings = model->warnings;
    ReachGraph graph;
    std::vector<NotEvaluatedPolicy> notEvaluated;
    std::vector<int> internetDirect;
    std::string policyName = policy;
    // With Cilium policies: how many, and the pairs counted as reachable only for lack of a
    // decision (the blast radius is an upper bound).
    std::optional<std::pair<size_t, size_t>> cilium; // {policies, undecided pairs}
    if (policies.files.empty() && ciliumCidrMatchesNodes)
        return reportError(
            Error{{}, 0, "--cilium-cidr-match-nodes: only with --policies naming Cilium policies"});
    if (!policies.files.empty()) {
        auto loaded = loadPolicySet(policies, &warnings, &notEvaluated, true);
        if (!loaded)
            return reportError(loaded.error());
        if (const auto problem = ciliumSetProblem(*loaded, ipBlockMatchesPods))
            return reportError(*problem);
        if (loaded->ciliumPolicies.empty() && ciliumCidrMatchesNodes)
            return reportError(Error{
                {}, 0, "--cilium-cidr-match-nodes: no CiliumNetworkPolicy in the given files"});
        policyName = "policies";
        if (!loaded->ciliumPolicies.empty()) {
            // Cilium enforces the NetworkPolicies too: one evaluator for both, as `check` builds
            // it.
            const CiliumEvaluator evaluator(
                inventory, loaded->networkPolicies, loaded->ciliumPolicies,
                CiliumNames{model->analysis.externalNames, model->analysis.resolvedNames},
                EvaluatorOptions{}, ciliumCidrMatchesNodes);
            CiliumReach reach = reachFromCiliumEvaluator(inventory, model->analysis, evaluator);
            graph = std::move(reach.graph);
            cilium = {loaded->ciliumPolicies.size(), reach.undecidedPairs};
            internetDirect
                = internetDirectFromCilium(inventory, model->analysis, evaluator, worldNetwork);
        } else {
            if (loaded->clusterPolicies.empty())
                graph = reachFromPolicies(inventory, model->analysis, loaded->networkPolicies,
                                          EvaluatorOptions{ipBlockMatchesPods});
            else // the cluster-scoped tiers around the NetworkPolicies
                graph = reachFromTieredPolicies(inventory, model->analysis, loaded->networkPolicies,
                                                loaded->clusterPolicies);
            // The internet's way in: cluster-scoped ingress peers name only namespaces and pods,
            // so for connections from outside the cluster the NetworkPolicies alone decide.
            const PolicyEvaluator evaluator(inventory, loaded->networkPolicies,
                                            EvaluatorOptions{ipBlockMatchesPods});
            internetDirect
                = internetDirectFromPolicies(inventory, model->analysis, evaluator, worldNetwork);
        }
    } else if (policy == "none") {
        graph = reachWithoutPolicy(inventory);
        internetDirect = internetDirectWithoutPolicy(inventory);
    } else {
        const Intent intent = computeIntent(inventory, model->zones, model->analysis, Decisions{});
        warnings.insert(warnings.end(), intent.warnings.begin(), intent.warnings.end());
        graph = reachFromEdges(inventory, intent.edges);
        internetDirect = internetDirectFromEdges(inventory, intent.edges);
    }
    const InternetExposure internet
        = computeInternetExposure(inventory, model->zones, graph, std::move(internetDirect));

    std::string out;
    if (format == "json") {
        // Streamed: one workload's object at a time, so memory does not grow with the output.
        std::cout << "{\n  \"policy\": " << nlohmann::json(policyName).dump()
                  << ",\n  \"workloads\": [";
        bool first = true;
        forEachBlastRadius(inventory, model->zones, graph, selected, [&](BlastRadius &&r) {
            std::cout << (first ? "\n    " : ",\n    ");
            dumpIndented(std::cout, blastRadiusJson(inventory, r, maxPaths), 4);
            first = false;
        });
        std::cout << (first ? "]" : "\n  ]");
        if (!policies.files.empty()) {
            std::cout << ",\n  \"notEvaluated\": ";
            dumpIndented(std::cout, notEvaluatedJson(notEvaluated), 2);
        }
        if (cilium) {
            std::cout << ",\n  \"cilium\": ";
            dumpIndented(std::cout,
                         nlohmann::json{{"policies", cilium->first},
                                        {"undecidedPairs", cilium->second},
                                        {"undecidedCountsAsReachable", true}},
                         2);
        }
        nlohmann::json internetJson = internetExposureJson(inventory, internet);
        nlohmann::json hints = nlohmann::json::array();
        for (const auto &[w, why] : internetFacingHints(inventory))
            hints.push_back(
                {{"workload", inventory.workloads[static_cast<size_t>(w)].id()}, {"hint", why}});
        internetJson["likelyFacing"] = std::move(hints);
        std::cout << ",\n  \"internet\": ";
        dumpIndented(std::cout, internetJson, 2);
        std::cout << "\n}\n";
        std::cout.flush();
        if (!std::cout) {
            std::cerr << "bulkhead-cli: blast-radius: could not write the output (standard output "
                         "closed or full)\n";
            return ExitBadInput;
        }
    } else {
        const std::vector<std::string> header
            = {"WORKLOAD", "ZONE", "REACH", "DIRECT", "REACHED BY", "HIGHEST ZONE", "BASELINE"};
        std::vector<std::vector<std::string>> rows;
        forEachBlastRadius(inventory, model->zones, graph, selected, [&](BlastRadius &&r) {
            const Workload &workload = inventory.workloads[static_cast<size_t>(r.workload)];
            rows.push_back({workload.id(), workload.zone, shareText(r.reach.size(), r.baseline),
                            std::to_string(r.direct.size()), std::to_string(r.reachedBy.size()),
                            r.highestZone.empty() ? "-" : r.highestZone,
                            std::to_string(r.baseline)});
        });
        out = formatTable(header, rows);
        out += "\npolicy: " + policyName + " (" + std::to_string(inventory.workloads.size())
               + " workloads; reach = workloads reachable transitively, baseline = with no "
                 "policy)\n";
        if (cilium)
            out += "cilium: " + std::to_string(cilium->first)
                   + " Cilium policies evaluated with the NetworkPolicies; "
                   + std::to_string(cilium->second)
                   + " workload pairs the inventory cannot decide count as reachable (an upper "
                     "bound)\n";
        if (!notEvaluated.empty())
            out += '\n' + notEvaluatedTable(notEvaluated, ignoreUnsupported);
        out += "internet: reaches " + std::to_string(internet.reach.size()) + " workloads ("
               + std::to_string(internet.direct.size()) + " directly)"
               + (internet.highestZone.empty() ? std::string()
                                               : ", highest zone " + internet.highestZone)
               + '\n';
        for (const auto &[w, why] : internetFacingHints(inventory))
            out += "  likely internet-facing: " + inventory.workloads[static_cast<size_t>(w)].id()
                   + " (" + why + "); design a world edge if it is\n";
    }
    std::cout << out;
    printWarnings(warnings);
    return notEvaluatedExit(notEvaluated, ignoreUnsupported);
}

} // namespace

void registerBlastRadiusCommand(CLI::App &app, int &exitCode)
{
    auto command = std::make_shared<BlastRadiusCommand>();
    CLI::App *c = app.add_subcommand(
        "blast-radius", "How far an attacker holding each workload could reach, transitively");
    addInputOptions(c, command->input, true);
    c->add_option("--zones", command->input.zones, "Zones file (levels, label key, rules)")
        ->check(CLI::ExistingFile);
    c->add_option(
         "--policy", command->policy,
         "none: every pod reaches every pod; intent: the observed edges through the zone rules")
        ->check(CLI::IsMember({"none", "intent"}))
        ->capture_default_str();
    addPolicyOptions(
        c, command->policies, false,
        "NetworkPolicy YAML to evaluate instead of the intent, with the cluster-scoped "
        "kinds or with CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy "
        "(repeatable)");
    c->add_option("--workload", command->workloads,
                  "Only this workload, as namespace/name (repeatable)");
    c->add_option("--format", command->format, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    c->add_option("--paths", command->maxPaths,
                  "JSON: at most this many shortest paths per workload (0: every one; "
                  "\"pathsOmitted\" counts the rest)")
        ->capture_default_str();
    c->add_flag("--ipblock-matches-pods", command->ipBlockMatchesPods,
                "With --policies: let ipBlock match pod addresses (some CNIs do; by default, as "
                "most, they do not)");
    c->add_flag(
        "--cilium-cidr-match-nodes", command->ciliumCidrMatchesNodes,
        "With CiliumNetworkPolicies: Cilium runs with policy-cidr-match-mode=nodes (CIDR rules and "
        "NetworkPolicy ipBlocks match node addresses; by default they do not)");
    addIgnoreUnsupportedOption(c, command->ignoreUnsupported, "Calico, ...");
    c->callback([command, &exitCode] { exitCode = command->run(); });
}

} // namespace bulkhead::cli
