#include "commands.h"

#include "output.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace bulkhead::cli {

void addInputOptions(CLI::App *command, InputOptions &in, bool captureRequired)
{
    command->add_option("--inventory", in.inventories,
                        "Workload inventory: `kubectl get -A -o yaml` output or a bulkhead.io Inventory (repeatable)")
        ->required()
        ->check(CLI::ExistingFile);
    auto *capture = command->add_option("--capture", in.captures, "pcap or pcapng capture file (repeatable)")
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

std::string endpointText(const IpAddress &a, uint16_t port)
{
    return a.isV6() ? '[' + a.toString() + "]:" + std::to_string(port) : a.toString() + ':' + std::to_string(port);
}

} // namespace bulkhead::cli
