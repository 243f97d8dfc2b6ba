#pragma once

#include "analysis/edge.h"
#include "capture/rawflow.h"
#include "hubble/hubbleconnection.h"
#include "l7/httprequest.h"

#include <map>
#include <set>

#include <string>
#include <vector>

namespace bulkhead {

struct Inventory;

// One observed conversation after attribution: who was the client, what state it reached, and
// which entities its ends are.
struct ObservedFlow
{
    IpAddress client;
    IpAddress server;
    uint16_t clientPort = 0;
    uint16_t serverPort = 0;
    Protocol protocol = Protocol::TCP;
    FlowState state = FlowState::Established;
    uint64_t packets = 0;
    uint64_t bytes = 0;
    int64_t firstSeenUs = 0;
    int64_t lastSeenUs = 0;
    uint64_t fileMask = 0;
    Peer clientPeer;
    Peer serverPeer;      // for a flow to a Service VIP: unset (kind External); see service
    std::string service;  // "ns/name" when the server address is a Service cluster IP
    bool ownNode = false; // between a pod and its own node: left out of edges
    bool handshakeSeen = false;
};

// A refused or unanswered attempt, aggregated like an edge.
struct Attempt
{
    Edge edge;
    FlowState state = FlowState::Refused;
    std::vector<std::string> dropReasons; // Dropped (Hubble): drop_reason_desc values, sorted
    std::vector<std::string> deniedBy;    // Dropped (Hubble): denying policies "ns/name", sorted
};

struct IcmpSummary
{
    IpAddress a; // the lower address
    IpAddress b;
    Protocol protocol = Protocol::ICMP;
    uint64_t packets = 0;
};

struct Analysis
{
    std::vector<std::string>
        captureFiles;                // index = Evidence::files entries (captures, then flow files)
    std::vector<ObservedFlow> flows; // every TCP/UDP/SCTP conversation, sorted
    std::vector<Edge> edges;         // established: the observed part of the intent, sorted
    std::vector<Attempt> attempts;   // refused and unanswered, sorted
    std::vector<IpAddress> unattributed; // in-cluster addresses that match nothing, sorted
    std::vector<IcmpSummary> icmp;       // counted, cannot be expressed in a NetworkPolicy
    uint64_t ownNodeFlows = 0;           // left out (Kubernetes always allows them)
    uint64_t outsideFlows = 0;           // no workload on either side: irrelevant to policies
    std::vector<std::string>
        missingPods; // "ns/pod" named by Hubble flows, absent from the inventory, sorted
    // Names of external addresses seen in the captures' DNS answers and TLS server names, for the
    // addresses of External peers in edges and attempts: address -> sorted names.
    std::map<IpAddress, std::vector<std::string>> externalNames;
    std::set<std::string> resolvedNames; // names seen asked in DNS answers with addresses
    std::vector<HttpRequestSeen>
        httpRequests;             // plain HTTP/1.x and h2c requests to workloads, sorted
    std::vector<TlsSeen> tlsSeen; // TLS ClientHellos to workloads' ports: no layer-7 rules, sorted
    std::vector<std::string> warnings;
};

// Attribution and aggregation (docs/semantics.md "Attribution", rules 1-5).
// `hubble`: connections read from Hubble flow files, whose file indices follow the captures' in
// `captureFiles`. Their ends are joined with the inventory by namespace and pod name first, then
// by address. `names`: address -> names learnt from DNS answers and TLS server names.
Analysis analyzeFlows(const Inventory &inventory, const std::vector<RawFlow> &flows,
                      std::vector<std::string> captureFiles,
                      const std::vector<HubbleConnection> &hubble = {},
                      const std::map<IpAddress, std::vector<std::string>> &names = {});

// File indices of a RawFlow::fileMask, ascending.
std::vector<uint32_t> filesOfMask(uint64_t mask);

} // namespace bulkhead
