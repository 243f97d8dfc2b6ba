#include "util/protocol.h"

namespace bulkhead {

std::string_view protocolName(Protocol protocol)
{
    switch (protocol) {
    case Protocol::ICMP: return "ICMP";
    case Protocol::TCP: return "TCP";
    case Protocol::UDP: return "UDP";
    case Protocol::ICMPv6: return "ICMPv6";
    case Protocol::SCTP: return "SCTP";
    }
    return "?";
}

std::optional<Protocol> parseProtocol(std::string_view text)
{
    if (text == "TCP")
        return Protocol::TCP;
    if (text == "UDP")
        return Protocol::UDP;
    if (text == "SCTP")
        return Protocol::SCTP;
    return std::nullopt;
}

} // namespace bulkhead
