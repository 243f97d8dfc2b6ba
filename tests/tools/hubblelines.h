#pragma once

// Hubble flow lines written from the format's definition: cilium's api/v1/flow/flow.proto and
// observer.proto under protobuf's JSON mapping (field names in snake_case except IP, TCP, UDP,
// SCTP, ICMPv4, Type; enums as strings; 64-bit integers as strings), as `hubble observe -o json`
// prints them ({"flow": {...}, "node_name": ..., "time": ...}) or bare (Cilium's flow export).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace bulkhead::testing {

struct HubbleEnd
{
    std::string ip;
    uint16_t port = 0;
    std::string ns; // "" for a peer outside the cluster (reserved:world)
    std::string pod;
};

struct HubbleFlow
{
    HubbleEnd src, dst;
    std::string protocol = "TCP"; // TCP, UDP, SCTP, ICMPv4
    bool syn = false, ack = false;
    int isReply = -1; // -1: field absent
    std::string verdict = "FORWARDED";
    std::string direction = "EGRESS";
    std::string time = "2026-12-03T10:00:00.000000000Z";
    std::string node = "kind-worker";
    std::string dropReason;            // drop_reason_desc
    std::vector<std::string> deniedBy; // "ns/name" of ingress_denied_by entries
    bool wrapped = true;               // {"flow": ..., "node_name": ..., "time": ...}
};

inline nlohmann::json hubbleEndpoint(const HubbleEnd &end)
{
    nlohmann::json e = nlohmann::json::object();
    if (end.ns.empty()) {
        e["identity"] = 2;
        e["labels"] = {"reserved:world"};
        return e;
    }
    e["ID"] = 1234;
    e["identity"] = 51234;
    e["cluster_name"] = "default";
    e["namespace"] = end.ns;
    e["pod_name"] = end.pod;
    e["labels"] = {"k8s:app=" + end.pod.substr(0, end.pod.find('-')),
                   "k8s:io.kubernetes.pod.namespace=" + end.ns};
    e["workloads"] = {{{"name", end.pod.substr(0, end.pod.rfind('-'))}, {"kind", "Deployment"}}};
    return e;
}

inline std::string hubbleLine(const HubbleFlow &f)
{
    nlohmann::json flow;
    flow["time"] = f.time;
    flow["uuid"] = "6a3c0b0e-5f5e-4b7a-9d0e-1b2c3d4e5f60";
    flow["verdict"] = f.verdict;
    if (!f.dropReason.empty()) {
        flow["drop_reason"] = 133;
        flow["drop_reason_desc"] = f.dropReason;
    }
    flow["ethernet"] = {{"source", "0a:58:0a:f4:01:0a"}, {"destination", "0a:58:0a:f4:01:01"}};
    flow["IP"] = {{"source", f.src.ip},
                  {"destination", f.dst.ip},
                  {"ipVersion", f.src.ip.find(':') == std::string::npos ? "IPv4" : "IPv6"}};
    if (f.protocol == "ICMPv4") {
        flow["l4"] = {{"ICMPv4", {{"type", 8}}}};
    } else {
        nlohmann::json ports = {{"source_port", f.src.port}, {"destination_port", f.dst.port}};
        if (f.protocol == "TCP") {
            nlohmann::json flags = nlohmann::json::object();
            if (f.syn)
                flags["SYN"] = true;
            if (f.ack)
                flags["ACK"] = true;
            ports["flags"] = flags;
        }
        flow["l4"] = {{f.protocol, ports}};
    }
    flow["source"] = hubbleEndpoint(f.src);
    flow["destination"] = hubbleEndpoint(f.dst);
    flow["Type"] = "L3_L4";
    flow["node_name"] = f.node;
    flow["event_type"] = {{"type", f.verdict == "DROPPED" ? 1 : 4}};
    flow["traffic_direction"] = f.direction;
    if (f.isReply >= 0)
        flow["is_reply"] = f.isReply == 1;
    flow["trace_observation_point"] = "TO_ENDPOINT";
    if (!f.deniedBy.empty()) {
        nlohmann::json denied = nlohmann::json::array();
        for (const std::string &p : f.deniedBy) {
            const auto slash = p.find('/');
            denied.push_back({{"name", p.substr(slash + 1)},
                              {"namespace", p.substr(0, slash)},
                              {"labels", {"k8s:io.cilium.k8s.policy.name=" + p.substr(slash + 1)}},
                              {"revision", "7"},
                              {"kind", "CiliumNetworkPolicy"}});
        }
        flow["ingress_denied_by"] = denied;
    }
    flow["Summary"] = f.protocol + " Flags: SYN";
    flow["interface"] = {{"index", 12}, {"name", "lxc1234"}};
    if (!f.wrapped)
        return flow.dump();
    nlohmann::json line = {{"flow", flow}, {"node_name", f.node}, {"time", f.time}};
    return line.dump();
}

// The lines of one TCP connection as Hubble reports it at both nodes: SYN (EGRESS at the client,
// INGRESS at the server), SYN-ACK (is_reply), ACK.
inline std::vector<std::string> hubbleTcpConnection(const HubbleEnd &client,
                                                    const HubbleEnd &server,
                                                    const std::string &time, bool wrapped = true)
{
    std::vector<std::string> lines;
    for (const char *direction : {"EGRESS", "INGRESS"}) {
        HubbleFlow syn{client, server};
        syn.syn = true;
        syn.isReply = 0;
        syn.direction = direction;
        syn.time = time;
        syn.wrapped = wrapped;
        lines.push_back(hubbleLine(syn));
        HubbleFlow synAck{server, client};
        synAck.syn = synAck.ack = true;
        synAck.isReply = 1;
        synAck.direction = direction;
        synAck.time = time;
        synAck.wrapped = wrapped;
        lines.push_back(hubbleLine(synAck));
        HubbleFlow ackOnly{client, server};
        ackOnly.ack = true; // is_reply absent: unknown
        ackOnly.direction = direction;
        ackOnly.time = time;
        ackOnly.wrapped = wrapped;
        lines.push_back(hubbleLine(ackOnly));
    }
    return lines;
}

// Writes `lines` to `path`, one a line (the last without its newline when `finalNewline` is
// false), as hubble observe or a flow export leaves them; returns the path.
inline std::string writeHubbleLines(const std::string &path, const std::vector<std::string> &lines,
                                    bool finalNewline = true)
{
    std::ofstream out(path, std::ios::binary);
    for (size_t i = 0; i < lines.size(); ++i) {
        out << lines[i];
        if (i + 1 < lines.size() || finalNewline)
            out << '\n';
    }
    return path;
}

} // namespace bulkhead::testing
