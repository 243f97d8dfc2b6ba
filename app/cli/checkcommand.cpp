#include "commands.h"
#include "notevaluated.h"
#include "output.h"

#include "review/check.h"
#include "review/evaluator.h"
#include "review/policyselection.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace bulkhead::cli {
namespace {

struct CheckCommand
{
    InputOptions input;
    PolicyOptions policies;
    std::string format = "table";
    bool ipBlockMatchesPods = false;
    bool ignoreUnsupported = false;
    int run() const;
};

int CheckCommand::run() const
{
    auto model = loadModel(input, false);
    if (!model)
        return reportError(model.error());
    std::vector<std::string> loadWarnings;
    std::vector<NotEvaluatedPolicy> notEvaluated;
    auto loaded = loadPolicies(policies, &loadWarnings, &notEvaluated);
    if (!loaded)
        return reportError(loaded.error());
    const PolicyEvaluator evaluator(model->inventory, *loaded, EvaluatorOptions{ipBlockMatchesPods});
    // Policies that select nothing review nothing: none selecting is an error, some a warning.
    const PolicySelection selection = policySelection(evaluator);
    if (selection.noneSelects() || selection.policies == 0) {
        // One file is named; of several, the message counts the policies instead.
        const std::string files = policies.files.size() == 1 ? policies.files.front() : std::string();
        return reportError(Error{files, 0,
                                 selection.policies == 0 ? std::string("no NetworkPolicy in the given files")
                                                         : noneSelectsMessage(evaluator)});
    }
    const CheckResult result = checkPolicies(model->inventory, model->analysis, evaluator);
    const Inventory &inv = model->inventory;

    std::string out;
    if (format == "json") {
        nlohmann::json j = checkResultJson(inv, result);
        j["warnings"] = selectionWarningsJson(selection);
        j["notEvaluated"] = notEvaluatedJson(notEvaluated);
        j["summary"]["notEvaluated"] = notEvaluated.size();
        out = j.dump(2) + '\n';
    } else {
        if (!selection.warnings.empty()) {
            out += "Warnings: policies that select no workload (" + std::to_string(selection.warnings.size()) + ")\n";
            std::vector<std::vector<std::string>> warningRows;
            for (const SelectionWarning &w : selection.warnings)
                warningRows.push_back({w.policy, w.message});
            out += formatTable({"POLICY", "WARNING"}, warningRows) + '\n';
        }
        out += "Breaks: observed flows these policies would deny (" + std::to_string(result.breaks.size()) + ")\n";
        std::vector<std::vector<std::string>> rows;
        for (const PolicyBreak &b : result.breaks) {
            rows.push_back({peerName(inv, b.edge.from), peerName(inv, b.edge.to),
                            std::string(protocolName(b.edge.protocol)) + '/' + std::to_string(b.edge.port),
                            std::to_string(b.edge.evidence.flows), b.side, b.reason});
        }
        if (!rows.empty())
            out += formatTable({"FROM", "TO", "PORT", "FLOWS", "SIDE", "REASON"}, rows);
        out += "\nExcess: allowed but never observed (" + std::to_string(result.excess.size()) + ")\n";
        rows.clear();
        for (const PolicyExcess &e : result.excess) {
            std::string rules;
            for (const std::string &r : e.policies)
                rules += (rules.empty() ? "" : ", ") + r;
            rows.push_back({peerName(inv, e.from), peerName(inv, e.to),
                            std::string(protocolName(e.protocol)) + '/' + std::to_string(e.port), rules});
        }
        if (!rows.empty())
            out += formatTable({"FROM", "TO", "PORT", "ALLOWED BY"}, rows);
        if (!notEvaluated.empty())
            out += '\n' + notEvaluatedTable(notEvaluated, ignoreUnsupported);
        out += "\n" + std::to_string(result.observedEdges) + " observed edges, " + std::to_string(result.breaks.size())
               + " break, " + std::to_string(result.excess.size()) + " excess";
        if (!notEvaluated.empty())
            out += ", " + std::to_string(notEvaluated.size())
                   + " not evaluated (the verdicts leave them out)";
        out += '\n';
    }
    if (auto written = writeOutput("-", out, {}); !written)
        return reportError(written.error());
    printWarnings(model->warnings);
    printWarnings(loadWarnings);
    if (const int status = notEvaluatedExit(notEvaluated, ignoreUnsupported); status != ExitOk)
        return status;
    return result.breaks.empty() ? ExitOk : ExitFindings;
}

} // namespace

void registerCheckCommand(CLI::App &app, int &exitCode)
{
    auto check = std::make_shared<CheckCommand>();
    CLI::App *c = app.add_subcommand("check", "Review existing NetworkPolicies against observed traffic: "
                                              "what they break, what they allow beyond it");
    addInputOptions(c, check->input, true);
    addPolicyOptions(c, check->policies, true, "NetworkPolicy YAML to review (repeatable)");
    c->add_option("--format", check->format, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    c->add_flag("--ipblock-matches-pods", check->ipBlockMatchesPods,
                "Let ipBlock match pod addresses (some CNIs do; by default, as most, they do not)");
    addIgnoreUnsupportedOption(c, check->ignoreUnsupported);
    c->callback([check, &exitCode] { exitCode = check->run(); });
}

} // namespace bulkhead::cli
