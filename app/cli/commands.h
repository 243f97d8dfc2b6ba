#pragma once

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bulkhead::cli {

// Options shared by the commands that read a model.
struct InputOptions
{
    std::vector<std::string> inventories;
    std::vector<std::string> captures;
    std::string zones;
    std::string project;
};

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

struct FlowsCommand
{
    InputOptions input;
    std::string format = "table";
    int run() const;
};

// Registers every command on the app; the selected one runs after parsing.
void registerCommands(CLI::App &app, int &exitCode);

} // namespace bulkhead::cli
