#include "commands.h"
#include "output.h"

#include "design/intent.h"
#include "review/blastradius.h"
#include "review/evaluator.h"
#include "review/policyreach.h"
#include "review/tieredreach.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace bulkhead::cli {
namespace {

struct BlastRadiusCommand
{
    InputOptions input;
    PolicyOptions policies;
    std::string policy = "intent";
    std::vector<std::string> workloads;
    std::string format = "table";
    int run() const;
};

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
    auto model = loadModel(input, true);
    if (!model)
        return reportError(model.error());
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
        return inventory.workloads[static_cast<size_t>(a)].id() < inventory.workloads[static_cast<size_t>(b)].id();
    });
    selected.erase(std::unique(selected.begin(), selected.end()), selected.end());

    std::vector<std::string> warnings = model->warnings;
    ReachGraph graph;
    std::string policyName = policy;
    if (!policies.files.empty()) {
        auto loaded = loadPolicySet(policies, &warnings);
        if (!loaded)
            return reportError(loaded.error());
        if (loaded->clusterPolicies.empty())
            graph = reachFromPolicies(inventory, model->analysis, loaded->networkPolicies);
        else // the cluster-scoped tiers around the NetworkPolicies
            graph = reachFromTieredPolicies(inventory, model->analysis, loaded->networkPolicies, loaded->clusterPolicies);
        policyName = "policies";
    } else if (policy == "none") {
        graph = reachWithoutPolicy(inventory);
    } else {
        const Intent intent = computeIntent(inventory, model->zones, model->analysis, Decisions{});
        warnings.insert(warnings.end(), intent.warnings.begin(), intent.warnings.end());
        graph = reachFromEdges(inventory, intent.edges);
    }

    std::string out;
    if (format == "json") {
        nlohmann::json list = nlohmann::json::array();
        forEachBlastRadius(inventory, model->zones, graph, selected,
                           [&](BlastRadius &&r) { list.push_back(blastRadiusJson(inventory, r)); });
        nlohmann::json j;
        j["policy"] = policyName;
        j["workloads"] = std::move(list);
        out = j.dump(2) + '\n';
    } else {
        const std::vector<std::string> header = {"WORKLOAD", "ZONE", "REACH", "DIRECT", "REACHED BY",
                                                 "HIGHEST ZONE", "BASELINE"};
        std::vector<std::vector<std::string>> rows;
        forEachBlastRadius(inventory, model->zones, graph, selected, [&](BlastRadius &&r) {
            const Workload &workload = inventory.workloads[static_cast<size_t>(r.workload)];
            rows.push_back({workload.id(), workload.zone, shareText(r.reach.size(), r.baseline),
                            std::to_string(r.direct.size()), std::to_string(r.reachedBy.size()),
                            r.highestZone.empty() ? "-" : r.highestZone, std::to_string(r.baseline)});
        });
        out = formatTable(header, rows);
        out += "\npolicy: " + policyName + " (" + std::to_string(inventory.workloads.size())
               + " workloads; reach = workloads reachable transitively, baseline = with no policy)\n";
    }
    std::cout << out;
    printWarnings(warnings);
    return ExitOk;
}

} // namespace

void registerBlastRadiusCommand(CLI::App &app, int &exitCode)
{
    auto command = std::make_shared<BlastRadiusCommand>();
    CLI::App *c = app.add_subcommand("blast-radius",
                                     "How far an attacker holding each workload could reach, transitively");
    addInputOptions(c, command->input, true);
    c->add_option("--zones", command->input.zones, "Zones file (levels, label key, rules)")->check(CLI::ExistingFile);
    c->add_option("--policy", command->policy,
                  "none: every pod reaches every pod; intent: the observed edges through the zone rules")
        ->check(CLI::IsMember({"none", "intent"}))
        ->capture_default_str();
    addPolicyOptions(c, command->policies, false, "NetworkPolicy YAML to evaluate instead of the intent (repeatable)");
    c->add_option("--workload", command->workloads, "Only this workload, as namespace/name (repeatable)");
    c->add_option("--format", command->format, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    c->callback([command, &exitCode] { exitCode = command->run(); });
}

} // namespace bulkhead::cli
