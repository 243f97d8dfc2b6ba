#include "commands.h"
#include "output.h"

#include "policy/generator.h"
#include "policy/policywriter.h"
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
    int run() const;
};

int GenerateCommand::run() const
{
    auto model = loadModel(input, true);
    if (!model)
        return reportError(model.error());

    GenerateOptions options;
    options.granularity = granularity == "zone" ? GenerateOptions::Granularity::Zone
                                                : GenerateOptions::Granularity::Workload;
    options.dnsAll = dns == "all";
    options.namedPorts = namedPorts;
    options.includeSystemNamespaces = includeSystemNamespaces;
    options.explain = explain;
    options.zoneLabelKey = model->zones.labelKey;
    const GenerateResult generated = generatePolicies(model->inventory, model->analysis.edges, options,
                                                      model->analysis.captureFiles);
    const std::string yaml = writePoliciesYaml(generated.policies);
    const std::vector<std::string> inputs = allInputs(input);

    if (!report.empty()) {
        const std::string json = generateReportJson(*model, generated).dump(2) + '\n';
        if (auto written = writeOutput(report, json, inputs); !written)
            return reportError(written.error());
    }
    if (auto written = writeOutput(output, yaml, inputs); !written)
        return reportError(written.error());

    printWarnings(model->warnings);
    printWarnings(generated.warnings);
    std::cerr << "bulkhead-cli: " << generated.policies.size() << " policies for "
              << model->inventory.workloads.size() << " workloads from " << model->analysis.edges.size()
              << " observed edges (" << model->analysis.attempts.size() << " refused/unanswered attempts left out)\n";
    return ExitOk;
}

} // namespace

void registerGenerateCommand(CLI::App &app, int &exitCode)
{
    auto generate = std::make_shared<GenerateCommand>();
    CLI::App *g = app.add_subcommand("generate", "Compute least-privilege NetworkPolicies from observed traffic");
    addInputOptions(g, generate->input, false);
    g->add_option("--zones", generate->input.zones, "Zones file (levels, label key, rules)")->check(CLI::ExistingFile);
    g->add_option("--granularity", generate->granularity, "One policy per workload, or per (namespace, zone)")
        ->check(CLI::IsMember({"workload", "zone"}))
        ->capture_default_str();
    g->add_option("--dns", generate->dns, "observed: DNS like any edge; all: every policed workload may reach cluster DNS")
        ->check(CLI::IsMember({"observed", "all"}))
        ->capture_default_str();
    g->add_flag("--named-ports", generate->namedPorts, "Write container port names instead of numbers where they exist");
    g->add_flag("--include-system-namespaces", generate->includeSystemNamespaces,
                "Police kube-system, kube-public and kube-node-lease too");
    g->add_option("--output,-o", generate->output, "Policy YAML destination (- = standard output)")->capture_default_str();
    g->add_option("--report", generate->report, "Write a JSON report: edges with evidence, attempts, warnings");
    g->callback([generate, &exitCode] { exitCode = generate->run(); });

}

} // namespace bulkhead::cli
