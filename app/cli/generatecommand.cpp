#include "commands.h"
#include "output.h"

#include "design/decisionnetworks.h"
#include "design/edgepaths.h"
#include "design/intent.h"
#include "policy/ciliumgenerator.h"
#include "policy/ciliumwriter.h"
#include "policy/clusterpolicywriter.h"
#include "policy/generator.h"
#include "policy/guardrailgenerator.h"
#include "policy/policywriter.h"
#include "project/project.h"
#include "report/report.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace bulkhead::cli {
namespace {

struct GenerateCommand
{
    InputOptions input;
    std::string granularity = "workload";
    std::string dns = "observed";
    bool namedPorts = false;
    bool includeSystemNamespaces = false;
    bool explain = false;
    std::string output = "-";
    std::string report;
    std::string failOn;
    std::string guardrails;    // --guardrails F: zone rules as cluster-scoped policies
    bool baselineDeny = false; // --baseline-deny
    std::string guardrailsApi = "v1alpha2";
    std::string format = "networkpolicy";                    // --format networkpolicy|cilium
    std::vector<std::string> fqdnPatterns;                   // --fqdn-pattern (cilium)
    int pathCollapse = ProjectOptions::kDefaultPathCollapse; // --path-collapse N (cilium)
    // To tell a flag given on the command line (it overrides the project) from a default.
    CLI::Option *granularityOption = nullptr;
    CLI::Option *dnsOption = nullptr;
    CLI::Option *pathCollapseOption = nullptr;
    int run() const;
};

std::string findingText(const Inventory &inventory, const ZoneFinding &f)
{
    return edgeRefText(edgeRef(inventory, f.edge)) + " (rule " + f.rule + ")";
}

int GenerateCommand::run() const
{
    InputOptions in = input;
    std::string granularityChoice = granularity;
    std::string dnsChoice = dns;
    bool namedPortsChoice = namedPorts;
    bool systemChoice = includeSystemNamespaces;
    int pathCollapseChoice = pathCollapse;
    Decisions decisions;
    if (!in.project.empty()) {
        // The project supplies inputs, options and decisions; flags given explicitly override.
        auto project = loadProject(in.project);
        if (!project)
            return reportError(project.error());
        if (in.inventories.empty())
            in.inventories = project->inventories;
        if (in.captures.empty())
            in.captures = project->captures;
        if (in.flows.empty())
            in.flows = project->flows;
        if (in.zones.empty() && project->zones)
            in.zones = *project->zones;
        if (granularityOption->count() == 0)
            granularityChoice = project->options.granularity;
        if (dnsOption->count() == 0)
            dnsChoice = project->options.dns;
        if (pathCollapseOption->count() == 0)
            pathCollapseChoice = project->options.pathCollapse;
        namedPortsChoice = namedPortsChoice || project->options.namedPorts;
        systemChoice = systemChoice || project->options.includeSystemNamespaces;
        decisions = std::move(project->decisions);
    }
    if (in.inventories.empty()) {
        std::cerr
            << "bulkhead-cli: generate needs --inventory or a --project that names inventories\n";
        return ExitBadInput;
    }

    for (const std::string &p : fqdnPatterns) {
        const bool valid
            = !p.empty() && p.find("..") == std::string::npos && p.front() != '.'
              && p.find_first_not_of(
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.*")
                     == std::string::npos;
        if (!valid) {
            std::cerr << "bulkhead-cli: --fqdn-pattern \"" << p
                      << "\": a DNS name with '*' wildcards, e.g. *.example.com\n";
            return ExitBadInput;
        }
    }
    if ((baselineDeny || guardrailsApi != "v1alpha2") && guardrails.empty()) {
        std::cerr << "bulkhead-cli: --baseline-deny and --guardrails-api need --guardrails FILE\n";
        return ExitBadInput;
    }
    if (auto paths = checkOutputPaths({output, report, guardrails}, allInputs(in)); !paths)
        return reportError(paths.error());

    auto model = loadModel(in, true);
    if (!model)
        return reportError(model.error());
    std::vector<std::string> designWarnings;
    applyZoneOverrides(model->inventory, model->zones, decisions, designWarnings);
    addDecisionNetworks(model->inventory, decisions); // `world` and CIDRs named by added edges
    if (const std::string unknown = unknownNamespaceDecision(model->inventory, decisions);
        !unknown.empty())
        return reportError(Error{in.project, 0, unknown});
    const Intent intent = computeIntent(model->inventory, model->zones, model->analysis, decisions);

    GenerateOptions options;
    options.granularity = granularityChoice == "zone" ? GenerateOptions::Granularity::Zone
                                                      : GenerateOptions::Granularity::Workload;
    options.dnsAll = dnsChoice == "all";
    options.namedPorts = namedPortsChoice;
    options.includeSystemNamespaces = systemChoice;
    options.explain = explain;
    options.zoneLabelKey = model->zones.labelKey;
    options.externalNames = model->analysis.externalNames;
    options.namespaceEdges = intent.namespaceEdges;
    const GenerateResult generated
        = generatePolicies(model->inventory, intent.edges, options, model->analysis.captureFiles);
    std::string yaml;
    std::vector<std::string> ciliumWarnings;
    if (format == "cilium") {
        CiliumOptions cilium;
        cilium.externalNames = model->analysis.externalNames;
        cilium.resolvedNames = model->analysis.resolvedNames;
        cilium.fqdnPatterns = fqdnPatterns;
        cilium.requests = model->analysis.httpRequests;
        cilium.tls = model->analysis.tlsSeen;
        cilium.pathCollapse = pathCollapseChoice;
        cilium.pathDecisions = decisions.paths;
        const CiliumResult converted
            = toCiliumPolicies(model->inventory, generated.policies, cilium);
        yaml = writeCiliumPoliciesYaml(converted.policies);
        ciliumWarnings = stalePathDecisions(model->inventory, cilium.requests, pathCollapseChoice,
                                            decisions.paths);
        ciliumWarnings.insert(ciliumWarnings.end(), converted.warnings.begin(),
                              converted.warnings.end());
    } else {
        yaml = writePoliciesYaml(generated.policies);
    }
    const std::vector<std::string> inputs = allInputs(in);

    // Guardrails first: an error here must leave no output file behind.
    std::string guardrailYaml;
    std::vector<std::string> guardrailWarnings;
    size_t guardrailCount = 0;
    if (!guardrails.empty()) {
        auto rails = generateGuardrails(
            model->zones, GuardrailOptions{baselineDeny, guardrailsApi == "v1alpha1"});
        if (!rails)
            return reportError(rails.error());
        guardrailYaml = writeClusterPoliciesYaml(rails->policies);
        guardrailWarnings = rails->warnings;
        guardrailCount = rails->policies.size();
    }

    if (!report.empty()) {
        const std::string json = designReportJson(*model, generated, intent, designWarnings);
        if (auto written = writeOutput(report, json, inputs); !written)
            return reportError(written.error());
    }
    if (auto written = writeOutput(output, yaml, inputs); !written)
        return reportError(written.error());
    if (!guardrails.empty()) {
        if (auto written = writeOutput(guardrails, guardrailYaml, inputs); !written)
            return reportError(written.error());
    }

    printWarnings(model->warnings);
    printWarnings(designWarnings);
    printWarnings(intent.warnings);
    printWarnings(generated.warnings);
    printWarnings(guardrailWarnings);
    printWarnings(ciliumWarnings);
    for (const ZoneFinding &f : intent.blocked)
        std::cerr << "blocked: " << findingText(model->inventory, f) << '\n';
    for (const ZoneFinding &f : intent.flagged)
        std::cerr << "flagged: " << findingText(model->inventory, f) << '\n';
    std::cerr << "bulkhead-cli: " << generated.policies.size() << " policies for "
              << model->inventory.workloads.size() << " workloads from " << intent.edges.size()
              << " intent edges (" << model->analysis.edges.size() << " observed, "
              << intent.added.size() << " added, " << intent.denied.size() << " denied, "
              << intent.blocked.size() << " blocked by zone rules, " << intent.flagged.size()
              << " flagged; " << model->analysis.attempts.size()
              << " refused/unanswered attempts left out)\n";
    if (!guardrails.empty())
        std::cerr << "bulkhead-cli: " << guardrailCount << " guardrail"
                  << (guardrailCount == 1 ? "" : "s")
                  << " (cluster-scoped policies from the block zone rules) written to "
                  << guardrails << '\n';
    if (failOn == "flag" && !intent.flagged.empty()) {
        std::cerr << "bulkhead-cli: " << intent.flagged.size() << " flagged edge"
                  << (intent.flagged.size() == 1 ? "" : "s") << " (--fail-on flag)\n";
        return ExitFindings;
    }
    return ExitOk;
}

} // namespace

void registerGenerateCommand(CLI::App &app, int &exitCode)
{
    auto generate = std::make_shared<GenerateCommand>();
    CLI::App *g = app.add_subcommand(
        "generate", "Compute least-privilege NetworkPolicies from observed traffic");
    addInputOptions(g, generate->input, false);
    g->get_option("--inventory")->required(false); // or from --project
    g->add_option("--project", generate->input.project,
                  "A .bulkhead project: inputs, zones, options and design decisions (flags given "
                  "override it)")
        ->check(CLI::ExistingFile);
    g->add_option("--zones", generate->input.zones, "Zones file (levels, label key, rules)")
        ->check(CLI::ExistingFile);
    generate->granularityOption = g->add_option("--granularity", generate->granularity,
                                                "One policy per workload, or per (namespace, zone)")
                                      ->check(CLI::IsMember({"workload", "zone"}))
                                      ->capture_default_str();
    generate->dnsOption
        = g->add_option(
               "--dns", generate->dns,
               "observed: DNS like any edge; all: every policed workload may reach cluster DNS")
              ->check(CLI::IsMember({"observed", "all"}))
              ->capture_default_str();
    g->add_flag("--explain", generate->explain,
                "Write above each rule a YAML comment with the flows that justify it");
    g->add_flag("--named-ports", generate->namedPorts,
                "Write container port names instead of numbers where they exist");
    g->add_flag("--include-system-namespaces", generate->includeSystemNamespaces,
                "Police kube-system, kube-public and kube-node-lease too");
    g->add_option("--output,-o", generate->output, "Policy YAML destination (- = standard output)")
        ->capture_default_str();
    g->add_option(
        "--report", generate->report,
        "Write a JSON report: edges with evidence, attempts, zone findings, decisions, warnings");
    g->add_option("--fail-on", generate->failOn,
                  "Exit with status 1 when the intent has flagged edges (after writing)")
        ->check(CLI::IsMember({"flag"}));
    g->add_option("--guardrails", generate->guardrails,
                  "Also write every block zone rule as an Admin-tier Deny ClusterNetworkPolicy to "
                  "this file (- = standard output)");
    g->add_flag("--baseline-deny", generate->baselineDeny,
                "With --guardrails: Baseline-tier policies denying traffic between zones unless a "
                "NetworkPolicy allows it");
    g->add_option("--guardrails-api", generate->guardrailsApi,
                  "v1alpha2: ClusterNetworkPolicy; v1alpha1: "
                  "AdminNetworkPolicy/BaselineAdminNetworkPolicy (OpenShift, Antrea)")
        ->check(CLI::IsMember({"v1alpha2", "v1alpha1"}))
        ->capture_default_str();
    g->add_option("--format", generate->format,
                  "networkpolicy: networking.k8s.io/v1 NetworkPolicy; cilium: cilium.io/v2 "
                  "CiliumNetworkPolicy "
                  "with toFQDNs for names seen resolved and rules.http for HTTP requests seen")
        ->check(CLI::IsMember({"networkpolicy", "cilium"}))
        ->capture_default_str();
    g->add_option("--fqdn-pattern", generate->fqdnPatterns,
                  "With --format cilium: write names that match this pattern (e.g. "
                  "'*.example.com'; '*' never "
                  "matches '.') as one matchPattern (repeatable)");
    generate->pathCollapseOption
        = g->add_option("--path-collapse", generate->pathCollapse,
                        "With --format cilium: a path segment with more than N distinct values "
                        "becomes [^/]+ (0: never); overrides the project's options.pathCollapse")
              ->check(CLI::Range(0, ProjectOptions::kMaxPathCollapse))
              ->capture_default_str();
    g->callback([generate, &exitCode] { exitCode = generate->run(); });
}

} // namespace bulkhead::cli
