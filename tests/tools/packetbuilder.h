#pragma once

#include "util/ipaddress.h"

#include <cstdint>
#include <vector>

namespace bulkhead::testing {

// Link-layer framings the builder can wrap an IP packet in.
enum class LinkType {
    Ethernet,     // DLT_EN10MB
    EthernetVlan, // DLT_EN10MB with one 802.1Q tag
    EthernetQinQ, // DLT_EN10MB with 802.1ad S-tag + 802.1Q C-tag
    LinuxSll,     // DLT_LINUX_SLL (113)
    LinuxSll2,    // DLT_LINUX_SLL2 (276)
    Raw,          // DLT_RAW / LINKTYPE_RAW: the IP packet alone
    Null,         // DLT_NULL: 4-byte host-order address family + IP packet
    // Added for the decoder tests:
    Loop, // DLT_LOOP (108): like Null, address family in network byte order
    Ipv4, // DLT_IPV4 (228): raw IPv4 only
    Ipv6, // DLT_IPV6 (229): raw IPv6 only
};

int dltOf(LinkType type);      // the DLT number libpcap writes in the file header
int linkTypeOf(LinkType type); // the LINKTYPE_ number stored in files (DLT_RAW -> LINKTYPE_RAW 101)
int linkTypeOfDlt(int dlt);    // DLT_ -> LINKTYPE_ (only DLT_RAW differs among the ones used here)

namespace tcp {
constexpr uint8_t FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
}

// Builds well-formed frames (correct lengths and checksums) for tests, samples and benchmarks.
class PacketBuilder
{
public:
    explicit PacketBuilder(LinkType link = LinkType::Ethernet);

    // The IP packet alone (IPv4 or IPv6 after the addresses' family), no link header.
    std::vector<uint8_t> tcpIp(const IpAddress &src, uint16_t sport, const IpAddress &dst,
                               uint16_t dport, uint8_t flags, size_t payload = 0) const;
    std::vector<uint8_t> udpIp(const IpAddress &src, uint16_t sport, const IpAddress &dst,
                               uint16_t dport, size_t payload = 0) const;
    std::vector<uint8_t> sctpIp(const IpAddress &src, uint16_t sport, const IpAddress &dst,
                                uint16_t dport, size_t payload = 0) const;
    // ICMP (v4: type 3 code 3 port unreachable; v6: type 1 code 4) quoting the offending packet.
    std::vector<uint8_t> icmpUnreachableIp(const IpAddress &from,
                                           const std::vector<uint8_t> &offendingIp) const;
    std::vector<uint8_t> icmpEchoIp(const IpAddress &src, const IpAddress &dst) const;

    // The same, framed for this builder's link type.
    std::vector<uint8_t> frame(const std::vector<uint8_t> &ipPacket) const;
    std::vector<uint8_t> tcp(const IpAddress &src, uint16_t sport, const IpAddress &dst,
                             uint16_t dport, uint8_t flags, size_t payload = 0) const
    {
        return frame(tcpIp(src, sport, dst, dport, flags, payload));
    }
    std::vector<uint8_t> udp(const IpAddress &src, uint16_t sport, const IpAddress &dst,
                             uint16_t dport, size_t payload = 0) const
    {
        return frame(udpIp(src, sport, dst, dport, payload));
    }

    LinkType linkType() const { return m_link; }

    // TCP and UDP carrying these payload bytes (DNS messages, TLS records), framed.
    std::vector<uint8_t> tcpData(const IpAddress &src, uint16_t sport, const IpAddress &dst,
                                 uint16_t dport, uint8_t flags,
                                 const std::vector<uint8_t> &data) const;
    std::vector<uint8_t> udpData(const IpAddress &src, uint16_t sport, const IpAddress &dst,
                                 uint16_t dport, const std::vector<uint8_t> &data) const;

    // --- Knobs: every packet built afterwards uses them. ---
    void setIpId(uint16_t id) { m_ipId = id; } // IPv4 identification (default 0x1234)
    void setTcpSeqAck(uint32_t seq, uint32_t ack)
    {
        m_seq = seq;
        m_ack = ack;
    } // default 1000 / 2000 (ack only with ACK)
    void setVlanIds(uint16_t outerOrOnly, uint16_t inner)
    {
        m_vlanOuter = outerOrOnly;
        m_vlanInner = inner;
    }
    void setOuterTpid(uint16_t tpid)
    {
        m_outerTpid = tpid;
    } // QinQ outer tag (default 0x88a8; 0x9100 also seen)
    void setNullIpv6Family(uint32_t af)
    {
        m_nullV6Family = af;
    } // DLT_NULL/LOOP IPv6 family: 24, 28 or 30 (default)

    // --- Helpers for fragments, options and extension headers. All static. ---
    // An IP packet of any protocol number with payload bytes (e.g. 47 GRE, 50 ESP, 59
    // no-next-header).
    static std::vector<uint8_t> rawIp(const IpAddress &src, const IpAddress &dst, uint8_t protocol,
                                      size_t payload = 0, uint16_t ipId = 0x1234);
    // Splits an IPv4 packet into fragments carrying at most maxPayload bytes (rounded down to a
    // multiple of 8) of the original payload each; headers (with options) are copied.
    static std::vector<std::vector<uint8_t>> fragmentIpv4(const std::vector<uint8_t> &ipv4Packet,
                                                          size_t maxPayload);
    // Splits an IPv6 packet (no extension headers) into fragments with a Fragment header (id).
    static std::vector<std::vector<uint8_t>> fragmentIpv6(const std::vector<uint8_t> &ipv6Packet,
                                                          size_t maxPayload, uint32_t id);
    // Inserts IPv4 options (padded with EOL to a multiple of 4, at most 40 bytes); fixes IHL,
    // total length and header checksum.
    static std::vector<uint8_t> withIpv4Options(const std::vector<uint8_t> &ipv4Packet,
                                                const std::vector<uint8_t> &options);
    // Inserts IPv6 extension headers in this order between the fixed header and the upper layer.
    // Supported: 0 hop-by-hop, 43 routing, 44 fragment (atomic: offset 0, M=0), 51 AH, 60
    // destination options, 135 mobility, 139 HIP, 140 Shim6.
    static std::vector<uint8_t> withIpv6ExtensionHeaders(const std::vector<uint8_t> &ipv6Packet,
                                                         const std::vector<uint8_t> &headerTypes);

private:
    LinkType m_link;
    uint16_t m_ipId = 0x1234;
    uint32_t m_seq = 1000, m_ack = 2000;
    uint16_t m_vlanOuter = 100, m_vlanInner = 200;
    uint16_t m_outerTpid = 0x88a8;
    uint32_t m_nullV6Family = 30;
};

} // namespace bulkhead::testing
