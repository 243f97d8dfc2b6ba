#include "notevaluated.h"

#include "output.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <set>

namespace bulkhead::cli {

void addIgnoreUnsupportedOption(CLI::App *command, bool &ignore, const std::string &examples)
{
    command->add_flag(
        "--ignore-unsupported", ignore,
        "Accept verdicts that leave out policies of kinds this command does not evaluate ("
            + examples + "); without it they make the exit status 2");
}

nlohmann::json notEvaluatedJson(const std::vector<NotEvaluatedPolicy> &policies)
{
    nlohmann::json list = nlohmann::json::array();
    for (const NotEvaluatedPolicy &p : policies)
        list.push_back({{"policy", p.policy},
                        {"kind", p.kind},
                        {"apiVersion", p.apiVersion},
                        {"file", p.file},
                        {"line", p.line}});
    return list;
}

std::string notEvaluatedTable(const std::vector<NotEvaluatedPolicy> &policies, bool ignored)
{
    if (policies.empty())
        return {};
    std::string out = "Not evaluated: policies of kinds Bulkhead does not evaluate ("
                      + std::to_string(policies.size()) + ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const NotEvaluatedPolicy &p : policies)
        rows.push_back({p.policy, p.kind, p.apiVersion, p.file + ':' + std::to_string(p.line)});
    out += formatTable({"POLICY", "KIND", "API VERSION", "FILE"}, rows);
    out += ignored ? "(--ignore-unsupported: the verdicts above leave them out)\n"
                   : "(the verdicts above leave them out)\n";
    return out;
}

int notEvaluatedExit(const std::vector<NotEvaluatedPolicy> &policies, bool ignored)
{
    if (policies.empty() || ignored)
        return ExitOk;
    std::set<std::string> kinds;
    for (const NotEvaluatedPolicy &p : policies)
        kinds.insert(p.kind);
    std::string list;
    for (const std::string &k : kinds)
        list += (list.empty() ? "" : ", ") + k;
    std::cerr << "bulkhead-cli: " << policies.size() << " of the given policies (" << list
              << ") were not evaluated, so the verdicts leave them out: "
              << "give --ignore-unsupported to accept that\n";
    return ExitBadInput;
}

} // namespace bulkhead::cli
