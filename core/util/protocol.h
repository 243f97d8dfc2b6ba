#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bulkhead {

// IP protocol numbers of the transports Bulkhead tracks.
enum class Protocol : uint8_t {
    ICMP = 1,
    TCP = 6,
    UDP = 17,
    ICMPv6 = 58,
    SCTP = 132,
};

std::string_view protocolName(Protocol protocol); // "TCP"
std::optional<Protocol>
    parseProtocol(std::string_view);     // "TCP", "UDP", "SCTP" (case-sensitive, as Kubernetes)
inline bool isPolicyProtocol(Protocol p) // expressible in a NetworkPolicy
{
    return p == Protocol::TCP || p == Protocol::UDP || p == Protocol::SCTP;
}

} // namespace bulkhead
