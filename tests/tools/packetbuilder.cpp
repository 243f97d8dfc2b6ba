#include "packetbuilder.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cstring>

// Checksums: the IPv4 header checksum, TCP/UDP/ICMP/ICMPv6 checksums (with the pseudo header where
// the protocol has one) and the SCTP CRC32c are all computed, so the frames are valid for
// Wireshark.

namespace bulkhead::testing {

namespace {

constexpr uint8_t kIcmp = 1, kTcp = 6, kUdp = 17, kIcmpV6 = 58, kSctp = 132;

void put16(std::vector<uint8_t> &v, uint16_t x)
{
    v.push_back(uint8_t(x >> 8));
    v.push_back(uint8_t(x));
}
void put32(std::vector<uint8_t> &v, uint32_t x)
{
    put16(v, uint16_t(x >> 16));
    put16(v, uint16_t(x));
}
void set16(std::vector<uint8_t> &v, size_t at, uint16_t x)
{
    v[at] = uint8_t(x >> 8);
    v[at + 1] = uint8_t(x);
}
uint16_t get16(const std::vector<uint8_t> &v, size_t at)
{
    return uint16_t(v[at] << 8 | v[at + 1]);
}

void appendAddress(std::vector<uint8_t> &v, const IpAddress &a)
{
    v.insert(v.end(), a.bytes().begin(), a.bytes().begin() + (a.isV6() ? 16 : 4));
}

void appendPayload(std::vector<uint8_t> &v, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        v.push_back(uint8_t('a' + i % 26));
}

uint32_t sumWords(const uint8_t *p, size_t n, uint32_t sum = 0)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += uint32_t(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += uint32_t(p[n - 1] << 8);
    return sum;
}

uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return uint16_t(~sum);
}

// Internet checksum of a transport segment with the IPv4/IPv6 pseudo header.
uint16_t transportChecksum(const IpAddress &src, const IpAddress &dst, uint8_t proto,
                           const std::vector<uint8_t> &seg)
{
    const size_t alen = src.isV6() ? 16 : 4;
    uint32_t sum = sumWords(src.bytes().data(), alen);
    sum = sumWords(dst.bytes().data(), alen, sum);
    sum += proto;
    sum += uint32_t(seg.size() & 0xffff) + uint32_t(seg.size() >> 16);
    sum = sumWords(seg.data(), seg.size(), sum);
    uint16_t c = fold(sum);
    return proto == kUdp && c == 0 ? 0xffff : c;
}

uint32_t crc32c(const uint8_t *p, size_t n)
{
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; ++i)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

void setIpv4Checksum(std::vector<uint8_t> &pkt)
{
    const size_t ihl = size_t(pkt[0] & 0x0f) * 4;
    set16(pkt, 10, 0);
    set16(pkt, 10, fold(sumWords(pkt.data(), ihl)));
}

// Wraps a transport segment in an IPv4 or IPv6 header (after src's family).
std::vector<uint8_t> ipWrap(const IpAddress &src, const IpAddress &dst, uint8_t proto,
                            const std::vector<uint8_t> &seg, uint16_t ipId)
{
    std::vector<uint8_t> p;
    if (!src.isV6()) {
        p.reserve(20 + seg.size());
        p.push_back(0x45);
        p.push_back(0);
        put16(p, uint16_t(20 + seg.size()));
        put16(p, ipId);
        put16(p, 0); // flags/fragment offset
        p.push_back(64);
        p.push_back(proto);
        put16(p, 0);
        appendAddress(p, src);
        appendAddress(p, dst);
        setIpv4Checksum(p);
    } else {
        p.reserve(40 + seg.size());
        put32(p, 0x60000000u);
        put16(p, uint16_t(seg.size()));
        p.push_back(proto);
        p.push_back(64);
        appendAddress(p, src);
        appendAddress(p, dst);
    }
    p.insert(p.end(), seg.begin(), seg.end());
    return p;
}

} // namespace

int dltOf(LinkType type)
{
    switch (type) {
    case LinkType::Ethernet:
    case LinkType::EthernetVlan:
    case LinkType::EthernetQinQ: return DLT_EN10MB;
    case LinkType::LinuxSll: return DLT_LINUX_SLL;
    case LinkType::LinuxSll2: return DLT_LINUX_SLL2;
    case LinkType::Raw: return DLT_RAW;
    case LinkType::Null: return DLT_NULL;
    case LinkType::Loop: return DLT_LOOP;
    case LinkType::Ipv4: return DLT_IPV4;
    case LinkType::Ipv6: return DLT_IPV6;
    }
    return DLT_EN10MB;
}

int linkTypeOfDlt(int dlt)
{
    return dlt == DLT_RAW ? 101 : dlt;
}

int linkTypeOf(LinkType type)
{
    return linkTypeOfDlt(dltOf(type));
}

PacketBuilder::PacketBuilder(LinkType link)
    : m_link(link)
{
}

std::vector<uint8_t> PacketBuilder::tcpIp(const IpAddress &src, uint16_t sport,
                                          const IpAddress &dst, uint16_t dport, uint8_t flags,
                                          size_t payload) const
{
    std::vector<uint8_t> seg;
    seg.reserve(20 + payload);
    put16(seg, sport);
    put16(seg, dport);
    put32(seg, m_seq);
    put32(seg, (flags & tcp::ACK) ? m_ack : 0);
    seg.push_back(5 << 4); // data offset 5 words
    seg.push_back(flags);
    put16(seg, 65535); // window
    put16(seg, 0);     // checksum
    put16(seg, 0);     // urgent pointer
    appendPayload(seg, payload);
    set16(seg, 16, transportChecksum(src, dst, kTcp, seg));
    return ipWrap(src, dst, kTcp, seg, m_ipId);
}

std::vector<uint8_t> PacketBuilder::tcpData(const IpAddress &src, uint16_t sport,
                                            const IpAddress &dst, uint16_t dport, uint8_t flags,
                                            const std::vector<uint8_t> &data) const
{
    std::vector<uint8_t> seg;
    put16(seg, sport);
    put16(seg, dport);
    put32(seg, m_seq);
    put32(seg, (flags & tcp::ACK) ? m_ack : 0);
    seg.push_back(5 << 4);
    seg.push_back(flags);
    put16(seg, 65535);
    put16(seg, 0);
    put16(seg, 0);
    seg.insert(seg.end(), data.begin(), data.end());
    set16(seg, 16, transportChecksum(src, dst, kTcp, seg));
    return frame(ipWrap(src, dst, kTcp, seg, m_ipId));
}

std::vector<uint8_t> PacketBuilder::udpData(const IpAddress &src, uint16_t sport,
                                            const IpAddress &dst, uint16_t dport,
                                            const std::vector<uint8_t> &data) const
{
    std::vector<uint8_t> seg;
    put16(seg, sport);
    put16(seg, dport);
    put16(seg, uint16_t(8 + data.size()));
    put16(seg, 0);
    seg.insert(seg.end(), data.begin(), data.end());
    set16(seg, 6, transportChecksum(src, dst, kUdp, seg));
    return frame(ipWrap(src, dst, kUdp, seg, m_ipId));
}

std::vector<uint8_t> PacketBuilder::udpIp(const IpAddress &src, uint16_t sport,
                                          const IpAddress &dst, uint16_t dport,
                                          size_t payload) const
{
    std::vector<uint8_t> seg;
    seg.reserve(8 + payload);
    put16(seg, sport);
    put16(seg, dport);
    put16(seg, uint16_t(8 + payload));
    put16(seg, 0);
    appendPayload(seg, payload);
    set16(seg, 6, transportChecksum(src, dst, kUdp, seg));
    return ipWrap(src, dst, kUdp, seg, m_ipId);
}

std::vector<uint8_t> PacketBuilder::sctpIp(const IpAddress &src, uint16_t sport,
                                           const IpAddress &dst, uint16_t dport,
                                           size_t payload) const
{
    std::vector<uint8_t> seg;
    put16(seg, sport);
    put16(seg, dport);
    put32(seg, 0x01020304u); // verification tag
    put32(seg, 0);           // CRC32c, below
    // One DATA chunk: type 0, flags B|E, length, TSN, stream id, stream seq, PPID, data (padded).
    seg.push_back(0);
    seg.push_back(0x03);
    put16(seg, uint16_t(16 + payload));
    put32(seg, 1);
    put16(seg, 0);
    put16(seg, 0);
    put32(seg, 0);
    appendPayload(seg, payload);
    while (seg.size() % 4)
        seg.push_back(0);
    const uint32_t crc = crc32c(seg.data(), seg.size());
    // The CRC32c is stored in little-endian byte order of its value (RFC 4960 appendix B).
    seg[8] = uint8_t(crc);
    seg[9] = uint8_t(crc >> 8);
    seg[10] = uint8_t(crc >> 16);
    seg[11] = uint8_t(crc >> 24);
    return ipWrap(src, dst, kSctp, seg, m_ipId);
}

std::vector<uint8_t> PacketBuilder::icmpUnreachableIp(const IpAddress &from,
                                                      const std::vector<uint8_t> &offendingIp) const
{
    std::vector<uint8_t> msg;
    IpAddress to;
    if (!from.isV6()) {
        // Quote the IP header and the first 8 bytes of its payload (RFC 792).
        size_t quote = offendingIp.size();
        if (!offendingIp.empty())
            quote = std::min(offendingIp.size(), size_t(offendingIp[0] & 0x0f) * 4 + 8);
        if (offendingIp.size() >= 20)
            to = IpAddress::fromV4(offendingIp.data() + 12);
        msg.push_back(3); // destination unreachable
        msg.push_back(3); // port unreachable
        put16(msg, 0);
        put32(msg, 0);
        msg.insert(msg.end(), offendingIp.begin(), offendingIp.begin() + long(quote));
        set16(msg, 2, fold(sumWords(msg.data(), msg.size())));
        return ipWrap(from, to, kIcmp, msg, m_ipId);
    }
    // As much of the packet as fits in the IPv6 minimum MTU (RFC 4443).
    const size_t quote = std::min(offendingIp.size(), size_t(1280 - 40 - 8));
    if (offendingIp.size() >= 40)
        to = IpAddress::fromV6(offendingIp.data() + 8);
    msg.push_back(1); // destination unreachable
    msg.push_back(4); // port unreachable
    put16(msg, 0);
    put32(msg, 0);
    msg.insert(msg.end(), offendingIp.begin(), offendingIp.begin() + long(quote));
    set16(msg, 2, transportChecksum(from, to, kIcmpV6, msg));
    return ipWrap(from, to, kIcmpV6, msg, m_ipId);
}

std::vector<uint8_t> PacketBuilder::icmpEchoIp(const IpAddress &src, const IpAddress &dst) const
{
    std::vector<uint8_t> msg;
    msg.push_back(src.isV6() ? 128 : 8);
    msg.push_back(0);
    put16(msg, 0);
    put16(msg, 0x4242); // identifier
    put16(msg, 1);      // sequence
    appendPayload(msg, 16);
    if (src.isV6())
        set16(msg, 2, transportChecksum(src, dst, kIcmpV6, msg));
    else
        set16(msg, 2, fold(sumWords(msg.data(), msg.size())));
    return ipWrap(src, dst, src.isV6() ? kIcmpV6 : kIcmp, msg, m_ipId);
}

std::vector<uint8_t> PacketBuilder::frame(const std::vector<uint8_t> &ipPacket) const
{
    const bool v6 = !ipPacket.empty() && (ipPacket[0] >> 4) == 6;
    const uint16_t etherType = v6 ? 0x86dd : 0x0800;
    std::vector<uint8_t> f;
    f.reserve(ipPacket.size() + 24);
    static const uint8_t dstMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    static const uint8_t srcMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    switch (m_link) {
    case LinkType::Ethernet:
    case LinkType::EthernetVlan:
    case LinkType::EthernetQinQ:
        f.insert(f.end(), dstMac, dstMac + 6);
        f.insert(f.end(), srcMac, srcMac + 6);
        if (m_link == LinkType::EthernetQinQ) {
            put16(f, m_outerTpid);
            put16(f, m_vlanOuter & 0x0fff);
            put16(f, 0x8100);
            put16(f, m_vlanInner & 0x0fff);
        } else if (m_link == LinkType::EthernetVlan) {
            put16(f, 0x8100);
            put16(f, m_vlanOuter & 0x0fff);
        }
        put16(f, etherType);
        break;
    case LinkType::LinuxSll:
        put16(f, 0); // packet type: to us
        put16(f, 1); // ARPHRD_ETHER
        put16(f, 6); // address length
        f.insert(f.end(), srcMac, srcMac + 6);
        put16(f, 0); // address padded to 8
        put16(f, etherType);
        break;
    case LinkType::LinuxSll2:
        put16(f, etherType);
        put16(f, 0);    // reserved
        put32(f, 2);    // interface index
        put16(f, 1);    // ARPHRD_ETHER
        f.push_back(0); // packet type
        f.push_back(6); // address length
        f.insert(f.end(), srcMac, srcMac + 6);
        put16(f, 0);
        break;
    case LinkType::Raw:
    case LinkType::Ipv4:
    case LinkType::Ipv6: break;
    case LinkType::Null: {
        const uint32_t af = v6 ? m_nullV6Family : 2;
        uint8_t b[4];
        std::memcpy(b, &af, 4); // host byte order
        f.insert(f.end(), b, b + 4);
        break;
    }
    case LinkType::Loop:
        put32(f, v6 ? m_nullV6Family : 2); // network byte order
        break;
    }
    f.insert(f.end(), ipPacket.begin(), ipPacket.end());
    return f;
}

std::vector<uint8_t> PacketBuilder::rawIp(const IpAddress &src, const IpAddress &dst,
                                          uint8_t protocol, size_t payload, uint16_t ipId)
{
    std::vector<uint8_t> seg;
    appendPayload(seg, payload);
    return ipWrap(src, dst, protocol, seg, ipId);
}

std::vector<std::vector<uint8_t>> PacketBuilder::fragmentIpv4(const std::vector<uint8_t> &pkt,
                                                              size_t maxPayload)
{
    std::vector<std::vector<uint8_t>> out;
    if (pkt.size() < 20)
        return out;
    const size_t ihl = size_t(pkt[0] & 0x0f) * 4;
    const size_t total = get16(pkt, 2);
    maxPayload = std::max<size_t>(8, maxPayload / 8 * 8);
    for (size_t off = 0; ihl + off < total; off += maxPayload) {
        const size_t len = std::min(maxPayload, total - ihl - off);
        const bool more = ihl + off + len < total;
        std::vector<uint8_t> f(pkt.begin(), pkt.begin() + long(ihl));
        f.insert(f.end(), pkt.begin() + long(ihl + off), pkt.begin() + long(ihl + off + len));
        set16(f, 2, uint16_t(ihl + len));
        set16(f, 6, uint16_t((more ? 0x2000 : 0) | (off / 8)));
        setIpv4Checksum(f);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::vector<uint8_t>> PacketBuilder::fragmentIpv6(const std::vector<uint8_t> &pkt,
                                                              size_t maxPayload, uint32_t id)
{
    std::vector<std::vector<uint8_t>> out;
    if (pkt.size() < 40)
        return out;
    const uint8_t next = pkt[6];
    const size_t total = pkt.size() - 40;
    maxPayload = std::max<size_t>(8, maxPayload / 8 * 8);
    for (size_t off = 0; off < total; off += maxPayload) {
        const size_t len = std::min(maxPayload, total - off);
        const bool more = off + len < total;
        std::vector<uint8_t> f(pkt.begin(), pkt.begin() + 40);
        f[6] = 44;
        set16(f, 4, uint16_t(8 + len));
        f.push_back(next);
        f.push_back(0);
        put16(f, uint16_t(off | (more ? 1 : 0))); // offset in 8-byte units << 3 == byte offset
        put32(f, id);
        f.insert(f.end(), pkt.begin() + long(40 + off), pkt.begin() + long(40 + off + len));
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<uint8_t> PacketBuilder::withIpv4Options(const std::vector<uint8_t> &pkt,
                                                    const std::vector<uint8_t> &options)
{
    if (pkt.size() < 20)
        return pkt;
    const size_t ihl = size_t(pkt[0] & 0x0f) * 4;
    std::vector<uint8_t> opts = options;
    while (opts.size() % 4)
        opts.push_back(0); // EOL
    if (ihl + opts.size() > 60)
        opts.resize(60 - ihl);
    std::vector<uint8_t> f(pkt.begin(), pkt.begin() + long(ihl));
    f.insert(f.end(), opts.begin(), opts.end());
    f.insert(f.end(), pkt.begin() + long(ihl), pkt.end());
    f[0] = uint8_t(0x40 | ((ihl + opts.size()) / 4));
    set16(f, 2, uint16_t(get16(pkt, 2) + opts.size()));
    setIpv4Checksum(f);
    return f;
}

std::vector<uint8_t>
PacketBuilder::withIpv6ExtensionHeaders(const std::vector<uint8_t> &pkt,
                                        const std::vector<uint8_t> &headerTypes)
{
    if (pkt.size() < 40 || headerTypes.empty())
        return pkt;
    const uint8_t upper = pkt[6];
    std::vector<uint8_t> ext;
    for (size_t i = 0; i < headerTypes.size(); ++i) {
        const uint8_t type = headerTypes[i];
        const uint8_t next = i + 1 < headerTypes.size() ? headerTypes[i + 1] : upper;
        switch (type) {
        case 0:
        case 60: // hop-by-hop / destination options: one PadN option filling 8 bytes
            ext.insert(ext.end(), {next, 0, 1, 4, 0, 0, 0, 0});
            break;
        case 43: // routing: type 4 (segment routing) header with segments left 0, 8 bytes
            ext.insert(ext.end(), {next, 0, 4, 0, 0, 0, 0, 0});
            break;
        case 44: // atomic fragment: offset 0, M = 0
            ext.insert(ext.end(), {next, 0, 0, 0, 0, 0, 0, 7});
            break;
        case 51: // AH: 12-byte fixed part + 12-byte ICV = 24 bytes, length field (24/4)-2 = 4
            ext.insert(ext.end(), {next, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
            ext.insert(ext.end(), 12, 0xab);
            break;
        case 135: // mobility: binding refresh request, 8 bytes
            ext.insert(ext.end(), {next, 0, 0, 0, 0, 0, 0, 0});
            break;
        case 139: // HIP: 40 bytes (fixed part + two HITs), length field 4
            ext.insert(ext.end(), {next, 4, 1, 0x21, 0, 0, 0, 0});
            ext.insert(ext.end(), 32, 0x11);
            break;
        case 140: // Shim6: 8 bytes
            ext.insert(ext.end(), {next, 0, 0x80, 0, 0, 0, 0, 0});
            break;
        default: return pkt;
        }
    }
    std::vector<uint8_t> f(pkt.begin(), pkt.begin() + 40);
    f[6] = headerTypes.front();
    set16(f, 4, uint16_t(pkt.size() - 40 + ext.size()));
    f.insert(f.end(), ext.begin(), ext.end());
    f.insert(f.end(), pkt.begin() + 40, pkt.end());
    return f;
}

} // namespace bulkhead::testing
