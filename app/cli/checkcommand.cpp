#include "commands.h"
#include "notevaluated.h"
#include "output.h"

#include "analysis/addressmap.h"
#include "review/check.h"
#include "review/ciliumcheck.h"
#include "review/ciliumevaluator.h"
#include "review/evaluator.h"
#include "review/policyselection.h"
#include "review/reviewjson.h"
#include "review/tieredcheck.h"
#include "review/tieredevaluator.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <memory>

namespace bulkhead::cli {
namespace {

std::string portText(Protocol protocol, uint16_t port)
{
    return std::string(protocolName(protocol)) + '/' + std::to_string(port);
}

// check's "Excess" section: every allowance never observed, with the policies that allow it
// (`noPolicy` where none does: allowed by default).
std::string excessTable(const Inventory &inv, const std::vector<PolicyExcess> &excess,
                        const std::string &noPolicy)
{
    std::string out
        = "\nExcess: allowed but never observed (" + std::to_string(excess.size()) + ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const PolicyExcess &e : excess) {
        std::string rules;
        for (const std::string &r : e.policies)
            rules += (rules.empty() ? "" : ", ") + r;
        rows.push_back({peerName(inv, e.from), peerName(inv, e.to), portText(e.protocol, e.port),
                        rules.empty() ? noPolicy : rules});
    }
    if (!rows.empty())
        out += formatTable({"FROM", "TO", "PORT", "ALLOWED BY"}, rows);
    return out;
}

// check's "Breaks" section for the NetworkPolicy and the Cilium checks: every observed flow the
// policies would deny, with the side and the reason.
std::string breaksTable(const Inventory &inv, const std::vector<PolicyBreak> &breaks)
{
    std::string out = "Breaks: observed flows these policies would deny ("
                      + std::to_string(breaks.size()) + ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const PolicyBreak &b : breaks)
        rows.push_back({peerName(inv, b.edge.from), peerName(inv, b.edge.to),
                        portText(b.edge.protocol, b.edge.port),
                        std::to_string(b.edge.evidence.flows), b.side, b.reason});
    if (!rows.empty())
        out += formatTable({"FROM", "TO", "PORT", "FLOWS", "SIDE", "REASON"}, rows);
    return out;
}

struct CheckCommand
{
    InputOptions input;
    PolicyOptions policies;
    std::string format = "table";
    bool ipBlockMatchesPods = false;
    bool ciliumCidrMatchesNodes = false; // --cilium-cidr-match-nodes
    bool ignoreUnsupported = false;
    std::vector<std::string> explain; // FROM TO PORT
    int run() const;
    int runTiered(const Model &model, const PolicySet &set,
                  const std::vector<std::string> &loadWarnings,
                  const std::vector<NotEvaluatedPolicy> &notEvaluated) const;
    int runExplain(const Model &model, const PolicySet &set,
                   const std::vector<std::string> &loadWarnings) const;
    int runCilium(const Model &model, const PolicySet &set,
                  const std::vector<std::string> &loadWarnings,
                  const std::vector<NotEvaluatedPolicy> &notEvaluated) const;
};

CiliumNames namesOf(const Model &model)
{
    return CiliumNames{model.analysis.externalNames, model.analysis.resolvedNames};
}

// A workload "ns/name", or an address attributed as the analysis does.
Expected<Peer> resolvePeer(const Inventory &inventory, const std::string &text)
{
    if (const int w = inventory.findWorkload(text); w >= 0)
        return Peer::workload(w);
    const auto address = IpAddress::parse(text);
    if (!address)
        return std::unexpected(Error{{},
                                     0,
                                     "--explain: \"" + text
                                         + "\" is neither a workload of the inventory "
                                           "(namespace/name) nor an IP address"});
    const AddressMap map(inventory);
    const AddressMap::Entry entry = map.lookup(*address);
    switch (entry.kind) {
    case AddressMap::Kind::Workload: return Peer::workload(entry.index);
    case AddressMap::Kind::Service:
        return std::unexpected(
            Error{{},
                  0,
                  "--explain: " + text + " is the address of Service "
                      + inventory.services[static_cast<size_t>(entry.index)].id()
                      + ": policies see the backend pods; name the backend workload"});
    case AddressMap::Kind::Node: return Peer{PeerKind::Node, entry.index, *address};
    case AddressMap::Kind::ExternalNetwork:
        return Peer{PeerKind::ExternalNetwork, entry.index, *address};
    case AddressMap::Kind::Unattributed: return Peer{PeerKind::Unattributed, -1, *address};
    case AddressMap::Kind::External: break;
    }
    return Peer{PeerKind::External, -1, *address};
}

// "TCP/80", "udp/53" or "80" (TCP).
Expected<std::pair<Protocol, uint16_t>> parsePortText(const std::string &text)
{
    Protocol protocol = Protocol::TCP;
    std::string number = text;
    if (const size_t slash = text.find('/'); slash != std::string::npos) {
        std::string name = text.substr(0, slash);
        for (char &c : name)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const auto parsed = parseProtocol(name);
        if (!parsed)
            return std::unexpected(Error{{},
                                         0,
                                         "--explain: unknown protocol \"" + text.substr(0, slash)
                                             + "\" (TCP, UDP or SCTP)"});
        protocol = *parsed;
        number = text.substr(slash + 1);
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || value < 1 || value > 65535)
        return std::unexpected(
            Error{{}, 0, "--explain: \"" + text + "\" is not a port (80, TCP/80, UDP/53)"});
    return std::make_pair(protocol, static_cast<uint16_t>(value));
}

int CheckCommand::runExplain(const Model &model, const PolicySet &set,
                             const std::vector<std::string> &loadWarnings) const
{
    const Inventory &inv = model.inventory;
    auto from = resolvePeer(inv, explain[0]);
    if (!from)
        return reportError(from.error());
    auto to = resolvePeer(inv, explain[1]);
    if (!to)
        return reportError(to.error());
    auto port = parsePortText(explain[2]);
    if (!port)
        return reportError(port.error());
    if (!set.ciliumPolicies.empty()) {
        const CiliumEvaluator evaluator(inv, set.networkPolicies, set.ciliumPolicies,
                                        namesOf(model), EvaluatorOptions{ipBlockMatchesPods},
                                        ciliumCidrMatchesNodes);
        const CiliumVerdict v = evaluator.evaluate(*from, *to, port->first, port->second);
        std::string out;
        if (format == "json") {
            const auto sideJson = [](const CiliumSideVerdict &s) {
                return nlohmann::json{{"decision", ciliumDecisionName(s.decision)},
                                      {"isolated", s.isolated},
                                      {"isolatedBy", s.isolatedBy},
                                      {"allowedBy", s.allowedBy},
                                      {"deniedBy", s.deniedBy},
                                      {"reason", s.reason}};
            };
            out = nlohmann::json{{"from", peerName(inv, *from)},
                                 {"to", peerName(inv, *to)},
                                 {"protocol", protocolName(port->first)},
                                 {"port", port->second},
                                 {"decision", ciliumDecisionName(v.decision)},
                                 {"allowed", v.decision == CiliumDecision::Allowed},
                                 {"reason", v.reason},
                                 {"egress", sideJson(v.egress)},
                                 {"ingress", sideJson(v.ingress)}}
                      .dump(2)
                  + '\n';
        } else {
            out = peerName(inv, *from) + " -> " + peerName(inv, *to) + ' '
                  + std::string(protocolName(port->first)) + '/' + std::to_string(port->second)
                  + '\n';
            for (const auto &[name, s] :
                 {std::pair<const char *, const CiliumSideVerdict *>{"Egress of ", &v.egress},
                  {"Ingress of ", &v.ingress}}) {
                out += std::string(name)
                       + peerName(inv, std::string_view(name) == "Egress of " ? *from : *to) + ": "
                       + std::string(ciliumDecisionName(s->decision))
                       + (s->reason.empty()
                              ? std::string(" (no Cilium endpoint: no policy applies)")
                              : " (" + s->reason + ')')
                       + '\n';
            }
            out += "Verdict: " + std::string(ciliumDecisionName(v.decision)) + '\n';
        }
        if (auto written = writeOutput("-", out, {}); !written)
            return reportError(written.error());
        printWarnings(model.warnings);
        printWarnings(loadWarnings);
        return v.decision == CiliumDecision::Allowed ? ExitOk : ExitFindings;
    }
    const TieredEvaluator evaluator(inv, set.networkPolicies, set.clusterPolicies,
                                    EvaluatorOptions{ipBlockMatchesPods});
    const TieredVerdict verdict = evaluator.evaluate(*from, *to, port->first, port->second);
    std::string out;
    if (format == "json") {
        nlohmann::json steps = nlohmann::json::array();
        for (const TierStep &step : verdict.steps)
            steps.push_back(
                {{"side", step.direction == PolicyDirection::Egress ? "egress" : "ingress"},
                 {"tier", verdictTierName(step.tier)},
                 {"policy", step.policy},
                 {"outcome", step.outcome},
                 {"decides", step.decided}});
        nlohmann::json j = {{"from", peerName(inv, *from)},
                            {"to", peerName(inv, *to)},
                            {"protocol", protocolName(port->first)},
                            {"port", port->second},
                            {"allowed", verdict.allowed},
                            {"tier", verdictTierName(verdict.tier)},
                            {"policy", verdict.policy},
                            {"rule", verdict.rule},
                            {"reason", verdict.reason},
                            {"priorityTie", verdict.priorityTie},
                            {"steps", steps}};
        out = j.dump(2) + '\n';
    } else {
        out = explainText(inv, verdict, *from, *to, port->first, port->second);
    }
    if (auto written = writeOutput("-", out, {}); !written)
        return reportError(written.error());
    printWarnings(model.warnings);
    printWarnings(loadWarnings);
    return verdict.allowed ? ExitOk : ExitFindings;
}

int CheckCommand::runTiered(const Model &model, const PolicySet &set,
                            const std::vector<std::string> &loadWarnings,
                            const std::vector<NotEvaluatedPolicy> &notEvaluated) const
{
    const Inventory &inv = model.inventory;
    const TieredEvaluator evaluator(inv, set.networkPolicies, set.clusterPolicies,
                                    EvaluatorOptions{ipBlockMatchesPods});
    const TieredCheckResult result = checkTiered(inv, model.analysis, evaluator);
    std::string out;
    if (format == "json") {
        nlohmann::json j = tieredCheckJson(inv, result);
        j["notEvaluated"] = notEvaluatedJson(notEvaluated);
        j["summary"]["notEvaluated"] = notEvaluated.size();
        out = j.dump(2) + '\n';
    } else {
        out += "Breaks: observed flows these policies would deny ("
               + std::to_string(result.breaks.size()) + ", "
               + std::to_string(result.adminDenyBreaks) + " by an Admin-tier Deny)\n";
        std::vector<std::vector<std::string>> rows;
        for (const TieredBreak &b : result.breaks) {
            rows.push_back({peerName(inv, b.edge.from), peerName(inv, b.edge.to),
                            portText(b.edge.protocol, b.edge.port),
                            std::to_string(b.edge.evidence.flows), b.side,
                            std::string(verdictTierName(b.tier)), b.reason});
        }
        if (!rows.empty())
            out += formatTable({"FROM", "TO", "PORT", "FLOWS", "SIDE", "TIER", "REASON"}, rows);
        out += "\nDead allowances: allowed by a NetworkPolicy, denied by an Admin-tier Deny before "
               "it is consulted ("
               + std::to_string(result.dead.size()) + ")\n";
        rows.clear();
        for (const DeadAllowance &d : result.dead) {
            std::string rules;
            for (const std::string &r : d.allowedBy)
                rules += (rules.empty() ? "" : ", ") + r;
            rows.push_back({peerName(inv, d.from), peerName(inv, d.to),
                            portText(d.protocol, d.port), rules, d.deniedBy,
                            d.observed ? "yes" : "no"});
        }
        if (!rows.empty())
            out += formatTable({"FROM", "TO", "PORT", "ALLOWED BY", "DENIED BY", "OBSERVED"}, rows);
        out += excessTable(inv, result.excess, "(no policy: the default)");
        if (!notEvaluated.empty())
            out += '\n' + notEvaluatedTable(notEvaluated, ignoreUnsupported);
        out += "\n" + std::to_string(result.observedEdges) + " observed edges, "
               + std::to_string(result.breaks.size()) + " break, "
               + std::to_string(result.dead.size()) + " dead allowance, "
               + std::to_string(result.excess.size()) + " excess; "
               + std::to_string(set.clusterPolicies.size()) + " cluster policies, "
               + std::to_string(set.networkPolicies.size()) + " NetworkPolicies\n";
    }
    if (auto written = writeOutput("-", out, {}); !written)
        return reportError(written.error());
    printWarnings(model.warnings);
    printWarnings(loadWarnings);
    if (const int status = notEvaluatedExit(notEvaluated, ignoreUnsupported); status != ExitOk)
        return status;
    return result.breaks.empty() ? ExitOk : ExitFindings;
}

int CheckCommand::runCilium(const Model &model, const PolicySet &set,
                            const std::vector<std::string> &loadWarnings,
                            const std::vector<NotEvaluatedPolicy> &notEvaluated) const
{
    const Inventory &inv = model.inventory;
    const CiliumEvaluator evaluator(inv, set.networkPolicies, set.ciliumPolicies, namesOf(model),
                                    EvaluatorOptions{ipBlockMatchesPods}, ciliumCidrMatchesNodes);
    // Per policy: one that selects nothing, and rules.dns (reviewed at layer 4 only).
    std::vector<std::pair<std::string, std::string>> notes; // policy, message
    for (size_t p = 0; p < set.ciliumPolicies.size(); ++p) {
        const CiliumNetworkPolicy &policy = set.ciliumPolicies[p];
        if (evaluator.selectedWorkloads(p).empty())
            notes.push_back({policy.id(), "selects no workload of the inventory"});
        bool dns = false;
        for (const std::vector<CiliumRule> *rules : {&policy.ingress, &policy.egress}) {
            for (const CiliumRule &rule : *rules) {
                for (const CiliumPortRule &port : rule.ports)
                    dns = dns || port.hasDns;
            }
        }
        if (dns)
            notes.push_back(
                {policy.id(),
                 "rules.dns is not checked against the lookups (they are not attributed to "
                 "pods); its port is reviewed at layer 4"});
    }
    std::vector<std::string> warnings;
    nlohmann::json warningsJson = nlohmann::json::array();
    for (const auto &[policy, message] : notes) {
        const auto it
            = std::find_if(set.ciliumPolicies.begin(), set.ciliumPolicies.end(),
                           [&](const CiliumNetworkPolicy &p) { return p.id() == policy; });
        warnings.push_back(it->sourceFile + ':' + std::to_string(it->sourceLine) + ": " + policy
                           + ": " + message);
        warningsJson.push_back({{"policy", policy}, {"message", message}});
    }
    const CiliumCheckResult result = checkCilium(inv, model.analysis, evaluator);
    std::string out;
    if (format == "json") {
        nlohmann::json j = ciliumCheckJson(inv, result);
        j["notEvaluated"] = notEvaluatedJson(notEvaluated);
        j["summary"]["notEvaluated"] = notEvaluated.size();
        j["warnings"] = std::move(warningsJson);
        out = j.dump(2) + '\n';
    } else {
        out += breaksTable(inv, result.breaks);
        out += "\nLayer-7 breaks: observed HTTP requests no rules.http matches ("
               + std::to_string(result.httpBreaks.size()) + "; "
               + std::to_string(result.httpRequests) + " requests checked)\n";
        std::vector<std::vector<std::string>> rows;
        for (const HttpBreak &b : result.httpBreaks) {
            std::string rules;
            for (const std::string &r : b.rules)
                rules += (rules.empty() ? "" : ", ") + r;
            const HttpRequestSeen &r = b.request;
            rows.push_back({inv.workloads[static_cast<size_t>(r.clientWorkload)].id(),
                            inv.workloads[static_cast<size_t>(r.serverWorkload)].id(),
                            portText(Protocol::TCP, r.port), r.method, b.target,
                            std::to_string(b.requests), b.side, rules});
        }
        if (!rows.empty())
            out += formatTable(
                {"FROM", "TO", "PORT", "METHOD", "PATH", "REQUESTS", "SIDE", "RULES"}, rows);
        out += "\nUndecided: observed flows whose verdict the inventory cannot settle ("
               + std::to_string(result.undecided.size()) + ")\n";
        rows.clear();
        for (const UndecidedEdge &u : result.undecided)
            rows.push_back({peerName(inv, u.edge.from), peerName(inv, u.edge.to),
                            portText(u.edge.protocol, u.edge.port),
                            std::to_string(u.edge.evidence.flows), u.reason});
        if (!rows.empty())
            out += formatTable({"FROM", "TO", "PORT", "FLOWS", "REASON"}, rows);
        out += excessTable(inv, result.excess, "(no policy: the default)");
        if (!notEvaluated.empty())
            out += '\n' + notEvaluatedTable(notEvaluated, ignoreUnsupported);
        out += "\n" + std::to_string(result.observedEdges) + " observed edges, "
               + std::to_string(result.breaks.size()) + " break, "
               + std::to_string(result.httpBreaks.size()) + " layer-7 break, "
               + std::to_string(result.undecided.size()) + " undecided, "
               + std::to_string(result.excess.size()) + " excess; "
               + std::to_string(set.ciliumPolicies.size()) + " Cilium policies, "
               + std::to_string(set.networkPolicies.size()) + " NetworkPolicies";
        if (!notEvaluated.empty())
            out += ", " + std::to_string(notEvaluated.size())
                   + " not evaluated (the verdicts leave them out)";
        out += '\n';
    }
    if (auto written = writeOutput("-", out, {}); !written)
        return reportError(written.error());
    printWarnings(model.warnings);
    printWarnings(loadWarnings);
    printWarnings(warnings);
    if (const int status = notEvaluatedExit(notEvaluated, ignoreUnsupported); status != ExitOk)
        return status;
    return result.breaks.empty() && result.httpBreaks.empty() && result.undecided.empty()
               ? ExitOk
               : ExitFindings;
}

int CheckCommand::run() const
{
    auto model = loadModel(input, false);
    if (!model)
        return reportError(model.error());
    std::vector<std::string> loadWarnings;
    std::vector<NotEvaluatedPolicy> notEvaluated;
    auto set = loadPolicySet(policies, &loadWarnings, &notEvaluated, true);
    if (!set)
        return reportError(set.error());
    if (const auto problem = ciliumSetProblem(*set, ipBlockMatchesPods))
        return reportError(*problem);
    if (set->ciliumPolicies.empty() && ciliumCidrMatchesNodes)
        return reportError(
            Error{{}, 0, "--cilium-cidr-match-nodes: no CiliumNetworkPolicy in the given files"});
    if (!explain.empty())
        return runExplain(*model, *set, loadWarnings);
    if (!set->ciliumPolicies.empty())
        return runCilium(*model, *set, loadWarnings, notEvaluated);
    if (!set->clusterPolicies.empty())
        return runTiered(*model, *set, loadWarnings, notEvaluated);
    const std::vector<NetworkPolicy> *loaded = &set->networkPolicies;
    const PolicyEvaluator evaluator(model->inventory, *loaded,
                                    EvaluatorOptions{ipBlockMatchesPods});
    // Policies that select nothing review nothing: none selecting is an error, some a warning.
    const PolicySelection selection = policySelection(evaluator);
    if (selection.noneSelects() || selection.policies == 0) {
        // One file is named; of several, the message counts the policies instead.
        const std::string files
            = policies.files.size() == 1 ? policies.files.front() : std::string();
        return reportError(Error{files, 0,
                                 selection.policies == 0
                                     ? std::string("no NetworkPolicy in the given files")
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
            out += "Warnings: policies that select no workload ("
                   + std::to_string(selection.warnings.size()) + ")\n";
            std::vector<std::vector<std::string>> warningRows;
            for (const SelectionWarning &w : selection.warnings)
                warningRows.push_back({w.policy, w.message});
            out += formatTable({"POLICY", "WARNING"}, warningRows) + '\n';
        }
        out += breaksTable(inv, result.breaks);
        out += excessTable(inv, result.excess, "");
        if (!notEvaluated.empty())
            out += '\n' + notEvaluatedTable(notEvaluated, ignoreUnsupported);
        out += "\n" + std::to_string(result.observedEdges) + " observed edges, "
               + std::to_string(result.breaks.size()) + " break, "
               + std::to_string(result.excess.size()) + " excess";
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
    CLI::App *c = app.add_subcommand(
        "check",
        "Review existing NetworkPolicies (and CiliumNetworkPolicies) against observed traffic: "
        "what they break, what they allow beyond it");
    addInputOptions(c, check->input, true);
    addPolicyOptions(c, check->policies, true,
                     "NetworkPolicy YAML to review, with ClusterNetworkPolicy, AdminNetworkPolicy "
                     "and BaselineAdminNetworkPolicy, or with CiliumNetworkPolicy and "
                     "CiliumClusterwideNetworkPolicy (repeatable)");
    c->add_option("--format", check->format, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    c->add_flag("--ipblock-matches-pods", check->ipBlockMatchesPods,
                "Let ipBlock match pod addresses (some CNIs do; by default, as most, they do not)");
    c->add_flag(
        "--cilium-cidr-match-nodes", check->ciliumCidrMatchesNodes,
        "With CiliumNetworkPolicies: Cilium runs with policy-cidr-match-mode=nodes (CIDR rules and "
        "NetworkPolicy ipBlocks match node addresses; by default they do not)");
    addIgnoreUnsupportedOption(c, check->ignoreUnsupported, "Calico, ...");
    c->add_option("--explain", check->explain,
                  "Explain one connection FROM TO PORT (workload ns/name or address; 80, TCP/80, "
                  "UDP/53): every "
                  "policy consulted, tier by tier, and which decided (exit 1 when denied)")
        ->expected(3);
    c->callback([check, &exitCode] { exitCode = check->run(); });
}

} // namespace bulkhead::cli
