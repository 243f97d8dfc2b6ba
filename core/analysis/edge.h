#pragma once

#include "analysis/peer.h"
#include "util/protocol.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace bulkhead {

// The evidence behind an edge or a flow: how much traffic, when, from which capture files.
struct Evidence
{
    uint64_t flows = 0;
    uint64_t packets = 0;
    uint64_t bytes = 0;
    int64_t firstSeenUs = std::numeric_limits<int64_t>::max(); // microseconds since the epoch
    int64_t lastSeenUs = std::numeric_limits<int64_t>::min();
    std::vector<uint32_t> files; // sorted indices into the analysis' capture file list

    void merge(const Evidence &other);
    bool empty() const { return flows == 0; }
};

// Dropped: a Hubble flow event said the datapath dropped it (a policy, say); captures never say so.
enum class FlowState : uint8_t { Established, Refused, Unanswered, Dropped };
std::string_view
flowStateName(FlowState state); // "established", "refused", "unanswered", "dropped"

// client workload -> server workload (or external/node), protocol, server CONTAINER port.
struct Edge
{
    Peer from;
    Peer to;
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;
    Evidence evidence;
    std::vector<std::string> viaServices; // "ns/name" of Services whose VIP carried some of it

    // The identity of an edge, without its evidence.
    friend bool sameEdge(const Edge &a, const Edge &b)
    {
        return a.from == b.from && a.to == b.to && a.protocol == b.protocol && a.port == b.port;
    }
};

// "TCP/7070": the protocol and the server's container port, as every view writes them.
std::string portLabel(const Edge &edge);

// Sort order of edges everywhere in output: from, to, protocol, port.
bool edgeLess(const Edge &a, const Edge &b);

} // namespace bulkhead
