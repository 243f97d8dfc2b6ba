#pragma once

#include "capture/packetinfo.h"

#include <cstdint>
#include <string>

namespace bulkhead {

enum class DecodeResult : uint8_t {
    Ok,                  // TCP, UDP or SCTP with ports (a first fragment too: FirstFragment flag)
    Fragment,            // a non-first IPv4/IPv6 fragment of a tracked protocol: no ports
    Icmp,                // ICMP/ICMPv6 (IcmpUnreachable flag when the quoted 5-tuple was decoded)
    OtherIp,             // IP with another upper protocol (GRE, ESP, no-next-header, ...)
    NotIp,               // ARP, LLDP, other ethertypes or address families
    Truncated,           // captured bytes end before the transport ports
    Malformed,           // impossible header values
    UnsupportedLinkType, // the decoder was built for a DLT it does not decode
};

const char *decodeResultName(DecodeResult result);

// Decodes frames of one libpcap link type (DLT_) into PacketInfo. Reads hostile input: every read
// is bounds-checked against caplen; allocates nothing.
class PacketDecoder
{
public:
    explicit PacketDecoder(int dlt);

    int dlt() const { return m_dlt; }
    bool isSupported() const { return m_kind != Kind::Unsupported; }

    // wireLen (the record's original length, 0 = unknown) caps ipLength when an IP header claims
    // more bytes than the frame had on the wire.
    DecodeResult decode(const uint8_t *data, uint32_t caplen, int64_t timeUs, PacketInfo &out,
                        uint32_t wireLen = 0) const;

    static bool isSupportedLinkType(int dlt);
    // libpcap's name for the DLT ("EN10MB", "LINUX_SLL2"), or "" when libpcap has none.
    static std::string linkTypeName(int dlt);
    // "PKTAP (258)", or "3145728" when libpcap has no name.
    static std::string linkTypeLabel(int dlt);

private:
    enum class Kind : uint8_t {
        Ethernet,
        LinuxSll,
        LinuxSll2,
        Raw,
        Ipv4,
        Ipv6,
        Null,
        Loop,
        Unsupported
    };
    static Kind kindOf(int dlt);

    int m_dlt;
    Kind m_kind;
};

} // namespace bulkhead
