#pragma once

#include "util/ipaddress.h"
#include "util/protocol.h"

#include <cstdint>
#include <limits>

namespace bulkhead {

// One conversation as the capture layer sees it, before attribution decides who is the client.
// Side 0 is the source of the first packet seen of the conversation, side 1 its destination.
// (ICMP/ICMPv6 conversations have ports 0 and are only counted.)
struct RawFlow
{
    IpAddress address[2];
    uint16_t port[2] = {0, 0};
    Protocol protocol = Protocol::TCP;

    uint64_t packets[2] = {0, 0}; // sent by side i
    uint64_t bytes[2] = {0, 0};   // IP bytes (wire length minus link header) sent by side i
    int64_t firstSeenUs = std::numeric_limits<int64_t>::max();
    int64_t lastSeenUs = std::numeric_limits<int64_t>::min();

    // TCP: side i sent a SYN without ACK / a SYN+ACK / a RST. tcpAnsweredAfterSyn: side i sent a
    // segment (not a RST) after the other side's bare SYN.
    bool synFrom[2] = {false, false};
    bool synAckFrom[2] = {false, false};
    bool rstFrom[2] = {false, false};
    bool tcpAnsweredAfterSyn[2] = {false, false}; // (set by the capture layer, as described above)
    // UDP/SCTP/TCP: an ICMP/ICMPv6 destination-unreachable answered a datagram sent by side i.
    bool unreachableTo[2] = {false, false};

    uint64_t fileMask = 0; // bit f: seen in capture file f (files 0..63; later files share bit 63)
};

} // namespace bulkhead
