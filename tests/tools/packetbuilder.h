#pragma once

#include "util/ipaddress.h"

#include <cstdint>
#include <vector>

namespace bulkhead::testing {

// Link-layer framings the builder can wrap an IP packet in.
enum class LinkType {
    Ethernet,      // DLT_EN10MB
    EthernetVlan,  // DLT_EN10MB with one 802.1Q tag
    EthernetQinQ,  // DLT_EN10MB with 802.1ad S-tag + 802.1Q C-tag
    LinuxSll,      // DLT_LINUX_SLL (113)
    LinuxSll2,     // DLT_LINUX_SLL2 (276)
    Raw,           // DLT_RAW / LINKTYPE_RAW: the IP packet alone
    Null,          // DLT_NULL: 4-byte host-order address family + IP packet
};

int dltOf(LinkType type); // the DLT number libpcap writes in the file header

namespace tcp {
constexpr uint8_t FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
}

// Builds well-formed frames (correct lengths and checksums) for tests, samples and benchmarks.
class PacketBuilder
{
public:
    explicit PacketBuilder(LinkType link = LinkType::Ethernet);

    // The IP packet alone (IPv4 or IPv6 after the addresses' family), no link header.
    std::vector<uint8_t> tcpIp(const IpAddress &src, uint16_t sport, const IpAddress &dst, uint16_t dport,
                               uint8_t flags, size_t payload = 0) const;
    std::vector<uint8_t> udpIp(const IpAddress &src, uint16_t sport, const IpAddress &dst, uint16_t dport,
                               size_t payload = 0) const;
    std::vector<uint8_t> sctpIp(const IpAddress &src, uint16_t sport, const IpAddress &dst, uint16_t dport,
                                size_t payload = 0) const;
    // ICMP (v4: type 3 code 3 port unreachable; v6: type 1 code 4) quoting the offending packet.
    std::vector<uint8_t> icmpUnreachableIp(const IpAddress &from, const std::vector<uint8_t> &offendingIp) const;
    std::vector<uint8_t> icmpEchoIp(const IpAddress &src, const IpAddress &dst) const;

    // The same, framed for this builder's link type.
    std::vector<uint8_t> frame(const std::vector<uint8_t> &ipPacket) const;
    std::vector<uint8_t> tcp(const IpAddress &src, uint16_t sport, const IpAddress &dst, uint16_t dport,
                             uint8_t flags, size_t payload = 0) const
    {
        return frame(tcpIp(src, sport, dst, dport, flags, payload));
    }
    std::vector<uint8_t> udp(const IpAddress &src, uint16_t sport, const IpAddress &dst, uint16_t dport,
                             size_t payload = 0) const
    {
        return frame(udpIp(src, sport, dst, dport, payload));
    }

    LinkType linkType() const { return m_link; }

private:
    LinkType m_link;
};

} // namespace bulkhead::testing
