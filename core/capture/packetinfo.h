#pragma once

#include "util/ipaddress.h"
#include "util/protocol.h"

#include <cstdint>

namespace bulkhead {

// The 5-tuple of a datagram an ICMP/ICMPv6 destination-unreachable quotes, as the original sender
// sent it (src = the host the error goes back to).
struct QuotedTuple
{
    IpAddress src, dst;
    uint16_t sport = 0, dport = 0;
    Protocol protocol = Protocol::UDP;
};

// What the decoder extracts from one frame. Filled in place (no allocation); only the fields the
// DecodeResult promises are meaningful.
struct PacketInfo
{
    enum Flag : uint8_t {
        FirstFragment = 0x01, // offset 0 with more fragments: ports present; fragmentId valid
        NonFirstFragment
        = 0x02, // offset > 0: no ports; credit it through (src, dst, fragmentId, ipProtocol)
        IcmpUnreachable = 0x04, // ICMP type 3 / ICMPv6 type 1 whose quoted 5-tuple is in `quoted`
    };

    int64_t timeUs = 0;
    IpAddress src, dst;
    uint16_t sport = 0, dport = 0;
    Protocol protocol = Protocol::TCP; // meaningful for TCP/UDP/SCTP/ICMP/ICMPv6
    uint8_t ipProtocol = 0; // the IP protocol number (upper layer after extension headers)
    uint8_t tcpFlags = 0;
    uint8_t flags = 0;       // Flag bits
    uint32_t ipLength = 0;   // bytes of the IP packet (header + payload) on the wire
    uint32_t fragmentId = 0; // IPv4 identification or IPv6 fragment identification
    QuotedTuple quoted;      // valid with IcmpUnreachable
    // TCP/UDP: the transport payload inside the frame (valid only while the frame is; bounded by
    // the captured bytes and the IP length). Read for DNS answers and TLS server names.
    const uint8_t *payload = nullptr;
    uint32_t payloadLength = 0;

    bool has(Flag f) const { return (flags & f) != 0; }
};

} // namespace bulkhead
