#include "report/report.h"

#include "design/intent.h"
#include "model/model.h"
#include "policy/generator.h"
#include "report/reportjson.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace bulkhead {

namespace {

nlohmann::json peerJson(const Model &model, const Peer &peer)
{
    static constexpr const char *kinds[]
        = {"workload", "node", "externalNetwork", "external", "unattributed"};
    return {{"name", peerName(model.inventory, peer)},
            {"kind", kinds[static_cast<int>(peer.kind)]}};
}

nlohmann::json filesJson(const Model &model, const std::vector<uint32_t> &files)
{
    nlohmann::json out = nlohmann::json::array();
    for (uint32_t f : files)
        out.push_back(f < model.analysis.captureFiles.size() ? model.analysis.captureFiles[f]
                                                             : std::to_string(f));
    return out;
}

// Names of an external peer, learnt from DNS answers and TLS server names.
void addNames(nlohmann::json &j, const char *key, const Model &model, const Peer &peer)
{
    if (peer.kind != PeerKind::External)
        return;
    if (const auto it = model.analysis.externalNames.find(peer.address);
        it != model.analysis.externalNames.end())
        j[key] = it->second;
}

} // namespace

std::string peerLabel(const Model &model, const Peer &peer)
{
    std::string label = peerName(model.inventory, peer);
    if (peer.kind != PeerKind::External)
        return label;
    const auto it = model.analysis.externalNames.find(peer.address);
    if (it == model.analysis.externalNames.end())
        return label;
    label += " (";
    for (size_t i = 0; i < it->second.size(); ++i)
        label += (i ? ", " : "") + it->second[i];
    return label + ')';
}

nlohmann::json externalNamesJson(const Model &model)
{
    // Grouped by name: a name answered with several addresses lists them all.
    std::map<std::string, std::vector<std::string>> byName;
    for (const auto &[address, names] : model.analysis.externalNames) {
        for (const std::string &n : names)
            byName[n].push_back(address.toString());
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto &[name, addresses] : byName)
        out.push_back({{"name", name}, {"addresses", addresses}});
    return out;
}

nlohmann::json flowStatsJson(const Model &model)
{
    nlohmann::json out = nlohmann::json::array();
    for (const HubbleStats &s : model.flowStats) {
        out.push_back({{"file", s.file},
                       {"lines", s.lines},
                       {"events", s.events},
                       {"otherVerdicts", s.otherVerdicts},
                       {"l7Events", s.l7Events},
                       {"withoutPorts", s.withoutPorts},
                       {"nonFlowLines", s.nonFlowLines},
                       {"truncatedLastLine", s.truncatedLastLine}});
    }
    return out;
}

// What the captures held at layer 7 on a TCP edge between workloads: HTTP request kinds (rules.http
// with --format cilium) or a TLS ClientHello (no layer-7 rules: nothing of it can be read).
void addLayer7(nlohmann::json &j, const Model &model, const Edge &edge)
{
    if (edge.protocol != Protocol::TCP || !edge.from.isWorkload() || !edge.to.isWorkload())
        return;
    const auto keyOf = [](const HttpRequestSeen &r) {
        return std::tuple(r.clientWorkload, r.serverWorkload, r.port);
    };
    const auto wanted = std::tuple(edge.from.index, edge.to.index, edge.port);
    const std::vector<HttpRequestSeen> &requests = model.analysis.httpRequests; // sorted
    const auto first
        = std::lower_bound(requests.begin(), requests.end(), wanted,
                           [&](const HttpRequestSeen &r, const auto &k) { return keyOf(r) < k; });
    const auto last
        = std::upper_bound(first, requests.end(), wanted,
                           [&](const auto &k, const HttpRequestSeen &r) { return k < keyOf(r); });
    const std::vector<TlsSeen> &tls = model.analysis.tlsSeen;
    const bool tlsSeen = std::binary_search(tls.begin(), tls.end(),
                                            TlsSeen{edge.from.index, edge.to.index, edge.port});
    if (first == last && !tlsSeen)
        return;
    nlohmann::json l7;
    if (first != last) {
        uint64_t count = 0;
        for (auto it = first; it != last; ++it)
            count += it->count;
        l7["httpKinds"] = static_cast<uint64_t>(last - first);
        l7["httpRequests"] = count;
    }
    if (tlsSeen)
        l7["tls"] = "a TLS ClientHello was seen: no layer-7 rules, nothing of it can be read";
    j["layer7"] = std::move(l7);
}

nlohmann::json edgeJson(const Model &model, const Edge &edge)
{
    nlohmann::json j;
    j["from"] = peerName(model.inventory, edge.from);
    j["fromKind"] = peerJson(model, edge.from)["kind"];
    addNames(j, "fromNames", model, edge.from);
    j["to"] = peerName(model.inventory, edge.to);
    j["toKind"] = peerJson(model, edge.to)["kind"];
    addNames(j, "toNames", model, edge.to);
    j["protocol"] = protocolName(edge.protocol);
    j["port"] = edge.port;
    j["flows"] = edge.evidence.flows;
    j["packets"] = edge.evidence.packets;
    j["bytes"] = edge.evidence.bytes;
    j["firstSeen"] = isoTime(edge.evidence.firstSeenUs);
    j["lastSeen"] = isoTime(edge.evidence.lastSeenUs);
    j["captures"] = filesJson(model, edge.evidence.files);
    addLayer7(j, model, edge);
    if (!edge.viaServices.empty())
        j["viaServices"] = edge.viaServices;
    return j;
}

nlohmann::json flowJson(const Model &model, const ObservedFlow &flow)
{
    nlohmann::json j;
    j["client"] = flow.client.toString();
    j["clientPort"] = flow.clientPort;
    j["clientPeer"] = peerName(model.inventory, flow.clientPeer);
    j["server"] = flow.server.toString();
    j["serverPort"] = flow.serverPort;
    j["serverPeer"]
        = flow.service.empty() ? peerName(model.inventory, flow.serverPeer) : flow.service;
    if (!flow.service.empty())
        j["service"] = flow.service;
    j["protocol"] = protocolName(flow.protocol);
    j["state"] = flowStateName(flow.state);
    j["handshake"] = flow.handshakeSeen;
    j["packets"] = flow.packets;
    j["bytes"] = flow.bytes;
    j["firstSeen"] = isoTime(flow.firstSeenUs);
    j["lastSeen"] = isoTime(flow.lastSeenUs);
    j["captures"] = filesJson(model, filesOfMask(flow.fileMask));
    if (flow.ownNode)
        j["ownNode"] = true;
    return j;
}

nlohmann::json captureStatsJson(const Model &model)
{
    nlohmann::json out = nlohmann::json::array();
    for (const CaptureStats &s : model.captureStats) {
        out.push_back({{"file", s.file},
                       {"linkTypes", s.linkTypes},
                       {"packets", s.packets},
                       {"bytes", s.bytes},
                       {"ipPackets", s.ipPackets},
                       {"tcp", s.tcp},
                       {"udp", s.udp},
                       {"sctp", s.sctp},
                       {"icmp", s.icmp},
                       {"otherIp", s.otherIp},
                       {"nonIp", s.nonIp},
                       {"truncated", s.truncated},
                       {"malformed", s.malformed},
                       {"unsupportedLinkType", s.unsupportedLinkType},
                       {"fragments", s.fragments},
                       {"orphanFragments", s.orphanFragments},
                       {"warnings", s.warnings}});
    }
    return out;
}

namespace {

// "edges" and "attempts" (refused or unanswered, with their reasons), as both reports give them.
void addEdgesAndAttempts(nlohmann::json &j, const Model &model)
{
    nlohmann::json edges = nlohmann::json::array();
    for (const Edge &e : model.analysis.edges)
        edges.push_back(edgeJson(model, e));
    j["edges"] = std::move(edges);
    nlohmann::json attempts = nlohmann::json::array();
    for (const Attempt &a : model.analysis.attempts) {
        nlohmann::json aj = edgeJson(model, a.edge);
        aj["state"] = flowStateName(a.state);
        if (!a.dropReasons.empty())
            aj["dropReasons"] = a.dropReasons;
        if (!a.deniedBy.empty())
            aj["deniedBy"] = a.deniedBy;
        attempts.push_back(std::move(aj));
    }
    j["attempts"] = std::move(attempts);
}

} // namespace

nlohmann::json generateReportJson(const Model &model, const GenerateResult &generated)
{
    nlohmann::json j;
    j["inventory"] = {{"workloads", model.inventory.workloads.size()},
                      {"services", model.inventory.services.size()},
                      {"nodes", model.inventory.nodes.size()},
                      {"files", model.inventory.sourceFiles},
                      {"skippedKinds", model.inventory.skippedKinds}};
    j["captures"] = captureStatsJson(model);
    if (!model.flowStats.empty())
        j["flowFiles"] = flowStatsJson(model);
    if (!model.analysis.externalNames.empty())
        j["externalNames"] = externalNamesJson(model);
    if (!model.analysis.missingPods.empty())
        j["podsNotInInventory"] = model.analysis.missingPods;
    addEdgesAndAttempts(j, model);
    nlohmann::json unattributed = nlohmann::json::array();
    for (const IpAddress &a : model.analysis.unattributed)
        unattributed.push_back(a.toString());
    j["unattributed"] = std::move(unattributed);
    nlohmann::json icmp = nlohmann::json::array();
    for (const IcmpSummary &i : model.analysis.icmp)
        icmp.push_back({{"a", i.a.toString()},
                        {"b", i.b.toString()},
                        {"protocol", protocolName(i.protocol)},
                        {"packets", i.packets}});
    j["icmp"] = std::move(icmp);
    j["ownNodeFlowsLeftOut"] = model.analysis.ownNodeFlows;
    nlohmann::json policies = nlohmann::json::array();
    // Every rule linked to the intent edges it allows.
    auto rulesJson = [](const std::vector<PolicyRule> &rules) {
        nlohmann::json out = nlohmann::json::array();
        for (const PolicyRule &rule : rules)
            out.push_back({{"edges", rule.edges}});
        return out;
    };
    for (const NetworkPolicy &p : generated.policies)
        policies.push_back({{"namespace", p.ns},
                            {"name", p.name},
                            {"ingress", rulesJson(p.ingress)},
                            {"egress", rulesJson(p.egress)}});
    j["policies"] = std::move(policies);
    std::vector<std::string> warnings = model.warnings;
    warnings.insert(warnings.end(), generated.warnings.begin(), generated.warnings.end());
    j["warnings"] = std::move(warnings);
    return j;
}

nlohmann::json intentReportJson(const Model &model, const Intent &intent)
{
    const auto findings = [&](const std::vector<ZoneFinding> &list) {
        nlohmann::json out = nlohmann::json::array();
        for (const ZoneFinding &f : list) {
            nlohmann::json j = edgeJson(model, f.edge);
            j["rule"] = f.rule;
            j["action"] = zoneActionName(f.action);
            out.push_back(std::move(j));
        }
        return out;
    };
    const auto edges = [&](const std::vector<Edge> &list) {
        nlohmann::json out = nlohmann::json::array();
        for (const Edge &e : list)
            out.push_back(edgeJson(model, e));
        return out;
    };
    nlohmann::json j;
    j["flagged"] = findings(intent.flagged);
    j["blocked"] = findings(intent.blocked);
    j["denied"] = edges(intent.denied);
    j["added"] = edges(intent.added);
    j["intentEdges"] = intent.edges.size();
    return j;
}

std::string designReportJson(const Model &model, const GenerateResult &generated,
                             const Intent &intent, const std::vector<std::string> &warnings)
{
    nlohmann::json j = generateReportJson(model, generated);
    j.update(intentReportJson(model, intent));
    for (const std::string &w : warnings)
        j["warnings"].push_back(w);
    for (const std::string &w : intent.warnings)
        j["warnings"].push_back(w);
    return j.dump(2) + '\n';
}

std::string flowsReportJson(const Model &m)
{
    nlohmann::json j;
    nlohmann::json flows = nlohmann::json::array();
    for (const ObservedFlow &f : m.analysis.flows)
        flows.push_back(flowJson(m, f));
    j["flows"] = std::move(flows);
    addEdgesAndAttempts(j, m);
    j["captures"] = captureStatsJson(m);
    if (!m.flowStats.empty())
        j["flowFiles"] = flowStatsJson(m);
    if (!m.analysis.externalNames.empty())
        j["externalNames"] = externalNamesJson(m);
    j["warnings"] = m.warnings;
    return j.dump(2) + '\n';
}

} // namespace bulkhead
