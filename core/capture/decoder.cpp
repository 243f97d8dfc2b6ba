#include "capture/decoder.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstring>

namespace bulkhead {

namespace {

constexpr uint8_t kIcmp = 1, kTcp = 6, kUdp = 17, kIcmpV6 = 58, kSctp = 132;
constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd;
constexpr int kLinktypeRaw = 101; // LINKTYPE_RAW, should a caller pass the file's number
constexpr int kMaxVlanTags = 8;

inline uint16_t rd16(const uint8_t *p)
{
    return uint16_t(p[0] << 8 | p[1]);
}
inline uint32_t rd32(const uint8_t *p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

bool isTracked(uint8_t proto)
{
    return proto == kTcp || proto == kUdp || proto == kSctp || proto == kIcmp || proto == kIcmpV6;
}

enum class IpStatus : uint8_t { Ok, OtherIp, Truncated, Malformed };

// One IP header (and, for IPv6, its extension headers) as parsed; used for the frame's packet and
// for the packet an ICMP error quotes.
struct IpView
{
    IpAddress src, dst;
    uint8_t proto = 0;
    uint32_t ipLength = 0;       // as the header states it
    const uint8_t *l4 = nullptr; // upper-layer bytes captured (within the stated length)
    size_t l4Len = 0;
    uint32_t fragId = 0;
    uint16_t fragOffset = 0; // in 8-byte units
    bool moreFragments = false;
};

IpStatus parseIpv4(const uint8_t *p, size_t len, IpView &v)
{
    if (len < 1)
        return IpStatus::Truncated;
    if ((p[0] >> 4) != 4)
        return IpStatus::Malformed;
    const size_t ihl = size_t(p[0] & 0x0f) * 4;
    if (ihl < 20)
        return IpStatus::Malformed;
    if (len < 4)
        return IpStatus::Truncated;
    const size_t total = rd16(p + 2);
    if (total < ihl)
        return IpStatus::Malformed;
    if (len < ihl)
        return IpStatus::Truncated;
    v.src = IpAddress::fromV4(p + 12);
    v.dst = IpAddress::fromV4(p + 16);
    v.proto = p[9];
    v.ipLength = uint32_t(total);
    const uint16_t frag = rd16(p + 6);
    v.fragOffset = frag & 0x1fff;
    v.moreFragments = (frag & 0x2000) != 0;
    v.fragId = rd16(p + 4);
    const size_t end = std::min(len, total); // bytes past `total` are link padding
    v.l4 = p + ihl;
    v.l4Len = end - ihl;
    return IpStatus::Ok;
}

IpStatus parseIpv6(const uint8_t *p, size_t len, IpView &v)
{
    if (len < 1)
        return IpStatus::Truncated;
    if ((p[0] >> 4) != 6)
        return IpStatus::Malformed;
    if (len < 40)
        return IpStatus::Truncated;
    const size_t payloadLen = rd16(p + 4);
    // Payload length 0: a jumbogram (or a segmentation-offload capture); take what was captured.
    const size_t end = payloadLen ? std::min(len, 40 + payloadLen) : len;
    v.ipLength = uint32_t(payloadLen ? 40 + payloadLen : len);
    v.src = IpAddress::fromV6(p + 8);
    v.dst = IpAddress::fromV6(p + 24);
    uint8_t next = p[6];
    size_t off = 40;
    // Every extension header is at least 8 bytes long, so the walk ends within the packet.
    for (;;) {
        switch (next) {
        case 0:   // hop-by-hop options
        case 43:  // routing
        case 60:  // destination options
        case 135: // mobility
        case 139: // HIP
        case 140: // Shim6
        {
            if (end < off + 8)
                return IpStatus::Truncated;
            const size_t hlen = (size_t(p[off + 1]) + 1) * 8;
            if (end < off + hlen)
                return IpStatus::Truncated;
            if (next == 43 && p[off + 3] > 0) {
                // Segments left: the final destination is in the routing header, and it is the
                // address the transport (and the answer) uses.
                const uint8_t type = p[off + 2];
                const size_t addresses = (hlen - 8) / 16;
                if ((type == 0 || type == 2) && addresses > 0)
                    v.dst = IpAddress::fromV6(p + off + 8 + (addresses - 1) * 16);
                else if (type == 4 && addresses > 0) // segment routing: list[0] is the last segment
                    v.dst = IpAddress::fromV6(p + off + 8);
            }
            next = p[off];
            off += hlen;
            break;
        }
        case 51: { // AH: length in 4-byte units, minus 2
            if (end < off + 8)
                return IpStatus::Truncated;
            const size_t hlen = (size_t(p[off + 1]) + 2) * 4;
            if (end < off + hlen)
                return IpStatus::Truncated;
            next = p[off];
            off += hlen;
            break;
        }
        case 44: { // fragment
            if (end < off + 8)
                return IpStatus::Truncated;
            const uint16_t fo = rd16(p + off + 2);
            v.fragOffset = fo >> 3;
            v.moreFragments = (fo & 1) != 0;
            v.fragId = rd32(p + off + 4);
            next = p[off];
            off += 8;
            if (v.fragOffset != 0) { // the upper-layer header is in the first fragment
                v.proto = next;
                v.l4 = p + off;
                v.l4Len = end - off;
                return IpStatus::Ok;
            }
            break;
        }
        case 50: // ESP: the rest is encrypted
        case 59: // no next header
            v.proto = next;
            return IpStatus::OtherIp;
        default:
            v.proto = next;
            v.l4 = p + off;
            v.l4Len = end - off;
            return IpStatus::Ok;
        }
    }
}

// The 5-tuple an ICMP/ICMPv6 error quotes (IP header + at least 8 bytes of the datagram).
bool parseQuoted(const uint8_t *p, size_t len, bool v6, QuotedTuple &q)
{
    IpView v;
    const IpStatus st = v6 ? parseIpv6(p, len, v) : parseIpv4(p, len, v);
    if (st != IpStatus::Ok || v.fragOffset != 0)
        return false;
    switch (v.proto) {
    case kTcp:
    case kUdp:
    case kSctp:
        if (v.l4Len < 4)
            return false;
        q.sport = rd16(v.l4);
        q.dport = rd16(v.l4 + 2);
        q.protocol = Protocol(v.proto);
        break;
    case kIcmp:
    case kIcmpV6:
        q.sport = q.dport = 0;
        q.protocol = Protocol(v.proto);
        break;
    default: return false;
    }
    q.src = v.src;
    q.dst = v.dst;
    return true;
}

// expectVersion: 4 or 6 (from the ethertype, address family or DLT), 0 = the version nibble
// decides.
DecodeResult decodeIp(const uint8_t *p, size_t len, int expectVersion, uint32_t wireIpLen,
                      PacketInfo &out)
{
    if (len < 1)
        return DecodeResult::Truncated;
    const int version = p[0] >> 4;
    if (expectVersion != 0 && version != expectVersion)
        return DecodeResult::Malformed;
    const bool v6 = version == 6;
    IpView v;
    IpStatus st;
    if (version == 4)
        st = parseIpv4(p, len, v);
    else if (v6)
        st = parseIpv6(p, len, v);
    else
        return DecodeResult::Malformed;
    if (st == IpStatus::Truncated)
        return DecodeResult::Truncated;
    if (st == IpStatus::Malformed)
        return DecodeResult::Malformed;

    out.src = v.src;
    out.dst = v.dst;
    out.ipProtocol = v.proto;
    out.ipLength = wireIpLen ? std::min(v.ipLength, wireIpLen) : v.ipLength;
    if (st == IpStatus::OtherIp)
        return DecodeResult::OtherIp;

    if (v.fragOffset != 0) {
        if (!isTracked(v.proto))
            return DecodeResult::OtherIp;
        out.protocol = Protocol(v.proto);
        out.flags |= PacketInfo::NonFirstFragment;
        out.fragmentId = v.fragId;
        return DecodeResult::Fragment;
    }
    if (v.moreFragments) {
        out.flags |= PacketInfo::FirstFragment;
        out.fragmentId = v.fragId;
    }

    const uint8_t *l4 = v.l4;
    const size_t n = v.l4Len;
    switch (v.proto) {
    case kTcp:
        if (n < 14)
            return DecodeResult::Truncated;
        if ((l4[12] >> 4) < 5)
            return DecodeResult::Malformed;
        out.protocol = Protocol::TCP;
        out.sport = rd16(l4);
        out.dport = rd16(l4 + 2);
        out.tcpFlags = l4[13];
        if (const size_t header = size_t(l4[12] >> 4) * 4; n > header) {
            out.payload = l4 + header;
            out.payloadLength = uint32_t(n - header);
        } else {
            out.payload = nullptr;
            out.payloadLength = 0;
        }
        return DecodeResult::Ok;
    case kUdp:
    case kSctp:
        if (n < 4)
            return DecodeResult::Truncated;
        out.protocol = Protocol(v.proto);
        out.sport = rd16(l4);
        out.dport = rd16(l4 + 2);
        if (v.proto == kUdp && n > 8) {
            out.payload = l4 + 8;
            out.payloadLength = uint32_t(n - 8);
        } else {
            out.payload = nullptr;
            out.payloadLength = 0;
        }
        return DecodeResult::Ok;
    case kIcmp:
    case kIcmpV6: {
        if (n < 8)
            return DecodeResult::Truncated;
        out.protocol = Protocol(v.proto);
        const bool unreachable = v.proto == kIcmp ? l4[0] == 3 : l4[0] == 1;
        // The quoted packet has the family of the ICMP flavour (ICMP quotes IPv4, ICMPv6 IPv6).
        if (unreachable && parseQuoted(l4 + 8, n - 8, v.proto == kIcmpV6, out.quoted))
            out.flags |= PacketInfo::IcmpUnreachable;
        return DecodeResult::Icmp;
    }
    default: return DecodeResult::OtherIp;
    }
}

// After an ethertype (Ethernet, SLL, SLL2): skip VLAN tags, then IPv4/IPv6 or not IP.
DecodeResult decodeEtherType(const uint8_t *data, size_t caplen, size_t off, uint16_t type,
                             uint32_t wireLen, PacketInfo &out)
{
    for (int i = 0;
         i < kMaxVlanTags && (type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200);
         ++i) {
        if (caplen < off + 4)
            return DecodeResult::Truncated;
        type = rd16(data + off + 2);
        off += 4;
    }
    if (type <= 1500) {
        // An 802.3 length (or SLL's 802.2 marker): IP only behind LLC/SNAP (AA AA 03, OUI,
        // ethertype).
        if (caplen < off + 8)
            return DecodeResult::Truncated;
        if (data[off] != 0xaa || data[off + 1] != 0xaa || data[off + 2] != 0x03)
            return DecodeResult::NotIp;
        type = rd16(data + off + 6);
        off += 8;
    }
    const uint32_t wireIpLen = wireLen > off ? uint32_t(wireLen - off) : 0;
    if (type == kEtherIpv4)
        return decodeIp(data + off, caplen - off, 4, wireIpLen, out);
    if (type == kEtherIpv6)
        return decodeIp(data + off, caplen - off, 6, wireIpLen, out);
    return DecodeResult::NotIp;
}

// BSD AF_ values for IPv4 and IPv6 (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30).
int versionOfFamily(uint32_t af)
{
    if (af == 2)
        return 4;
    if (af == 24 || af == 28 || af == 30)
        return 6;
    return 0;
}

} // namespace

const char *decodeResultName(DecodeResult result)
{
    switch (result) {
    case DecodeResult::Ok: return "Ok";
    case DecodeResult::Fragment: return "Fragment";
    case DecodeResult::Icmp: return "Icmp";
    case DecodeResult::OtherIp: return "OtherIp";
    case DecodeResult::NotIp: return "NotIp";
    case DecodeResult::Truncated: return "Truncated";
    case DecodeResult::Malformed: return "Malformed";
    case DecodeResult::UnsupportedLinkType: return "UnsupportedLinkType";
    }
    return "?";
}

PacketDecoder::Kind PacketDecoder::kindOf(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB: return Kind::Ethernet;
    case DLT_LINUX_SLL: return Kind::LinuxSll;
    case DLT_LINUX_SLL2: return Kind::LinuxSll2;
    case 12: // DLT_RAW on most systems
    case 14: // DLT_RAW on OpenBSD and BSD/OS
    case kLinktypeRaw: return Kind::Raw;
    case DLT_IPV4: return Kind::Ipv4;
    case DLT_IPV6: return Kind::Ipv6;
    case DLT_NULL: return Kind::Null;
    case 108: // DLT_LOOP outside OpenBSD
        return Kind::Loop;
    default: return Kind::Unsupported;
    }
}

PacketDecoder::PacketDecoder(int dlt)
    : m_dlt(dlt)
    , m_kind(kindOf(dlt))
{
}

bool PacketDecoder::isSupportedLinkType(int dlt)
{
    return kindOf(dlt) != Kind::Unsupported;
}

std::string PacketDecoder::linkTypeName(int dlt)
{
    const char *name = pcap_datalink_val_to_name(dlt);
    return name ? std::string(name) : std::string();
}

std::string PacketDecoder::linkTypeLabel(int dlt)
{
    const std::string name = linkTypeName(dlt);
    return name.empty() ? std::to_string(dlt) : name + " (" + std::to_string(dlt) + ")";
}

DecodeResult PacketDecoder::decode(const uint8_t *data, uint32_t caplen, int64_t timeUs,
                                   PacketInfo &out, uint32_t wireLen) const
{
    out = PacketInfo{};
    out.timeUs = timeUs;
    if (!data)
        caplen = 0;
    const auto wireAfter
        = [wireLen](size_t header) { return wireLen > header ? uint32_t(wireLen - header) : 0u; };
    switch (m_kind) {
    case Kind::Ethernet:
        if (caplen < 14)
            return DecodeResult::Truncated;
        return decodeEtherType(data, caplen, 14, rd16(data + 12), wireLen, out);
    case Kind::LinuxSll:
        if (caplen < 16)
            return DecodeResult::Truncated;
        return decodeEtherType(data, caplen, 16, rd16(data + 14), wireLen, out);
    case Kind::LinuxSll2:
        if (caplen < 20)
            return DecodeResult::Truncated;
        return decodeEtherType(data, caplen, 20, rd16(data), wireLen, out);
    case Kind::Raw: return decodeIp(data, caplen, 0, wireLen, out);
    case Kind::Ipv4: return decodeIp(data, caplen, 4, wireLen, out);
    case Kind::Ipv6: return decodeIp(data, caplen, 6, wireLen, out);
    case Kind::Null:
    case Kind::Loop: {
        if (caplen < 4)
            return DecodeResult::Truncated;
        uint32_t af;
        if (m_kind == Kind::Loop) {
            af = rd32(data);
        } else {
            // Host order of the machine that captured, which may not be ours.
            std::memcpy(&af, data, 4);
            if (af & 0xffff0000u)
                af = __builtin_bswap32(af);
        }
        const int version = versionOfFamily(af);
        if (version == 0)
            return DecodeResult::NotIp;
        return decodeIp(data + 4, caplen - 4, version, wireAfter(4), out);
    }
    case Kind::Unsupported: break;
    }
    return DecodeResult::UnsupportedLinkType;
}

} // namespace bulkhead
