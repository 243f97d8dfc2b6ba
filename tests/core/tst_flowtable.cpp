// moc cannot parse <compare>/<concepts> (pulled in by the core headers): it needs none of them.
#ifndef Q_MOC_RUN
#include "capture/decoder.h"
#include "capture/flowtable.h"
#include "packetbuilder.h"
#include "testsupport.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <span>
#include <vector>
#endif

#include <QTest>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

// Feeds raw IP packets (DLT_RAW) through the real decoder into a table.
class Feeder
{
public:
    explicit Feeder(FlowTable &table, uint32_t fileIndex = 0)
        : m_table(table)
        , m_file(fileIndex)
    {
    }
    DecodeResult add(int64_t timeUs, const std::vector<uint8_t> &ipPacket)
    {
        PacketInfo info;
        const DecodeResult r
            = m_decoder.decode(ipPacket.data(), uint32_t(ipPacket.size()), timeUs, info);
        if (r == DecodeResult::Ok || r == DecodeResult::Fragment || r == DecodeResult::Icmp)
            m_table.add(info, m_file);
        return r;
    }

private:
    FlowTable &m_table;
    uint32_t m_file;
    PacketDecoder m_decoder{DLT_RAW};
};

const RawFlow *find(const std::vector<RawFlow> &flows, Protocol p)
{
    for (const RawFlow &f : flows)
        if (f.protocol == p)
            return &f;
    return nullptr;
}

QString str(const IpAddress &a)
{
    return QString::fromStdString(a.toString());
}

} // namespace

class tst_FlowTable : public QObject
{
    Q_OBJECT

private slots:
    void handshakeBothDirections_data();
    void handshakeBothDirections();
    void sideZeroIsFirstSender();
    void refusedAndUnanswered();
    void fragmentsCredited_data();
    void fragmentsCredited();
    void orphanFragments();
    void icmpUnreachable_data();
    void icmpUnreachable();
    void unreachableWithoutConversation();
    void mergeTables();
    void deterministicOrder();
    void fileMask();
    void batchedAdd_data();
    void batchedAdd();
};

void tst_FlowTable::handshakeBothDirections_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("server");
    QTest::newRow("ipv4") << "10.244.1.5"
                          << "10.244.2.7";
    QTest::newRow("ipv4 client above server") << "10.244.9.9"
                                              << "10.244.0.1";
    QTest::newRow("ipv6") << "fd00:10:244::5"
                          << "fd00:10:244::7";
}

void tst_FlowTable::handshakeBothDirections()
{
    QFETCH(QString, client);
    QFETCH(QString, server);
    const IpAddress c = ip(qPrintable(client)), s = ip(qPrintable(server));
    PacketBuilder b(LinkType::Raw);
    FlowTable table;
    Feeder feed(table);
    const auto syn = b.tcpIp(c, 40000, s, 8080, tcp::SYN);
    const auto synAck = b.tcpIp(s, 8080, c, 40000, tcp::SYN | tcp::ACK);
    const auto ack = b.tcpIp(c, 40000, s, 8080, tcp::ACK);
    const auto data = b.tcpIp(s, 8080, c, 40000, tcp::ACK | tcp::PSH, 300);
    QCOMPARE(feed.add(100, syn), DecodeResult::Ok);
    feed.add(200, synAck);
    feed.add(300, ack);
    feed.add(400, data);

    QCOMPARE(table.size(), size_t(1));
    const RawFlow f = table.flows().front();
    QCOMPARE(f.protocol, Protocol::TCP);
    QCOMPARE(str(f.address[0]), client);
    QCOMPARE(str(f.address[1]), server);
    QCOMPARE(f.port[0], uint16_t(40000));
    QCOMPARE(f.port[1], uint16_t(8080));
    QCOMPARE(f.packets[0], uint64_t(2));
    QCOMPARE(f.packets[1], uint64_t(2));
    QCOMPARE(f.bytes[0], uint64_t(syn.size() + ack.size()));
    QCOMPARE(f.bytes[1], uint64_t(synAck.size() + data.size()));
    QCOMPARE(f.firstSeenUs, int64_t(100));
    QCOMPARE(f.lastSeenUs, int64_t(400));
    QVERIFY(f.synFrom[0] && !f.synFrom[1]);
    QVERIFY(!f.synAckFrom[0] && f.synAckFrom[1]);
    QVERIFY(!f.rstFrom[0] && !f.rstFrom[1]);
    QVERIFY(f.tcpAnsweredAfterSyn[1] && !f.tcpAnsweredAfterSyn[0]);
    QVERIFY(!f.unreachableTo[0] && !f.unreachableTo[1]);
    QCOMPARE(f.fileMask, uint64_t(1));
}

void tst_FlowTable::sideZeroIsFirstSender()
{
    // Captured mid-connection: the first packet seen comes from the server.
    const IpAddress c = ip("10.0.0.1"), s = ip("10.0.0.2");
    PacketBuilder b(LinkType::Raw);
    FlowTable table;
    Feeder feed(table);
    feed.add(10, b.udpIp(s, 53, c, 5353, 40));
    feed.add(20, b.udpIp(c, 5353, s, 53, 20));
    feed.add(30, b.udpIp(c, 5353, s, 53, 20));
    QCOMPARE(table.size(), size_t(1));
    const RawFlow f = table.flows().front();
    QCOMPARE(str(f.address[0]), QString("10.0.0.2"));
    QCOMPARE(f.port[0], uint16_t(53));
    QCOMPARE(f.packets[0], uint64_t(1));
    QCOMPARE(f.packets[1], uint64_t(2));
    QCOMPARE(f.bytes[0], uint64_t(20 + 8 + 40));
    QCOMPARE(f.bytes[1], uint64_t(2 * (20 + 8 + 20)));
}

void tst_FlowTable::refusedAndUnanswered()
{
    const IpAddress c = ip("10.0.0.1"), s = ip("10.0.0.2");
    PacketBuilder b(LinkType::Raw);
    FlowTable table;
    Feeder feed(table);
    feed.add(1, b.tcpIp(c, 50000, s, 5432, tcp::SYN));
    feed.add(2, b.tcpIp(s, 5432, c, 50000, tcp::RST | tcp::ACK));
    feed.add(3, b.tcpIp(c, 50001, s, 6379, tcp::SYN));
    feed.add(4, b.tcpIp(c, 50001, s, 6379, tcp::SYN)); // retransmitted, never answered
    const auto flows = table.flows();
    QCOMPARE(flows.size(), size_t(2));
    const RawFlow &refused = flows[0].port[1] == 5432 ? flows[0] : flows[1];
    const RawFlow &silent = flows[0].port[1] == 5432 ? flows[1] : flows[0];
    QCOMPARE(refused.port[1], uint16_t(5432));
    QVERIFY(refused.synFrom[0]);
    QVERIFY(refused.rstFrom[1] && !refused.rstFrom[0]);
    QVERIFY(!refused.synAckFrom[1]);
    QVERIFY(!refused.tcpAnsweredAfterSyn[1]); // a RST is not an answer
    QCOMPARE(silent.port[1], uint16_t(6379));
    QCOMPARE(silent.packets[0], uint64_t(2));
    QCOMPARE(silent.packets[1], uint64_t(0));
    QVERIFY(silent.synFrom[0] && !silent.synAckFrom[1] && !silent.tcpAnsweredAfterSyn[1]);
}

void tst_FlowTable::fragmentsCredited_data()
{
    QTest::addColumn<bool>("v6");
    QTest::addColumn<bool>("lastFirst"); // later fragments arrive before the first one
    QTest::newRow("ipv4 in order") << false << false;
    QTest::newRow("ipv4 first fragment last") << false << true;
    QTest::newRow("ipv6 in order") << true << false;
    QTest::newRow("ipv6 first fragment last") << true << true;
}

void tst_FlowTable::fragmentsCredited()
{
    QFETCH(bool, v6);
    QFETCH(bool, lastFirst);
    const IpAddress c = ip(v6 ? "fd00::1" : "10.0.0.1"), s = ip(v6 ? "fd00::2" : "10.0.0.2");
    PacketBuilder b(LinkType::Raw);
    b.setIpId(777);
    FlowTable table;
    Feeder feed(table);
    const auto datagram = b.udpIp(c, 7000, s, 7001, 3000);
    const auto frags = v6 ? PacketBuilder::fragmentIpv6(datagram, 1232, 99)
                          : PacketBuilder::fragmentIpv4(datagram, 1480);
    QCOMPARE(frags.size(), size_t(3));
    uint64_t total = 0;
    for (const auto &f : frags)
        total += f.size();
    if (lastFirst) {
        QCOMPARE(feed.add(1, frags[2]), DecodeResult::Fragment);
        QCOMPARE(feed.add(2, frags[1]), DecodeResult::Fragment);
        QCOMPARE(table.orphanFragments(), uint64_t(2)); // waiting for their first fragment
        QCOMPARE(feed.add(3, frags[0]), DecodeResult::Ok);
    } else {
        for (size_t i = 0; i < frags.size(); ++i)
            feed.add(int64_t(i + 1), frags[i]);
    }
    // An answer in the other direction lands in the same conversation.
    const auto reply = b.udpIp(s, 7001, c, 7000, 10);
    feed.add(4, reply);
    QCOMPARE(table.size(), size_t(1));
    QCOMPARE(table.orphanFragments(), uint64_t(0));
    const RawFlow f = table.flows().front();
    QCOMPARE(str(f.address[0]), str(c));
    QCOMPARE(f.packets[0], uint64_t(3));
    QCOMPARE(f.bytes[0], total);
    QCOMPARE(f.packets[1], uint64_t(1));
    QCOMPARE(f.bytes[1], uint64_t(reply.size()));
    QCOMPARE(f.firstSeenUs, int64_t(1));
    QCOMPARE(f.lastSeenUs, int64_t(4));
}

void tst_FlowTable::orphanFragments()
{
    const IpAddress c = ip("10.0.0.1"), s = ip("10.0.0.2");
    PacketBuilder b(LinkType::Raw);
    FlowTable table;
    Feeder feed(table);
    b.setIpId(1);
    const auto lost = PacketBuilder::fragmentIpv4(b.udpIp(c, 1, s, 2, 4000), 1480);
    QCOMPARE(lost.size(), size_t(3));
    feed.add(1, lost[1]);
    feed.add(2, lost[2]);
    // A different datagram (another id) whose first fragment is present does not adopt them.
    b.setIpId(2);
    const auto whole = PacketBuilder::fragmentIpv4(b.udpIp(c, 1, s, 2, 2000), 1480);
    for (const auto &f : whole)
        feed.add(3, f);
    QCOMPARE(table.orphanFragments(), uint64_t(2));
    QCOMPARE(table.size(), size_t(1));
    QCOMPARE(table.flows().front().packets[0], uint64_t(whole.size()));
}

void tst_FlowTable::icmpUnreachable_data()
{
    QTest::addColumn<bool>("v6");
    QTest::addColumn<bool>("quoteSide1"); // the quoted datagram was sent by side 1
    QTest::newRow("ipv4 side 0") << false << false;
    QTest::newRow("ipv4 side 1") << false << true;
    QTest::newRow("ipv6 side 0") << true << false;
    QTest::newRow("ipv6 side 1") << true << true;
}

void tst_FlowTable::icmpUnreachable()
{
    QFETCH(bool, v6);
    QFETCH(bool, quoteSide1);
    const IpAddress c = ip(v6 ? "fd00::1" : "10.0.0.1"), s = ip(v6 ? "fd00::2" : "10.0.0.2");
    PacketBuilder b(LinkType::Raw);
    FlowTable table;
    Feeder feed(table);
    const auto query = b.udpIp(c, 33000, s, 514, 50);
    const auto answer = b.udpIp(s, 514, c, 33000, 50);
    feed.add(1, query);
    feed.add(2, answer);
    // Side 0 (c) sent `query`; side 1 (s) sent `answer`. The host that did not want it answers.
    const auto icmp = quoteSide1 ? b.icmpUnreachableIp(c, answer) : b.icmpUnreachableIp(s, query);
    QCOMPARE(feed.add(3, icmp), DecodeResult::Icmp);

    const auto flows = table.flows();
    QCOMPARE(flows.size(),
             size_t(2)); // the UDP conversation and the ICMP one; the quote is no new flow
    const RawFlow *udp = find(flows, Protocol::UDP);
    const RawFlow *err = find(flows, v6 ? Protocol::ICMPv6 : Protocol::ICMP);
    QVERIFY(udp && err);
    QCOMPARE(udp->unreachableTo[0], !quoteSide1);
    QCOMPARE(udp->unreachableTo[1], quoteSide1);
    QCOMPARE(udp->packets[0] + udp->packets[1], uint64_t(2));
    QCOMPARE(str(err->address[0]), str(quoteSide1 ? c : s));
    QCOMPARE(err->port[0], uint16_t(0));
    QCOMPARE(err->port[1], uint16_t(0));
    QCOMPARE(err->packets[0], uint64_t(1));
    QCOMPARE(err->bytes[0], uint64_t(icmp.size()));
}

void tst_FlowTable::unreachableWithoutConversation()
{
    const IpAddress c = ip("10.0.0.1"), s = ip("10.0.0.2");
    PacketBuilder b(LinkType::Raw);
    FlowTable table;
    Feeder feed(table);
    feed.add(1, b.icmpUnreachableIp(s, b.udpIp(c, 1000, s, 161)));
    QCOMPARE(table.size(), size_t(1)); // only the ICMP conversation
    QCOMPARE(table.flows().front().protocol, Protocol::ICMP);
    QCOMPARE(table.unmatchedUnreachables(), uint64_t(1));
}

void tst_FlowTable::mergeTables()
{
    const IpAddress c = ip("10.0.0.1"), s = ip("10.0.0.2"), o = ip("10.0.0.3");
    PacketBuilder b(LinkType::Raw);
    FlowTable first, second;
    Feeder f1(first, 0), f2(second, 1);
    // first: the server's answer was seen at t=50 (capture started mid-connection)
    f1.add(50, b.tcpIp(s, 80, c, 40000, tcp::ACK, 100));
    f1.add(60, b.udpIp(c, 1, o, 2));
    // second: the client's SYN at t=10, and an RST from the server
    f2.add(10, b.tcpIp(c, 40000, s, 80, tcp::SYN));
    f2.add(70, b.tcpIp(s, 80, c, 40000, tcp::RST));
    f2.add(80, b.sctpIp(o, 3, s, 4));
    first.merge(second);

    const auto flows = first.flows();
    QCOMPARE(flows.size(), size_t(3));
    const RawFlow *t = find(flows, Protocol::TCP);
    QVERIFY(t);
    // The earliest packet overall (t=10, from the client) decides side 0.
    QCOMPARE(str(t->address[0]), QString("10.0.0.1"));
    QCOMPARE(t->port[0], uint16_t(40000));
    QCOMPARE(t->packets[0], uint64_t(1));
    QCOMPARE(t->packets[1], uint64_t(2));
    QCOMPARE(t->bytes[1], uint64_t(40 + 100 + 40));
    QVERIFY(t->synFrom[0] && !t->synFrom[1]);
    QVERIFY(t->rstFrom[1] && !t->rstFrom[0]);
    QCOMPARE(t->firstSeenUs, int64_t(10));
    QCOMPARE(t->lastSeenUs, int64_t(70));
    QCOMPARE(t->fileMask, uint64_t(3));
    QVERIFY(find(flows, Protocol::UDP) && find(flows, Protocol::SCTP));
    QCOMPARE(find(flows, Protocol::SCTP)->fileMask, uint64_t(2));
    QCOMPARE(find(flows, Protocol::UDP)->fileMask, uint64_t(1));
}

void tst_FlowTable::deterministicOrder()
{
    PacketBuilder b(LinkType::Raw);
    std::vector<std::vector<uint8_t>> packets;
    for (int i = 0; i < 50; ++i) {
        const IpAddress x = ip(qPrintable(QString("10.1.%1.%2").arg(i % 7).arg(i % 11 + 1)));
        const IpAddress y = ip(qPrintable(QString("fd00::%1").arg(i + 1, 0, 16)));
        const IpAddress z = ip(qPrintable(QString("10.2.0.%1").arg(i + 1)));
        packets.push_back(b.tcpIp(x, uint16_t(30000 + i), z, 443, tcp::SYN));
        packets.push_back(b.udpIp(z, 53, x, uint16_t(1000 + i)));
        packets.push_back(b.sctpIp(y, 9, ip("fd00::ffff"), uint16_t(i)));
    }
    FlowTable forward, backward;
    Feeder ff(forward), fb(backward);
    for (size_t i = 0; i < packets.size(); ++i) {
        ff.add(int64_t(i), packets[i]);
        fb.add(int64_t(i), packets[packets.size() - 1 - i]);
    }
    const auto a = forward.flows(), z = backward.flows();
    QCOMPARE(a.size(), size_t(150));
    QCOMPARE(z.size(), a.size());
    for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].protocol, z[i].protocol);
        QCOMPARE(a[i].address[0], z[i].address[0]);
        QCOMPARE(a[i].port[0], z[i].port[0]);
        QCOMPARE(a[i].address[1], z[i].address[1]);
        QCOMPARE(a[i].port[1], z[i].port[1]);
        if (i > 0)
            QVERIFY(uint8_t(a[i - 1].protocol) <= uint8_t(a[i].protocol));
    }
    QCOMPARE(a.front().protocol, Protocol::TCP);
    QCOMPARE(a.back().protocol, Protocol::SCTP);
    size_t visited = 0;
    forward.forEach([&visited](const RawFlow &) { ++visited; });
    QCOMPARE(visited, size_t(150));
}

void tst_FlowTable::fileMask()
{
    PacketBuilder b(LinkType::Raw);
    FlowTable table;
    Feeder f0(table, 0), f5(table, 5), f70(table, 70);
    const auto p = b.udpIp(ip("10.0.0.1"), 1, ip("10.0.0.2"), 2);
    f0.add(1, p);
    f5.add(2, p);
    f70.add(3, p);
    QCOMPARE(table.flows().front().fileMask,
             (uint64_t(1) << 0) | (uint64_t(1) << 5) | (uint64_t(1) << 63));
}

void tst_FlowTable::batchedAdd_data()
{
    QTest::addColumn<size_t>("batch"); // packets per add(span) call; 0: add() one packet at a time
    QTest::newRow("one at a time") << size_t(0);
    QTest::newRow("batches of 1") << size_t(1);
    QTest::newRow("batches of 5") << size_t(5);
    QTest::newRow("one batch of 47 (over the table's chunk of 32)") << size_t(1000);
}

// add(span) credits packets in order, as add() does: later fragments before their first one, an
// ICMP error quoting a conversation opened earlier in the same batch, a handshake then data.
void tst_FlowTable::batchedAdd()
{
    QFETCH(size_t, batch);
    const IpAddress c = ip("10.0.0.1"), s = ip("10.0.0.2");
    PacketBuilder b(LinkType::Raw);
    b.setIpId(321);
    const auto frags = PacketBuilder::fragmentIpv4(b.udpIp(c, 7000, s, 7001, 3000), 1480);
    QCOMPARE(frags.size(), size_t(3));
    std::vector<std::vector<uint8_t>> packets
        = {frags[2],
           frags[1],
           frags[0],
           b.udpIp(s, 7001, c, 7000, 10),
           b.icmpUnreachableIp(s, b.udpIp(c, 7000, s, 7001, 10)),
           b.tcpIp(c, 40000, s, 80, tcp::SYN),
           b.tcpIp(s, 80, c, 40000, tcp::SYN | tcp::ACK)};
    for (int i = 0; i < 40; ++i)
        packets.push_back(i % 2 ? b.tcpIp(s, 80, c, 40000, tcp::ACK, 100)
                                : b.tcpIp(c, 40000, s, 80, tcp::ACK, 20));
    QCOMPARE(packets.size(), size_t(47));

    const PacketDecoder decoder(DLT_RAW);
    std::vector<PacketInfo> infos(packets.size());
    for (size_t i = 0; i < packets.size(); ++i)
        QVERIFY(
            decoder.decode(packets[i].data(), uint32_t(packets[i].size()), int64_t(i + 1), infos[i])
            != DecodeResult::Malformed);
    FlowTable table;
    if (batch == 0) {
        for (const PacketInfo &info : infos)
            table.add(info, 2);
    } else {
        for (size_t i = 0; i < infos.size(); i += batch)
            table.add(std::span(infos).subspan(i, std::min(batch, infos.size() - i)), 2);
    }

    QCOMPARE(table.size(), size_t(3));
    QCOMPARE(table.orphanFragments(), uint64_t(0));
    QCOMPARE(table.unmatchedUnreachables(), uint64_t(0));
    const auto flows = table.flows();
    const RawFlow *udp = find(flows, Protocol::UDP);
    const RawFlow *tcp = find(flows, Protocol::TCP);
    const RawFlow *icmp = find(flows, Protocol::ICMP);
    QVERIFY(udp && tcp && icmp);
    // The first packet seen was a later fragment from c: c is side 0.
    QCOMPARE(str(udp->address[0]), str(c));
    QCOMPARE(udp->port[0], uint16_t(7000));
    QCOMPARE(udp->port[1], uint16_t(7001));
    QCOMPARE(udp->packets[0], uint64_t(3));
    QCOMPARE(udp->bytes[0], uint64_t(frags[0].size() + frags[1].size() + frags[2].size()));
    QCOMPARE(udp->packets[1], uint64_t(1));
    QCOMPARE(udp->firstSeenUs, int64_t(1));
    QCOMPARE(udp->lastSeenUs, int64_t(4));
    QVERIFY(udp->unreachableTo[0]);
    QVERIFY(!udp->unreachableTo[1]);
    QCOMPARE(udp->fileMask, uint64_t(1) << 2);
    QCOMPARE(str(icmp->address[0]), str(s));
    QCOMPARE(icmp->packets[0], uint64_t(1));
    QCOMPARE(str(tcp->address[0]), str(c));
    QCOMPARE(tcp->port[0], uint16_t(40000));
    QCOMPARE(tcp->port[1], uint16_t(80));
    QCOMPARE(tcp->packets[0], uint64_t(21));
    QCOMPARE(tcp->packets[1], uint64_t(21));
    QVERIFY(tcp->synFrom[0] && !tcp->synFrom[1]);
    QVERIFY(tcp->synAckFrom[1] && !tcp->synAckFrom[0]);
    QVERIFY(tcp->tcpAnsweredAfterSyn[1]);
    QCOMPARE(tcp->firstSeenUs, int64_t(6));
    QCOMPARE(tcp->lastSeenUs, int64_t(47));
}

QTEST_GUILESS_MAIN(tst_FlowTable)
#include "tst_flowtable.moc"
