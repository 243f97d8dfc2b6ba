#include "commands.h"
#include "output.h"

#include "report/report.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace bulkhead::cli {
namespace {

struct FlowsCommand
{
    InputOptions input;
    std::string format = "table";
    int run() const;
};

int FlowsCommand::run() const
{
    auto model = loadModel(input, false);
    if (!model)
        return reportError(model.error());
    const Model &m = *model;
    std::string out;
    if (format == "json") {
        out = flowsReportJson(m);
    } else {
        const std::vector<std::string> header
            = {"CLIENT", "SERVER",     "PROTO",          "STATE",         "PACKETS",
               "BYTES",  "FIRST SEEN", "CLIENT ADDRESS", "SERVER ADDRESS"};
        std::vector<std::vector<std::string>> rows;
        for (const ObservedFlow &f : m.analysis.flows) {
            std::string server
                = f.service.empty() ? peerLabel(m, f.serverPeer) : "svc/" + f.service;
            if (f.ownNode)
                server += " (own node)";
            rows.push_back(
                {peerLabel(m, f.clientPeer), server, std::string(protocolName(f.protocol)),
                 std::string(flowStateName(f.state)), std::to_string(f.packets),
                 std::to_string(f.bytes), isoTime(f.firstSeenUs),
                 endpointText(f.client, f.clientPort), endpointText(f.server, f.serverPort)});
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
            out = csvLine({"client", "server", "protocol", "state", "packets", "bytes",
                           "first_seen", "client_address", "server_address"});
            for (const auto &row : rows)
                out += csvLine(row);
        } else {
            out = formatTable(header, rows);
            uint64_t packets = 0;
            for (const CaptureStats &s : m.captureStats)
                packets += s.packets;
            out += '\n' + std::to_string(m.analysis.flows.size()) + " flows, "
                   + std::to_string(m.analysis.edges.size()) + " edges, "
                   + std::to_string(m.analysis.attempts.size()) + " refused/unanswered, "
                   + std::to_string(m.analysis.ownNodeFlows) + " own-node left out, from "
                   + std::to_string(packets) + " packets in "
                   + std::to_string(m.captureStats.size()) + " capture file(s)";
            if (!m.flowStats.empty()) {
                uint64_t events = 0;
                for (const HubbleStats &s : m.flowStats)
                    events += s.events;
                out += " and " + std::to_string(events) + " Hubble events in "
                       + std::to_string(m.flowStats.size()) + " flow file(s)";
            }
            out += '\n';
            for (const Attempt &a : m.analysis.attempts) {
                if (a.state != FlowState::Dropped)
                    continue;
                out += "dropped: " + peerLabel(m, a.edge.from) + " -> " + peerLabel(m, a.edge.to)
                       + ' ' + std::string(protocolName(a.edge.protocol)) + '/'
                       + std::to_string(a.edge.port);
                for (const std::string &r : a.dropReasons)
                    out += ' ' + r;
                if (!a.deniedBy.empty()) {
                    out += " denied by";
                    for (const std::string &p : a.deniedBy)
                        out += ' ' + p;
                }
                out += '\n';
            }
            for (const CaptureStats &s : m.captureStats) {
                if (s.truncated || s.malformed || s.unsupportedLinkType || s.nonIp) {
                    out += s.file + ": " + std::to_string(s.truncated) + " truncated, "
                           + std::to_string(s.malformed) + " malformed, "
                           + std::to_string(s.unsupportedLinkType) + " of unsupported link type, "
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

} // namespace

void registerFlowsCommand(CLI::App &app, int &exitCode)
{
    auto flows = std::make_shared<FlowsCommand>();
    CLI::App *f = app.add_subcommand("flows", "List the observed flows and who they belong to");
    addInputOptions(f, flows->input, true);
    f->add_option("--format", flows->format, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    f->callback([flows, &exitCode] { exitCode = flows->run(); });
}

} // namespace bulkhead::cli
