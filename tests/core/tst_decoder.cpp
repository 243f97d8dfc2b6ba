// moc cannot parse <compare>/<concepts> (pulled in by the core headers): it needs none of them.
#ifndef Q_MOC_RUN
#include "capture/decoder.h"
#include "packetbuilder.h"
#include "testsupport.h"

#include <pcap/pcap.h>
#endif

#include <QTest>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

// What a row expects of the decoded PacketInfo; fields are compared only where the result makes
// them meaningful (Ok, Fragment, Icmp, OtherIp).
struct Expect
{
    DecodeResult result = DecodeResult::Ok;
    QString src, dst;
    int sport = 0, dport = 0;
    int protocol = 0;   // Protocol value
    int ipProtocol = 0; // IP protocol number
    int tcpFlags = 0;
    int flags = 0; // PacketInfo::Flag bits
    uint ipLength = 0;
    uint fragmentId = 0;
    QString qsrc, qdst; // quoted tuple (IcmpUnreachable)
    int qsport = 0, qdport = 0, qprotocol = 0;
};

QByteArray bytes(const std::vector<uint8_t> &v)
{
    return QByteArray(reinterpret_cast<const char *>(v.data()), qsizetype(v.size()));
}

const IpAddress a4 = ip("10.0.0.1"), b4 = ip("10.0.0.2");
const IpAddress a6 = ip("fd00::1"), b6 = ip("fd00::2");

} // namespace

Q_DECLARE_METATYPE(Expect)

class tst_Decoder : public QObject
{
    Q_OBJECT

private:
    static void row(const char *name, const std::vector<uint8_t> &frame, int dlt, const Expect &e,
                    int caplen = -1)
    {
        QTest::newRow(name) << bytes(frame) << dlt << caplen << e;
    }
    static Expect ok(const IpAddress &s, int sp, const IpAddress &d, int dp, Protocol p,
                     size_t ipLen, int tcpFlags = 0)
    {
        Expect e;
        e.result = DecodeResult::Ok;
        e.src = QString::fromStdString(s.toString());
        e.dst = QString::fromStdString(d.toString());
        e.sport = sp;
        e.dport = dp;
        e.protocol = int(p);
        e.ipProtocol = int(p);
        e.tcpFlags = tcpFlags;
        e.ipLength = uint(ipLen);
        return e;
    }
    static Expect only(DecodeResult r)
    {
        Expect e;
        e.result = r;
        return e;
    }

private slots:
    void decode_data();
    void decode();
    void linkTypeNames_data();
    void linkTypeNames();
};

void tst_Decoder::decode_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("dlt");
    QTest::addColumn<int>("caplen"); // -1: the whole frame
    QTest::addColumn<Expect>("expect");

    const auto tcp4 = [](const PacketBuilder &b, uint8_t flags = tcp::SYN) {
        return b.tcpIp(a4, 1234, b4, 80, flags);
    };
    const auto udp6 = [](const PacketBuilder &b) { return b.udpIp(a6, 5353, b6, 53, 20); };

    // --- Every link type, IPv4 TCP and IPv6 UDP ---
    struct Link
    {
        const char *name;
        LinkType type;
    };
    for (const Link &l :
         {Link{"ethernet", LinkType::Ethernet}, Link{"vlan", LinkType::EthernetVlan},
          Link{"qinq", LinkType::EthernetQinQ}, Link{"sll", LinkType::LinuxSll},
          Link{"sll2", LinkType::LinuxSll2}, Link{"raw", LinkType::Raw},
          Link{"null", LinkType::Null}, Link{"loop", LinkType::Loop}}) {
        PacketBuilder b(l.type);
        const auto t = tcp4(b);
        const auto u = udp6(b);
        row(qPrintable(QString("%1 ipv4 tcp").arg(l.name)), b.frame(t), dltOf(l.type),
            ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), tcp::SYN));
        row(qPrintable(QString("%1 ipv6 udp").arg(l.name)), b.frame(u), dltOf(l.type),
            ok(a6, 5353, b6, 53, Protocol::UDP, u.size()));
    }
    {
        PacketBuilder b(LinkType::EthernetQinQ);
        b.setOuterTpid(0x9100);
        b.setVlanIds(7, 8);
        const auto t = tcp4(b);
        row("qinq 0x9100 outer tag", b.frame(t), DLT_EN10MB,
            ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), tcp::SYN));
    }
    {
        // Three stacked tags: 0x88a8, 0x8100, 0x8100.
        PacketBuilder b(LinkType::Ethernet);
        const auto t = tcp4(b);
        std::vector<uint8_t> f = b.frame(t);
        const std::vector<uint8_t> tags
            = {0x88, 0xa8, 0x00, 0x01, 0x81, 0x00, 0x00, 0x02, 0x81, 0x00, 0x00, 0x03};
        f.insert(f.begin() + 12, tags.begin(), tags.end());
        row("ethernet three stacked tags", f, DLT_EN10MB,
            ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), tcp::SYN));
    }
    {
        PacketBuilder b(LinkType::Raw);
        const auto t = tcp4(b);
        const auto u = udp6(b);
        row("raw dlt 14 ipv4", t, 14, ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), tcp::SYN));
        row("raw linktype 101 ipv6", u, 101, ok(a6, 5353, b6, 53, Protocol::UDP, u.size()));
        row("dlt ipv4", t, DLT_IPV4, ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), tcp::SYN));
        row("dlt ipv6", u, DLT_IPV6, ok(a6, 5353, b6, 53, Protocol::UDP, u.size()));
        row("dlt ipv4 carrying ipv6", u, DLT_IPV4, only(DecodeResult::Malformed));
        row("dlt ipv6 carrying ipv4", t, DLT_IPV6, only(DecodeResult::Malformed));
        std::vector<uint8_t> v3 = t;
        v3[0] = 0x35;
        row("raw version 3", v3, DLT_RAW, only(DecodeResult::Malformed));
    }
    for (uint32_t af : {24u, 28u, 30u}) {
        PacketBuilder b(LinkType::Null);
        b.setNullIpv6Family(af);
        const auto u = udp6(b);
        row(qPrintable(QString("null ipv6 af %1").arg(af)), b.frame(u), DLT_NULL,
            ok(a6, 5353, b6, 53, Protocol::UDP, u.size()));
    }
    {
        // DLT_NULL written on a machine of the other byte order.
        PacketBuilder b(LinkType::Loop); // network order = swapped on this little-endian machine
        const auto t = tcp4(b);
        row("null other byte order", b.frame(t), DLT_NULL,
            ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), tcp::SYN));
        std::vector<uint8_t> f = b.frame(t);
        f[3] = 99; // AF 99: not IP
        row("loop unknown family", f, DLT_LOOP, only(DecodeResult::NotIp));
    }

    // --- Not IP, unsupported ---
    {
        PacketBuilder b(LinkType::Ethernet);
        std::vector<uint8_t> f = b.frame(tcp4(b));
        f[12] = 0x08, f[13] = 0x06; // ARP
        row("ethernet arp", f, DLT_EN10MB, only(DecodeResult::NotIp));
        row("pktap unsupported", f, 258, only(DecodeResult::UnsupportedLinkType));
        // 802.3 length field + LLC/SNAP carrying IPv4; plain LLC (spanning tree) is not IP.
        const auto t = tcp4(b);
        std::vector<uint8_t> snap = b.frame(t);
        const uint16_t llcLen = uint16_t(8 + t.size());
        snap[12] = uint8_t(llcLen >> 8), snap[13] = uint8_t(llcLen);
        const std::vector<uint8_t> llc = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00};
        snap.insert(snap.begin() + 14, llc.begin(), llc.end());
        row("ethernet 802.3 llc snap", snap, DLT_EN10MB,
            ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), tcp::SYN));
        std::vector<uint8_t> stp = snap;
        stp[14] = 0x42, stp[15] = 0x42;
        row("ethernet 802.3 llc stp", stp, DLT_EN10MB, only(DecodeResult::NotIp));
        PacketBuilder s(LinkType::LinuxSll2);
        std::vector<uint8_t> g = s.frame(tcp4(s));
        g[0] = 0x88, g[1] = 0xcc; // LLDP
        row("sll2 lldp", g, DLT_LINUX_SLL2, only(DecodeResult::NotIp));
    }

    // --- IPv4 options and fragments ---
    {
        PacketBuilder b(LinkType::Ethernet);
        const auto withOpts = PacketBuilder::withIpv4Options(b.udpIp(a4, 1000, b4, 2000, 10),
                                                             {0x94, 0x04, 0, 0, 0x01});
        QCOMPARE(withOpts[0],
                 uint8_t(0x47)); // IHL 7: 8 bytes of options (router alert, NOP, padding)
        row("ipv4 options", b.frame(withOpts), DLT_EN10MB,
            ok(a4, 1000, b4, 2000, Protocol::UDP, withOpts.size()));

        b.setIpId(0xbeef);
        const auto frags = PacketBuilder::fragmentIpv4(b.udpIp(a4, 1000, b4, 2000, 100), 48);
        QCOMPARE(frags.size(), size_t(3)); // 108 bytes of UDP in 48 + 48 + 12
        Expect first = ok(a4, 1000, b4, 2000, Protocol::UDP, frags[0].size());
        first.flags = PacketInfo::FirstFragment;
        first.fragmentId = 0xbeef;
        row("ipv4 first fragment", b.frame(frags[0]), DLT_EN10MB, first);
        for (size_t i = 1; i < frags.size(); ++i) {
            Expect later = ok(a4, 0, b4, 0, Protocol::UDP, frags[i].size());
            later.result = DecodeResult::Fragment;
            later.flags = PacketInfo::NonFirstFragment;
            later.fragmentId = 0xbeef;
            row(qPrintable(QString("ipv4 later fragment %1").arg(i)), b.frame(frags[i]), DLT_EN10MB,
                later);
        }
        const auto optFrags = PacketBuilder::fragmentIpv4(
            PacketBuilder::withIpv4Options(b.tcpIp(a4, 1, b4, 2, tcp::ACK, 64), {0x94, 4, 0, 0}),
            32);
        Expect ofirst = ok(a4, 1, b4, 2, Protocol::TCP, optFrags[0].size(), tcp::ACK);
        ofirst.flags = PacketInfo::FirstFragment;
        ofirst.fragmentId = 0xbeef;
        row("ipv4 options first fragment", b.frame(optFrags[0]), DLT_EN10MB, ofirst);

        // A later fragment of an untracked protocol is just other IP.
        auto gre = PacketBuilder::fragmentIpv4(PacketBuilder::rawIp(a4, b4, 47, 64), 32);
        Expect other;
        other.result = DecodeResult::OtherIp;
        other.src = "10.0.0.1", other.dst = "10.0.0.2", other.ipProtocol = 47,
        other.ipLength = uint(gre[1].size());
        row("ipv4 later fragment of gre", b.frame(gre[1]), DLT_EN10MB, other);
    }

    // --- IPv6 extension headers and fragments ---
    {
        PacketBuilder b(LinkType::Ethernet);
        const auto base = b.tcpIp(a6, 4000, b6, 443, tcp::SYN | tcp::ACK);
        for (uint8_t h : {0, 43, 44, 51, 60, 135, 139, 140}) {
            const auto p = PacketBuilder::withIpv6ExtensionHeaders(base, {h});
            QVERIFY(p.size() > base.size());
            row(qPrintable(QString("ipv6 extension header %1").arg(h)), b.frame(p), DLT_EN10MB,
                ok(a6, 4000, b6, 443, Protocol::TCP, p.size(), tcp::SYN | tcp::ACK));
        }
        const auto chain
            = PacketBuilder::withIpv6ExtensionHeaders(base, {0, 60, 43, 44, 51, 135, 139, 140, 60});
        std::vector<uint8_t> longList;
        for (int i = 0; i < 40; ++i)
            longList.insert(longList.end(), {60, 43, 44});
        const auto longChain = PacketBuilder::withIpv6ExtensionHeaders(base, longList);
        row("ipv6 chain of 120 extension headers", b.frame(longChain), DLT_EN10MB,
            ok(a6, 4000, b6, 443, Protocol::TCP, longChain.size(), tcp::SYN | tcp::ACK));
        row("ipv6 extension header chain", b.frame(chain), DLT_EN10MB,
            ok(a6, 4000, b6, 443, Protocol::TCP, chain.size(), tcp::SYN | tcp::ACK));

        const auto frags
            = PacketBuilder::fragmentIpv6(b.udpIp(a6, 7000, b6, 7001, 100), 56, 0xabcdef01);
        QCOMPARE(frags.size(), size_t(2));
        Expect first = ok(a6, 7000, b6, 7001, Protocol::UDP, frags[0].size());
        first.flags = PacketInfo::FirstFragment;
        first.fragmentId = 0xabcdef01;
        row("ipv6 first fragment", b.frame(frags[0]), DLT_EN10MB, first);
        Expect later = ok(a6, 0, b6, 0, Protocol::UDP, frags[1].size());
        later.result = DecodeResult::Fragment;
        later.flags = PacketInfo::NonFirstFragment;
        later.fragmentId = 0xabcdef01;
        row("ipv6 later fragment", b.frame(frags[1]), DLT_EN10MB, later);

        Expect esp;
        esp.result = DecodeResult::OtherIp;
        esp.src = "fd00::1", esp.dst = "fd00::2", esp.ipProtocol = 50;
        const auto espPacket
            = PacketBuilder::withIpv6ExtensionHeaders(PacketBuilder::rawIp(a6, b6, 50, 32), {0});
        esp.ipLength = uint(espPacket.size());
        row("ipv6 hop-by-hop then esp", b.frame(espPacket), DLT_EN10MB, esp);
        Expect none = esp;
        none.ipProtocol = 59;
        const auto noNext = PacketBuilder::rawIp(a6, b6, 59, 0);
        none.ipLength = uint(noNext.size());
        row("ipv6 no next header", b.frame(noNext), DLT_EN10MB, none);
        Expect gre = esp;
        gre.src = "10.0.0.1", gre.dst = "10.0.0.2", gre.ipProtocol = 47;
        const auto grePacket = PacketBuilder::rawIp(a4, b4, 47, 24);
        gre.ipLength = uint(grePacket.size());
        row("ipv4 gre", b.frame(grePacket), DLT_EN10MB, gre);

        // Routing header type 0 with one segment left: the final destination is the last address.
        std::vector<uint8_t> rh = b.udpIp(a6, 1, b6, 2, 4);
        const IpAddress final6 = ip("2001:db8::99");
        std::vector<uint8_t> ext = {17, 2, 0, 1, 0, 0, 0, 0};
        ext.insert(ext.end(), final6.bytes().begin(), final6.bytes().end());
        rh.insert(rh.begin() + 40, ext.begin(), ext.end());
        rh[6] = 43;
        rh[5] = uint8_t(rh[5] + ext.size());
        row("ipv6 routing header final destination", b.frame(rh), DLT_EN10MB,
            ok(a6, 1, final6, 2, Protocol::UDP, rh.size()));
    }

    // --- Transports ---
    {
        PacketBuilder b(LinkType::LinuxSll2);
        for (uint8_t f : {uint8_t(tcp::SYN | tcp::ACK), uint8_t(tcp::RST),
                          uint8_t(tcp::RST | tcp::ACK), uint8_t(tcp::FIN | tcp::PSH | tcp::ACK)}) {
            const auto t = tcp4(b, f);
            row(qPrintable(QString("tcp flags 0x%1").arg(f, 2, 16, QChar('0'))), b.frame(t),
                DLT_LINUX_SLL2, ok(a4, 1234, b4, 80, Protocol::TCP, t.size(), f));
        }
        const auto s4 = b.sctpIp(a4, 36412, b4, 38412, 12);
        row("sctp ipv4", b.frame(s4), DLT_LINUX_SLL2,
            ok(a4, 36412, b4, 38412, Protocol::SCTP, s4.size()));
        const auto s6 = b.sctpIp(a6, 2905, b6, 2905, 0);
        row("sctp ipv6", b.frame(s6), DLT_LINUX_SLL2,
            ok(a6, 2905, b6, 2905, Protocol::SCTP, s6.size()));
    }

    // --- ICMP ---
    {
        PacketBuilder b(LinkType::Ethernet);
        const auto offending = b.udpIp(a4, 40000, b4, 53, 30);
        const auto icmp = b.icmpUnreachableIp(b4, offending);
        Expect e = ok(b4, 0, a4, 0, Protocol::ICMP, icmp.size());
        e.result = DecodeResult::Icmp;
        e.flags = PacketInfo::IcmpUnreachable;
        e.qsrc = "10.0.0.1", e.qdst = "10.0.0.2", e.qsport = 40000, e.qdport = 53,
        e.qprotocol = int(Protocol::UDP);
        row("icmp unreachable quoting udp", b.frame(icmp), DLT_EN10MB, e);

        const auto offending6 = b.tcpIp(a6, 40001, b6, 8080, tcp::SYN);
        const auto icmp6 = b.icmpUnreachableIp(b6, offending6);
        Expect e6 = ok(b6, 0, a6, 0, Protocol::ICMPv6, icmp6.size());
        e6.result = DecodeResult::Icmp;
        e6.flags = PacketInfo::IcmpUnreachable;
        e6.qsrc = "fd00::1", e6.qdst = "fd00::2", e6.qsport = 40001, e6.qdport = 8080;
        e6.qprotocol = int(Protocol::TCP);
        row("icmpv6 unreachable quoting tcp", b.frame(icmp6), DLT_EN10MB, e6);

        const auto offendingOpts
            = PacketBuilder::withIpv4Options(b.sctpIp(a4, 9, b4, 10), {0x94, 4, 0, 0});
        const auto icmpOpts = b.icmpUnreachableIp(b4, offendingOpts);
        Expect eo = ok(b4, 0, a4, 0, Protocol::ICMP, icmpOpts.size());
        eo.result = DecodeResult::Icmp;
        eo.flags = PacketInfo::IcmpUnreachable;
        eo.qsrc = "10.0.0.1", eo.qdst = "10.0.0.2", eo.qsport = 9, eo.qdport = 10,
        eo.qprotocol = int(Protocol::SCTP);
        row("icmp unreachable quoting sctp with options", b.frame(icmpOpts), DLT_EN10MB, eo);

        // The quote cut before the ports: still ICMP, but no quoted tuple.
        std::vector<uint8_t> shortQuote = b.icmpUnreachableIp(b4, offending);
        shortQuote.resize(shortQuote.size() - 6);
        shortQuote[3] = uint8_t(shortQuote.size());
        shortQuote[2] = uint8_t(shortQuote.size() >> 8);
        Expect es = ok(b4, 0, a4, 0, Protocol::ICMP, shortQuote.size());
        es.result = DecodeResult::Icmp;
        row("icmp unreachable quote too short", b.frame(shortQuote), DLT_EN10MB, es);

        const auto echo = b.icmpEchoIp(a4, b4);
        Expect ee = ok(a4, 0, b4, 0, Protocol::ICMP, echo.size());
        ee.result = DecodeResult::Icmp;
        row("icmp echo", b.frame(echo), DLT_EN10MB, ee);
        const auto echo6 = b.icmpEchoIp(a6, b6);
        Expect ee6 = ok(a6, 0, b6, 0, Protocol::ICMPv6, echo6.size());
        ee6.result = DecodeResult::Icmp;
        row("icmpv6 echo", b.frame(echo6), DLT_EN10MB, ee6);
    }

    // --- Truncated (caplen shorter than the frame) ---
    {
        PacketBuilder e(LinkType::Ethernet);
        const auto f = e.frame(tcp4(e));
        row("truncated ethernet header", f, DLT_EN10MB, only(DecodeResult::Truncated), 10);
        row("truncated ip header", f, DLT_EN10MB, only(DecodeResult::Truncated), 14 + 12);
        row("truncated tcp header", f, DLT_EN10MB, only(DecodeResult::Truncated), 14 + 20 + 10);
        PacketBuilder v(LinkType::EthernetQinQ);
        row("truncated vlan tag", v.frame(tcp4(v)), DLT_EN10MB, only(DecodeResult::Truncated), 16);
        PacketBuilder s(LinkType::LinuxSll);
        row("truncated sll header", s.frame(tcp4(s)), DLT_LINUX_SLL, only(DecodeResult::Truncated),
            15);
        PacketBuilder s2(LinkType::LinuxSll2);
        row("truncated sll2 header", s2.frame(tcp4(s2)), DLT_LINUX_SLL2,
            only(DecodeResult::Truncated), 19);
        PacketBuilder n(LinkType::Null);
        row("truncated null header", n.frame(tcp4(n)), DLT_NULL, only(DecodeResult::Truncated), 3);
        const auto u = e.frame(e.udpIp(a4, 1, b4, 2));
        row("truncated udp ports", u, DLT_EN10MB, only(DecodeResult::Truncated), 14 + 20 + 3);
        const auto v6 = e.frame(PacketBuilder::withIpv6ExtensionHeaders(udp6(e), {0, 139}));
        row("truncated ipv6 extension header", v6, DLT_EN10MB, only(DecodeResult::Truncated),
            14 + 40 + 8 + 20);
        row("truncated ipv6 header", v6, DLT_EN10MB, only(DecodeResult::Truncated), 14 + 39);
        row("empty frame raw", {}, DLT_RAW, only(DecodeResult::Truncated));
        // Snaplen cut after the ports: still decoded, ipLength from the header.
        const auto big = e.tcpIp(a4, 1234, b4, 80, tcp::ACK, 1400);
        row("snaplen cut after tcp header", e.frame(big), DLT_EN10MB,
            ok(a4, 1234, b4, 80, Protocol::TCP, big.size(), tcp::ACK), 14 + 20 + 20 + 4);
    }

    // --- Malformed ---
    {
        PacketBuilder e(LinkType::Ethernet);
        auto t = tcp4(e);
        auto ihl = t;
        ihl[0] = 0x44;
        row("ipv4 ihl 4", e.frame(ihl), DLT_EN10MB, only(DecodeResult::Malformed));
        auto total = t;
        total[2] = 0, total[3] = 19;
        row("ipv4 total length below header", e.frame(total), DLT_EN10MB,
            only(DecodeResult::Malformed));
        const auto u6 = udp6(e);
        std::vector<uint8_t> wrong = e.frame(u6);
        wrong[12] = 0x08, wrong[13] = 0x00; // ethertype IPv4, IPv6 inside
        row("ethertype ipv4 carrying ipv6", wrong, DLT_EN10MB, only(DecodeResult::Malformed));
        auto doff = t;
        doff[20 + 12] = 0x40; // TCP data offset 4
        row("tcp data offset 4", e.frame(doff), DLT_EN10MB, only(DecodeResult::Malformed));
        PacketBuilder n(LinkType::Null);
        auto nf = n.frame(t);
        nf[4] = 0x65; // AF_INET header, IP version 6 nibble
        row("null ipv4 family carrying version 6", nf, DLT_NULL, only(DecodeResult::Malformed));
    }
}

void tst_Decoder::decode()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, dlt);
    QFETCH(int, caplen);
    QFETCH(Expect, expect);

    const PacketDecoder decoder(dlt);
    PacketInfo info;
    const uint32_t cap = caplen < 0 ? uint32_t(frame.size()) : uint32_t(caplen);
    // Copy exactly `cap` bytes so that AddressSanitizer catches any read past caplen.
    std::vector<uint8_t> data(frame.begin(), frame.begin() + cap);
    const DecodeResult r = decoder.decode(data.empty() ? nullptr : data.data(), cap, 1234567, info,
                                          uint32_t(frame.size()));
    QCOMPARE(QString(decodeResultName(r)), QString(decodeResultName(expect.result)));
    QCOMPARE(decoder.isSupported(), expect.result != DecodeResult::UnsupportedLinkType);
    if (r != DecodeResult::Ok && r != DecodeResult::Fragment && r != DecodeResult::Icmp
        && r != DecodeResult::OtherIp)
        return;
    QCOMPARE(info.timeUs, int64_t(1234567));
    QCOMPARE(QString::fromStdString(info.src.toString()), expect.src);
    QCOMPARE(QString::fromStdString(info.dst.toString()), expect.dst);
    QCOMPARE(int(info.ipProtocol), expect.ipProtocol);
    QCOMPARE(info.ipLength, expect.ipLength);
    if (r == DecodeResult::OtherIp)
        return;
    QCOMPARE(int(info.protocol), expect.protocol);
    QCOMPARE(int(info.sport), expect.sport);
    QCOMPARE(int(info.dport), expect.dport);
    QCOMPARE(int(info.tcpFlags), expect.tcpFlags);
    QCOMPARE(int(info.flags), expect.flags);
    if (expect.flags & (PacketInfo::FirstFragment | PacketInfo::NonFirstFragment))
        QCOMPARE(uint(info.fragmentId), expect.fragmentId);
    if (expect.flags & PacketInfo::IcmpUnreachable) {
        QCOMPARE(QString::fromStdString(info.quoted.src.toString()), expect.qsrc);
        QCOMPARE(QString::fromStdString(info.quoted.dst.toString()), expect.qdst);
        QCOMPARE(int(info.quoted.sport), expect.qsport);
        QCOMPARE(int(info.quoted.dport), expect.qdport);
        QCOMPARE(int(info.quoted.protocol), expect.qprotocol);
    }
}

void tst_Decoder::linkTypeNames_data()
{
    QTest::addColumn<int>("dlt");
    QTest::addColumn<bool>("supported");
    QTest::addColumn<QString>("label");
    QTest::newRow("ethernet") << DLT_EN10MB << true << "EN10MB (1)";
    QTest::newRow("sll") << DLT_LINUX_SLL << true << "LINUX_SLL (113)";
    QTest::newRow("sll2") << DLT_LINUX_SLL2 << true << "LINUX_SLL2 (276)";
    QTest::newRow("raw") << DLT_RAW << true << "RAW (12)";
    QTest::newRow("ipv4") << DLT_IPV4 << true << "IPV4 (228)";
    QTest::newRow("ipv6") << DLT_IPV6 << true << "IPV6 (229)";
    QTest::newRow("null") << DLT_NULL << true << "NULL (0)";
    QTest::newRow("loop") << DLT_LOOP << true << "LOOP (108)";
    QTest::newRow("pktap") << 258 << false << "PKTAP (258)";
    QTest::newRow("ieee802_11") << DLT_IEEE802_11 << false << "IEEE802_11 (105)";
    QTest::newRow("no name") << 3145728 << false << "3145728";
}

void tst_Decoder::linkTypeNames()
{
    QFETCH(int, dlt);
    QFETCH(bool, supported);
    QFETCH(QString, label);
    QCOMPARE(PacketDecoder::isSupportedLinkType(dlt), supported);
    QCOMPARE(QString::fromStdString(PacketDecoder::linkTypeLabel(dlt)), label);
}

QTEST_GUILESS_MAIN(tst_Decoder)
#include "tst_decoder.moc"
