#include "commands.h"

#include "output.h"

#include "analysis/pipeline.h"
#include "policy/generator.h"
#include "policy/policywriter.h"
#include "report/report.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace bulkhead::cli {
namespace {

void addInputOptions(CLI::App *cmd, InputOptions &in, bool captureRequired)
{
    cmd->add_option("--inventory", in.inventories,
                    "Workload inventory: `kubectl get -A -o yaml` output or a bulkhead.io Inventory (repeatable)")
        ->required()
        ->check(CLI::ExistingFile);
    auto *capture = cmd->add_option("--capture", in.captures, "pcap or pcapng capture file (repeatable)")
                        ->check(CLI::ExistingFile);
    if (captureRequired)
        capture->required();
}

Expected<Model> loadModel(const InputOptions &in, bool withZones)
{
    PipelineInputs inputs;
    inputs.inventories = in.inventories;
    inputs.captures = in.captures;
    if (withZones && !in.zones.empty())
        inputs.zonesFile = in.zones;
    TerminalProgress progress;
    return buildModel(inputs, &progress);
}

std::vector<std::string> allInputs(const InputOptions &in)
{
    std::vector<std::string> all = in.inventories;
    all.insert(all.end(), in.captures.begin(), in.captures.end());
    if (!in.zones.empty())
        all.push_back(in.zones);
    if (!in.project.empty())
        all.push_back(in.project);
    return all;
}

void printWarnings(const std::vector<std::string> &warnings)
{
    for (const std::string &w : warnings)
        std::cerr << "warning: " << w << '\n';
}

std::string endpoint(const IpAddress &a, uint16_t port)
{
    return a.isV6() ? '[' + a.toString() + "]:" + std::to_string(port) : a.toString() + ':' + std::to_string(port);
}

} // namespace

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

int FlowsCommand::run() const
{
    auto model = loadModel(input, false);
    if (!model)
        return reportError(model.error());
    const Model &m = *model;
    std::string out;
    if (format == "json") {
        nlohmann::json j;
        nlohmann::json flows = nlohmann::json::array();
        for (const ObservedFlow &f : m.analysis.flows)
            flows.push_back(flowJson(m, f));
        j["flows"] = std::move(flows);
        nlohmann::json edges = nlohmann::json::array();
        for (const Edge &e : m.analysis.edges)
            edges.push_back(edgeJson(m, e));
        j["edges"] = std::move(edges);
        j["captures"] = captureStatsJson(m);
        j["warnings"] = m.warnings;
        out = j.dump(2) + '\n';
    } else {
        const std::vector<std::string> header = {"CLIENT", "SERVER", "PROTO", "STATE", "PACKETS", "BYTES",
                                                 "FIRST SEEN", "CLIENT ADDRESS", "SERVER ADDRESS"};
        std::vector<std::vector<std::string>> rows;
        for (const ObservedFlow &f : m.analysis.flows) {
            std::string server = f.service.empty() ? peerName(m.inventory, f.serverPeer) : "svc/" + f.service;
            if (f.ownNode)
                server += " (own node)";
            rows.push_back({peerName(m.inventory, f.clientPeer), server, std::string(protocolName(f.protocol)),
                            std::string(flowStateName(f.state)), std::to_string(f.packets),
                            std::to_string(f.bytes), isoTime(f.firstSeenUs), endpoint(f.client, f.clientPort),
                            endpoint(f.server, f.serverPort)});
        }
        if (format == "csv") {
            auto csvCell = [](const std::string &s) {
                if (s.find_first_of(",\"\n") == std::string::npos)
                    return s;
                std::string q = "\"";
                for (char c : s)
                    q += c == '"' ? std::string("\"\"") : std::string(1, c);
                return q + '"';
            };
            auto csvLine = [&](const std::vector<std::string> &cells) {
                std::string line;
                for (size_t i = 0; i < cells.size(); ++i)
                    line += (i ? "," : "") + csvCell(cells[i]);
                return line + '\n';
            };
            out = csvLine({"client", "server", "protocol", "state", "packets", "bytes", "first_seen",
                           "client_address", "server_address"});
            for (const auto &row : rows)
                out += csvLine(row);
        } else {
            out = formatTable(header, rows);
            uint64_t packets = 0;
            for (const CaptureStats &s : m.captureStats)
                packets += s.packets;
            out += '\n' + std::to_string(m.analysis.flows.size()) + " flows, " + std::to_string(m.analysis.edges.size())
                   + " edges, " + std::to_string(m.analysis.attempts.size()) + " refused/unanswered, "
                   + std::to_string(m.analysis.ownNodeFlows) + " own-node left out, from "
                   + std::to_string(packets) + " packets in " + std::to_string(m.captureStats.size())
                   + " capture file(s)\n";
            for (const CaptureStats &s : m.captureStats) {
                if (s.truncated || s.malformed || s.unsupportedLinkType || s.nonIp) {
                    out += s.file + ": " + std::to_string(s.truncated) + " truncated, " + std::to_string(s.malformed)
                           + " malformed, " + std::to_string(s.unsupportedLinkType) + " of unsupported link type, "
                           + std::to_string(s.nonIp) + " non-IP packets skipped\n";
                }
            }
        }
    }
    if (auto written = writeOutput("-", out, {}); !written)
        return reportError(written.error());
    printWarnings(m.warnings);
    return ExitOk;
}

void registerCommands(CLI::App &app, int &exitCode)
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

    auto flows = std::make_shared<FlowsCommand>();
    CLI::App *f = app.add_subcommand("flows", "List the observed flows and who they belong to");
    addInputOptions(f, flows->input, true);
    f->add_option("--format", flows->format, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    f->callback([flows, &exitCode] { exitCode = flows->run(); });
}

} // namespace bulkhead::cli
