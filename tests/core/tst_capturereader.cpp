// moc cannot parse <compare>/<concepts> (pulled in by the core headers): it needs none of them.
#ifndef Q_MOC_RUN
#include "capture/capturereader.h"
#include "capture/flowtable.h"
#include "capturewriter.h"
#include "model/capturefiles.h"
#include "model/model.h"
#include "namemessages.h"
#include "testsupport.h"
#include "util/progress.h"

#include <pcap/pcap.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#endif

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

QString str(const IpAddress &a)
{
    return QString::fromStdString(a.toString());
}

bool anyContains(const std::vector<std::string> &lines, const std::string &what)
{
    for (const std::string &l : lines)
        if (l.find(what) != std::string::npos)
            return true;
    return false;
}

QString joined(const std::vector<std::string> &lines)
{
    QStringList out;
    for (const std::string &l : lines)
        out << QString::fromStdString(l);
    return out.join(" | ");
}

class Sink : public ProgressSink
{
public:
    explicit Sink(bool cancel)
        : m_cancel(cancel)
    {
    }
    void progress(uint64_t done, uint64_t total) override
    {
        ++calls;
        lastDone = done;
        lastTotal = total;
    }
    bool isCancelled() const override { return m_cancel; }
    std::atomic<int> calls{0};
    uint64_t lastDone = 0, lastTotal = 0;

private:
    bool m_cancel;
};

// A TCP handshake + data, a UDP exchange and an ICMP echo between two hosts of the family.
struct Traffic
{
    std::vector<std::vector<uint8_t>> ip;
    uint64_t tcp = 0, udp = 0, icmp = 0;
};

Traffic traffic(bool v6)
{
    const IpAddress c = ip(v6 ? "fd00::10" : "10.244.1.10"),
                    s = ip(v6 ? "fd00::20" : "10.244.2.20");
    PacketBuilder b(LinkType::Raw);
    Traffic t;
    t.ip.push_back(b.tcpIp(c, 41000, s, 8080, tcp::SYN));
    t.ip.push_back(b.tcpIp(s, 8080, c, 41000, tcp::SYN | tcp::ACK));
    t.ip.push_back(b.tcpIp(c, 41000, s, 8080, tcp::ACK, 200));
    t.tcp = 3;
    t.ip.push_back(b.udpIp(c, 5353, s, 53, 30));
    t.ip.push_back(b.udpIp(s, 53, c, 5353, 60));
    t.udp = 2;
    t.ip.push_back(b.icmpEchoIp(c, s));
    t.icmp = 1;
    return t;
}

const int64_t kT0 = 1700000000123456ll;

} // namespace

class tst_CaptureReader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void roundTrip_data();
    void roundTrip();
    void twoInterfaces_data();
    void twoInterfaces();
    void cutMidRecord();
    void snaplenTruncated();
    void notACapture();
    void missingFile();
    void unsupportedLinkType();
    void progressAndCancel();
    void statsMerge();
    void severalFiles_data();
    void severalFiles();
    void sharedCorpus_data();
    void sharedCorpus();
    void readerThreadSameResults_data();
    void readerThreadSameResults();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }
    QTemporaryDir m_dir;
};

void tst_CaptureReader::roundTrip_data()
{
    QTest::addColumn<int>("link");
    QTest::addColumn<bool>("pcapng");
    QTest::addColumn<bool>("v6");
    QTest::addColumn<QString>("linkName");
    struct L
    {
        const char *name;
        LinkType type;
        const char *libpcapName;
    };
    for (const L &l :
         {L{"ethernet", LinkType::Ethernet, "EN10MB"}, L{"vlan", LinkType::EthernetVlan, "EN10MB"},
          L{"qinq", LinkType::EthernetQinQ, "EN10MB"}, L{"sll", LinkType::LinuxSll, "LINUX_SLL"},
          L{"sll2", LinkType::LinuxSll2, "LINUX_SLL2"}, L{"raw", LinkType::Raw, "RAW"},
          L{"null", LinkType::Null, "NULL"}, L{"loop", LinkType::Loop, "LOOP"}})
        for (bool ng : {false, true})
            for (bool v6 : {false, true})
                QTest::newRow(qPrintable(
                    QString("%1 %2 %3").arg(l.name, ng ? "pcapng" : "pcap", v6 ? "ipv6" : "ipv4")))
                    << int(l.type) << ng << v6 << QString(l.libpcapName);
    QTest::newRow("dlt ipv4 pcap") << int(LinkType::Ipv4) << false << false << "IPV4";
    QTest::newRow("dlt ipv6 pcapng") << int(LinkType::Ipv6) << true << true << "IPV6";
}

void tst_CaptureReader::roundTrip()
{
    QFETCH(int, link);
    QFETCH(bool, pcapng);
    QFETCH(bool, v6);
    QFETCH(QString, linkName);
    const LinkType type = LinkType(link);
    const std::string file
        = path(qPrintable(QString("rt-%1-%2-%3.cap").arg(link).arg(pcapng).arg(v6)));
    const Traffic t = traffic(v6);
    PacketBuilder b(type);
    uint64_t wire = 0;
    {
        CaptureWriter w(file, type,
                        pcapng ? CaptureWriter::Format::Pcapng : CaptureWriter::Format::Pcap);
        QVERIFY(w.isOpen());
        for (size_t i = 0; i < t.ip.size(); ++i) {
            const auto f = b.frame(t.ip[i]);
            wire += f.size();
            w.write(kT0 + int64_t(i) * 1000, f);
        }
        QVERIFY(w.close().has_value());
    }
    FlowTable table;
    const auto r = readCaptureFile(file, 2, table);
    QVERIFY_OK(r);
    const CaptureStats &s = *r;
    QCOMPARE(s.file, file);
    QCOMPARE(s.linkTypes.size(), size_t(1));
    QCOMPARE(QString::fromStdString(s.linkTypes[0]), linkName);
    QCOMPARE(s.packets, uint64_t(t.ip.size()));
    QCOMPARE(s.bytes, wire);
    QCOMPARE(s.ipPackets, uint64_t(t.ip.size()));
    QCOMPARE(s.tcp, t.tcp);
    QCOMPARE(s.udp, t.udp);
    QCOMPARE(s.icmp, t.icmp);
    QCOMPARE(s.truncated + s.malformed + s.nonIp + s.unsupportedLinkType + s.otherIp, uint64_t(0));
    QVERIFY2(s.warnings.empty(), qPrintable(joined(s.warnings)));

    const auto flows = table.flows();
    QCOMPARE(flows.size(), size_t(3));
    // Sorted by protocol: ICMP(v4)=1 < TCP=6 < UDP=17 < ICMPv6=58.
    const RawFlow &f = flows[v6 ? 0 : 1];
    QCOMPARE(f.protocol, Protocol::TCP);
    QCOMPARE(str(f.address[0]), QString(v6 ? "fd00::10" : "10.244.1.10"));
    QCOMPARE(f.port[1], uint16_t(8080));
    QCOMPARE(f.packets[0], uint64_t(2));
    QCOMPARE(f.packets[1], uint64_t(1));
    QCOMPARE(f.bytes[0], uint64_t(t.ip[0].size() + t.ip[2].size()));
    QCOMPARE(f.firstSeenUs, kT0); // microseconds survive the file format
    QCOMPARE(f.lastSeenUs, kT0 + 2000);
    QVERIFY(f.synFrom[0] && f.synAckFrom[1]);
    QCOMPARE(f.fileMask, uint64_t(1) << 2);
}

void tst_CaptureReader::twoInterfaces_data()
{
    QTest::addColumn<int>("secondDlt");
    QTest::newRow("same link type") << DLT_EN10MB;
    QTest::newRow("ethernet and raw") << DLT_RAW;
}

void tst_CaptureReader::twoInterfaces()
{
    QFETCH(int, secondDlt);
    const std::string file = path(qPrintable(QString("two-%1.pcapng").arg(secondDlt)));
    const IpAddress c = ip("10.0.0.1"), s = ip("10.0.0.2");
    {
        CaptureWriter w(file, std::vector<int>{DLT_EN10MB, secondDlt});
        PacketBuilder eth(LinkType::Ethernet);
        PacketBuilder second(secondDlt == DLT_RAW ? LinkType::Raw : LinkType::Ethernet);
        w.writeOn(0, kT0, eth.udp(c, 1000, s, 53));
        w.writeOn(1, kT0 + 1, second.udp(s, 53, c, 1000));
        w.writeOn(0, kT0 + 2, eth.tcp(c, 2000, s, 80, tcp::SYN));
        w.writeOn(1, kT0 + 3, second.tcp(s, 80, c, 2000, tcp::SYN | tcp::ACK));
        QVERIFY(w.close().has_value());
    }
    FlowTable table;
    const auto r = readCaptureFile(file, 0, table);
    if (secondDlt == DLT_EN10MB || r.has_value()) {
        // libpcap reads every interface of one link type (and, in later versions, mixed ones).
        QVERIFY_OK(r);
        QCOMPARE(r->packets, uint64_t(4));
        QCOMPARE(r->udp, uint64_t(2));
        QCOMPARE(r->tcp, uint64_t(2));
        QCOMPARE(table.size(), size_t(2));
        for (const RawFlow &f : table.flows()) {
            QCOMPARE(f.packets[0], uint64_t(1));
            QCOMPARE(f.packets[1], uint64_t(1));
        }
        return;
    }
    // libpcap 1.10 refuses a second interface of another link type before the first packet.
    QCOMPARE(r.error().file, file);
    QVERIFY2(r.error().message.find("different link types") != std::string::npos,
             r.error().message.c_str());
}

void tst_CaptureReader::cutMidRecord()
{
    const std::string file = path("cut.pcap");
    PacketBuilder b(LinkType::Ethernet);
    {
        CaptureWriter w(file, LinkType::Ethernet);
        for (int i = 0; i < 10; ++i)
            w.write(kT0 + i, b.udp(ip("10.0.0.1"), uint16_t(1000 + i), ip("10.0.0.2"), 53, 100));
        QVERIFY(w.close().has_value());
    }
    const uint64_t size = std::filesystem::file_size(file);
    const uint64_t record = 16 + 14 + 20 + 8 + 100;
    const uint64_t sizeBeforeLast = size - record;
    std::filesystem::resize_file(file,
                                 sizeBeforeLast + 16 + 30); // header + 30 bytes of the tenth record
    FlowTable table;
    const auto r = readCaptureFile(file, 0, table);
    QVERIFY_OK(r);
    QCOMPARE(r->packets, uint64_t(9));
    QCOMPARE(r->udp, uint64_t(9));
    QCOMPARE(table.size(), size_t(9));
    QCOMPARE(r->warnings.size(), size_t(1));
    QVERIFY2(anyContains(r->warnings, file) && anyContains(r->warnings, "9 packets"),
             r->warnings[0].c_str());
    QVERIFY(anyContains(r->warnings, "cut off"));
}

void tst_CaptureReader::snaplenTruncated()
{
    const std::string file = path("snaplen.pcap");
    PacketBuilder b(LinkType::Ethernet);
    {
        CaptureWriter w(file, LinkType::Ethernet);
        auto full = b.tcp(ip("10.0.0.1"), 1, ip("10.0.0.2"), 2, tcp::ACK, 1000);
        std::vector<uint8_t> cutInTcp(full.begin(), full.begin() + 14 + 20 + 8);
        w.write(kT0, cutInTcp, uint32_t(full.size()));
        std::vector<uint8_t> cutAfterTcp(full.begin(), full.begin() + 14 + 20 + 20);
        w.write(kT0 + 1, cutAfterTcp, uint32_t(full.size()));
        QVERIFY(w.close().has_value());
    }
    FlowTable table;
    const auto r = readCaptureFile(file, 0, table);
    QVERIFY(r.has_value());
    QCOMPARE(r->packets, uint64_t(2));
    QCOMPARE(r->bytes, uint64_t(2 * (14 + 20 + 20 + 1000)));
    QCOMPARE(r->truncated, uint64_t(1));
    QCOMPARE(r->tcp, uint64_t(1));
    QCOMPARE(table.flows().front().bytes[0], uint64_t(20 + 20 + 1000)); // the IP length on the wire
}

void tst_CaptureReader::notACapture()
{
    const std::string file = path("notes.txt");
    std::ofstream(file) << "these are not packets\nbut some notes\n";
    FlowTable table;
    const auto r = readCaptureFile(file, 0, table);
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().file, file);
    QVERIFY2(r.error().message.starts_with("not a capture file libpcap can read: "),
             r.error().message.c_str());
    QVERIFY(r.error().toString().starts_with(file + ": not a capture file"));
    QCOMPARE(table.size(), size_t(0));
}

void tst_CaptureReader::missingFile()
{
    const std::string file = path("missing.pcap");
    FlowTable table;
    const auto r = readCaptureFile(file, 0, table);
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().file, file);
    QVERIFY2(r.error().message.find("No such file") != std::string::npos,
             r.error().message.c_str());
}

void tst_CaptureReader::unsupportedLinkType()
{
    const std::string file = path("pktap.pcap");
    {
        CaptureWriter w(file, 258);
        w.write(kT0, std::vector<uint8_t>(60, 0x11));
        w.write(kT0 + 1, std::vector<uint8_t>(60, 0x22));
        QVERIFY(w.close().has_value());
    }
    FlowTable table;
    const auto r = readCaptureFile(file, 0, table);
    QVERIFY(r.has_value());
    QCOMPARE(r->packets, uint64_t(2));
    QCOMPARE(r->unsupportedLinkType, uint64_t(2));
    QCOMPARE(r->warnings.size(), size_t(1));
    QCOMPARE(
        QString::fromStdString(r->warnings[0]),
        QString::fromStdString(file + ": link type PKTAP (258) is not decoded: 2 packets skipped"));
}

void tst_CaptureReader::progressAndCancel()
{
    const std::string file = path("many.pcap");
    const uint64_t count = 140000; // past two progress intervals
    {
        CaptureWriter w(file, LinkType::Raw);
        PacketBuilder b(LinkType::Raw);
        const auto p = b.udpIp(ip("10.0.0.1"), 1, ip("10.0.0.2"), 2);
        for (uint64_t i = 0; i < count; ++i)
            w.write(kT0 + int64_t(i), p);
        QVERIFY(w.close().has_value());
    }
    const uint64_t size = std::filesystem::file_size(file);
    {
        Sink sink(false);
        FlowTable table;
        const auto r = readCaptureFile(file, 0, table, &sink);
        QVERIFY(r.has_value());
        QCOMPARE(r->packets, count);
        QCOMPARE(sink.calls.load(), 3); // at 65536, 131072, and the end
        QCOMPARE(sink.lastDone, size);
        QCOMPARE(sink.lastTotal, size);
        QCOMPARE(table.flows().front().packets[0], count);
    }
    {
        Sink sink(true);
        FlowTable table;
        const auto r = readCaptureFile(file, 0, table, &sink);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().message, std::string("cancelled"));
        QCOMPARE(r.error().file, file);
    }
}

void tst_CaptureReader::severalFiles_data()
{
    QTest::addColumn<unsigned>("threads");
    QTest::newRow("one thread") << 1u;
    QTest::newRow("two threads") << 2u;
    QTest::newRow("the core count") << 0u;
}

// readCaptureFiles: one table per file, merged in file order, whatever the thread count. The
// conversation's earliest packet (the SYN-ACK, in the second file) decides side 0.
void tst_CaptureReader::severalFiles()
{
    QFETCH(unsigned, threads);
    const IpAddress c = ip("10.244.1.10"), s = ip("10.244.2.20");
    PacketBuilder b(LinkType::Raw);
    const std::string first = path("several-0.pcap"), second = path("several-1.pcap");
    {
        CaptureWriter w(first, LinkType::Raw);
        w.write(kT0 + 10, b.tcpIp(c, 41000, s, 8080, tcp::SYN));
        w.write(kT0 + 11, b.udpIp(c, 5353, s, 53, 30));
        QVERIFY(w.close().has_value());
    }
    {
        CaptureWriter w(second, LinkType::Raw);
        w.write(kT0 + 5, b.tcpIp(s, 8080, c, 41000, tcp::SYN | tcp::ACK));
        w.write(kT0 + 20, b.tcpIp(c, 41000, s, 8080, tcp::ACK, 100));
        w.write(kT0 + 21, b.tcpIp(c, 41000, s, 8080, tcp::ACK, 100));
        QVERIFY(w.close().has_value());
    }
    FlowTable table;
    const auto stats = readCaptureFiles({first, second}, table, nullptr, threads);
    QVERIFY(stats.has_value());
    QCOMPARE(stats->size(), size_t(2));
    QCOMPARE(QString::fromStdString((*stats)[0].file), QString::fromStdString(first));
    QCOMPARE((*stats)[0].packets, uint64_t(2));
    QCOMPARE((*stats)[1].packets, uint64_t(3));
    const std::vector<RawFlow> flows = table.flows();
    QCOMPARE(flows.size(), size_t(2));
    const RawFlow &t = flows[0]; // TCP sorts before UDP
    QCOMPARE(t.protocol, Protocol::TCP);
    QCOMPARE(str(t.address[0]), str(s));
    QCOMPARE(t.port[0], uint16_t(8080));
    QCOMPARE(t.packets[0], uint64_t(1));
    QCOMPARE(t.packets[1], uint64_t(3));
    QVERIFY(t.synAckFrom[0]);
    QVERIFY(t.synFrom[1]);
    QCOMPARE(t.firstSeenUs, kT0 + 5);
    QCOMPARE(t.lastSeenUs, kT0 + 21);
    QCOMPARE(t.fileMask, uint64_t(3));
    QCOMPARE(flows[1].fileMask, uint64_t(1));

    // The first failing file, in file order, is the error.
    FlowTable other;
    const auto bad
        = readCaptureFiles({first, path("several-missing.pcap"), path("several-missing2.pcap")},
                           other, nullptr, threads);
    QVERIFY(!bad.has_value());
    QCOMPARE(QString::fromStdString(bad.error().file),
             QString::fromStdString(path("several-missing.pcap")));
}

void tst_CaptureReader::statsMerge()
{
    CaptureStats a, b;
    a.file = "a.pcap";
    a.linkTypes = {"LINUX_SLL2"};
    a.packets = 10, a.bytes = 1000, a.tcp = 4, a.udp = 3, a.fragments = 1, a.orphanFragments = 1;
    a.warnings = {"w1"};
    b.file = "b.pcapng";
    b.linkTypes = {"EN10MB", "LINUX_SLL2"};
    b.packets = 5, b.bytes = 500, b.tcp = 1, b.sctp = 2, b.truncated = 2, b.unsupportedLinkType = 0,
    b.malformed = 1;
    b.warnings = {"w2"};
    a.merge(b);
    QCOMPARE(a.file, std::string("a.pcap, b.pcapng"));
    QCOMPARE(a.linkTypes, (std::vector<std::string>{"EN10MB", "LINUX_SLL2"}));
    QCOMPARE(a.packets, uint64_t(15));
    QCOMPARE(a.bytes, uint64_t(1500));
    QCOMPARE(a.tcp, uint64_t(5));
    QCOMPARE(a.udp, uint64_t(3));
    QCOMPARE(a.sctp, uint64_t(2));
    QCOMPARE(a.truncated, uint64_t(2));
    QCOMPARE(a.malformed, uint64_t(1));
    QCOMPARE(a.fragments, uint64_t(1));
    QCOMPARE(a.orphanFragments, uint64_t(1));
    QCOMPARE(a.warnings, (std::vector<std::string>{"w1", "w2"}));
}

void tst_CaptureReader::sharedCorpus_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("error");
    QTest::addColumn<QString>("text"); // in the error or a warning ("" = no warning expected)
    QTest::addColumn<int>("packets");
    QTest::addColumn<int>("flows");
    QTest::addColumn<QString>(
        "flow"); // "proto side0addr:port>side1addr:port" of the first flow, or ""
    QTest::addColumn<QString>(
        "counters"); // "tcp,udp,sctp,icmp,otherIp,nonIp,truncated,malformed,fragments,orphans"

    // From MANIFEST.tsv.
    QTest::newRow("LINKTYPE_IPV4") << "tcpdump__LINKTYPE_IPV4.pcap" << false << "" << 1 << 1
                                   << "17 192.168.1.100:12345>9.9.9.9:53"
                                   << "0,1,0,0,0,0,0,0,0,0";
    QTest::newRow("LINKTYPE_IPV6") << "tcpdump__LINKTYPE_IPV6.pcap" << false << "" << 1 << 1
                                   << "17 2001:db8::1:12345>2620:fe::9:53"
                                   << "0,1,0,0,0,0,0,0,0,0";
    QTest::newRow("LINKTYPE_RAW_ipv4") << "tcpdump__LINKTYPE_RAW_ipv4.pcap" << false << "" << 1 << 1
                                       << "17 192.168.1.100:12345>9.9.9.9:53"
                                       << "0,1,0,0,0,0,0,0,0,0";
    QTest::newRow("LINKTYPE_IPV4_invalid")
        << "tcpdump__LINKTYPE_IPV4_invalid.pcap" << false << "" << 1 << 0 << ""
        << "0,0,0,0,0,0,0,1,0,0";
    QTest::newRow("PKTAP") << "tcpdump__LINKTYPE_PKTAP.pcap" << false
                           << "link type PKTAP (258) is not decoded" << 1 << 0 << ""
                           << "0,0,0,0,0,0,0,0,0,0";
    QTest::newRow("empty file") << "libpcap-pr1704__pcap-empty-file.pcap" << true
                                << "not a capture file libpcap can read: truncated dump file" << 0
                                << 0 << ""
                                << "";
    QTest::newRow("pcapng no idb")
        << "libpcap-pr1704__pcapng-no-idb.pcapng" << true
        << "the capture file has no Interface Description Blocks" << 0 << 0 << ""
        << "";
    QTest::newRow("empty pcapng") << "tcpdump__empty.pcapng" << false << "" << 0 << 0 << ""
                                  << "0,0,0,0,0,0,0,0,0,0";
    QTest::newRow("null loopback dns") << "tcpdump__dns-badcookie.pcap" << false << "" << 4 << 2
                                       << "17 127.0.0.1:49830>127.0.0.1:53"
                                       << "0,4,0,0,0,0,0,0,0,0";
    QTest::newRow("sll sctp") << "tcpdump__forces1.pcap" << false << "" << 20 << 2
                              << "132 150.140.254.202:57077>211.129.72.8:6704"
                              << "0,0,20,0,0,0,0,0,0,0";
    QTest::newRow("sll handshake")
        << "tcpdump__mptcp-v1.pcap" << false << "" << 20 << 1 << "6 10.0.1.1:33306>10.0.2.1:10004"
        << "20,0,0,0,0,0,0,0,0,0";
    QTest::newRow("big-endian pcap with gre")
        << "tcpdump__pptp.pcap" << false << "" << 23 << 1 << "6 10.1.1.11:3025>10.1.1.10:1723"
        << "22,0,0,0,1,0,0,0,0,0";
    QTest::newRow("qinq arp only") << "tcpdump__802.1ad_QinQ.pcap" << false << "" << 2 << 0 << ""
                                   << "0,0,0,0,0,2,0,0,0,0";
    QTest::newRow("icmp unreachable is no new flow")
        << "zeek__icmp__icmp-destunreach-udp.pcap" << false << "" << 1 << 1
        << "1 192.168.1.102:0>192.168.1.1:0"
        << "0,0,0,1,0,0,0,0,0,0";
    QTest::newRow("ipv6 routing header final destination")
        << "zeek__chksums__ip6-route0-tcp-good-chksum.pcap" << false << "" << 1 << 1
        << "6 2001:4f8:4:7:2e0:81ff:fe52:ffff:30000>2001:78:1:32::2:80"
        << "1,0,0,0,0,0,0,0,0,0";
    QTest::newRow("ipv6 extension header chain")
        << "libpcap__ipv6_ext_headers.pcap" << false << "" << 1 << 1
        << "17 2001:db8::1:12345>2001:db8::2:54321"
        << "0,1,0,0,0,0,0,0,0,0";
    QTest::newRow("ipv4 fragments") << "zeek__ipv4__fragmented-1.pcap" << false << "" << 3 << 1
                                    << "17 164.1.123.163:123>164.1.123.61:137"
                                    << "0,2,0,0,0,0,0,0,1,0";
    QTest::newRow("ipv6 fragments, one orphan")
        << "zeek__ipv6-fragmented-dns.pcap" << false << "" << 8 << 2 << ""
        << "0,5,0,0,0,0,0,0,3,1";
    QTest::newRow("llc snap") << "zeek__snap-tcp.pcap" << false << "" << 8 << 1
                              << "6 192.168.1.1:12345>192.168.1.2:80"
                              << "8,0,0,0,0,0,0,0,0,0";
    QTest::newRow("sll2 icmp") << "zeek__linux_dlt_sll2.pcap" << false << "" << 6 << 2 << ""
                               << "0,0,0,4,0,2,0,0,0,0";
    QTest::newRow("multi-interface pcapng")
        << "zeek__pcapng-multi-interface.pcapng" << false << "" << 6 << 3 << ""
        << "0,6,0,0,0,0,0,0,0,0";
    QTest::newRow("hostile ipv6 hop-by-hop")
        << "tcpdump__ipv6-next-header-oobr-1.pcap" << false << "" << 1 << 0 << ""
        << "0,0,0,0,0,0,1,0,0,0";
    QTest::newRow("nflog unsupported")
        << "zeek__nflog-http.pcap" << false
        << "link type NFLOG (239) is not decoded: 13 packets skipped" << 13 << 0 << ""
        << "0,0,0,0,0,0,0,0,0,0";
}

void tst_CaptureReader::sharedCorpus()
{
    const QDir dir(QStringLiteral(BULKHEAD_SHARED_DIR "/pcaps/files"));
    if (!dir.exists())
        QSKIP("the shared pcap corpus (BULKHEAD_SHARED_DIR/pcaps/files) is not on this machine");
    QFETCH(QString, name);
    QFETCH(bool, error);
    QFETCH(QString, text);
    QFETCH(int, packets);
    QFETCH(int, flows);
    QFETCH(QString, flow);
    QFETCH(QString, counters);
    const std::string file = dir.filePath(name).toStdString();
    QVERIFY2(QFileInfo::exists(dir.filePath(name)), qPrintable(name));

    FlowTable table;
    const auto r = readCaptureFile(file, 0, table);
    if (error) {
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().file, file);
        QVERIFY2(r.error().message.find(text.toStdString()) != std::string::npos,
                 r.error().message.c_str());
        return;
    }
    QVERIFY_OK(r);
    const CaptureStats &s = *r;
    if (text.isEmpty())
        QVERIFY2(s.warnings.empty(), qPrintable(joined(s.warnings)));
    else
        QVERIFY2(anyContains(s.warnings, text.toStdString()), qPrintable(joined(s.warnings)));
    QCOMPARE(s.packets, uint64_t(packets));
    QCOMPARE(table.size(), size_t(flows));
    const QString got
        = QStringList{QString::number(s.tcp),       QString::number(s.udp),
                      QString::number(s.sctp),      QString::number(s.icmp),
                      QString::number(s.otherIp),   QString::number(s.nonIp),
                      QString::number(s.truncated), QString::number(s.malformed),
                      QString::number(s.fragments), QString::number(s.orphanFragments)}
              .join(',');
    QCOMPARE(got, counters);
    if (!flow.isEmpty()) {
        const RawFlow f = table.flows().front();
        const QString first = QString("%1 %2:%3>%4:%5")
                                  .arg(int(f.protocol))
                                  .arg(str(f.address[0]))
                                  .arg(f.port[0])
                                  .arg(str(f.address[1]))
                                  .arg(f.port[1]);
        QCOMPARE(first, flow);
    }
}

// With a reader thread (a second core) one file gives exactly what the single thread gives: the
// same counts, warnings and flows, on a synthetic capture spanning many blocks (TCP, UDP, ICMP
// answers, fragments, cut mid-record) and on the sample's real captures.
void tst_CaptureReader::readerThreadSameResults_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rounds"); // synthetic: rounds of the loop below
    QTest::addColumn<bool>("cut");
    QTest::newRow("synthetic, cut mid-record") << QString() << 20000 << true;
    // 4 packets a round: exactly 8 of the reader's 4,096-packet blocks, then the end of the file.
    QTest::newRow("synthetic, a whole number of blocks") << QString() << 8192 << false;
    QTest::newRow("sample node1.pcapng")
        << QString(BULKHEAD_SOURCE_DIR "/samples/online-boutique/node1.pcapng") << 0 << false;
    QTest::newRow("sample node2.pcap")
        << QString(BULKHEAD_SOURCE_DIR "/samples/online-boutique/node2.pcap") << 0 << false;
}

void tst_CaptureReader::readerThreadSameResults()
{
    QFETCH(QString, file);
    QFETCH(int, rounds);
    QFETCH(bool, cut);
    std::string capture = file.toStdString();
    if (capture.empty() && !cut) {
        // Four packets a round, each decoded and kept: a TCP segment, an HTTP/1.1 request
        // (keep-alive, one connection per client port), a DNS answer and a TLS ClientHello.
        capture = path("blocks.pcap");
        PacketBuilder b(LinkType::Ethernet);
        CaptureWriter w(capture, LinkType::Ethernet);
        for (int i = 0; i < rounds; ++i) {
            const IpAddress c = ip(("10.244.1." + std::to_string(i % 200 + 1)).c_str());
            const IpAddress s = ip(("10.244.2." + std::to_string(i % 37 + 1)).c_str());
            const uint16_t port = uint16_t(40000 + i % 500);
            const std::string request = "GET /items/" + std::to_string(i % 7) + "?n="
                                        + std::to_string(i) + " HTTP/1.1\r\nHost: shop\r\n\r\n";
            const std::string name = "n" + std::to_string(i % 50) + ".example.com";
            w.write(kT0 + i * 10,
                    b.frame(b.tcpIp(c, port, s, 8080, i % 3 == 0 ? tcp::SYN : tcp::ACK, i % 1400)));
            w.write(kT0 + i * 10 + 1,
                    b.tcpData(c, uint16_t(port + 1000), ip("10.244.3.1"), 80, tcp::ACK | tcp::PSH,
                              std::vector<uint8_t>(request.begin(), request.end())));
            w.write(kT0 + i * 10 + 2,
                    b.udpData(
                        ip("10.96.0.10"), 53, c, port,
                        dnsResponse(uint16_t(i), name, 1,
                                    {{name, 1, "",
                                      ip(("203.0.113." + std::to_string(i % 50 + 1)).c_str())}})));
            w.write(kT0 + i * 10 + 3,
                    b.tcpData(c, uint16_t(port + 2000), ip("198.51.100.7"), 443,
                              tcp::ACK | tcp::PSH,
                              tlsClientHello("api" + std::to_string(i % 3) + ".example.org")));
        }
        QVERIFY(w.close().has_value());
        QCOMPARE(rounds * 4 % 4096, 0);
    } else if (capture.empty()) {
        capture = path("threads.pcap");
        PacketBuilder b(LinkType::Ethernet);
        CaptureWriter w(capture, LinkType::Ethernet);
        for (int i = 0; i < rounds; ++i) {
            const IpAddress c = ip(("10.244.1." + std::to_string(i % 200 + 1)).c_str());
            const IpAddress s = ip(("10.244.2." + std::to_string(i % 37 + 1)).c_str());
            const uint16_t port = uint16_t(40000 + i % 500);
            w.write(kT0 + i * 10,
                    b.frame(b.tcpIp(c, port, s, 8080, i % 3 == 0 ? tcp::SYN : tcp::ACK, i % 1400)));
            if (i % 5 == 0)
                w.write(kT0 + i * 10 + 1, b.frame(b.udpIp(c, port, s, 53, 40)));
            if (i % 11 == 0) { // an HTTP request across two segments, the first in one block, maybe
                const std::string request = "POST /orders/" + std::to_string(i % 3)
                                            + " HTTP/1.1\r\nHost: api\r\n"
                                              "Content-Length: 4\r\n\r\nbody";
                const size_t half = request.size() / 2;
                const uint16_t hport = uint16_t(50000 + i % 300);
                w.write(
                    kT0 + i * 10 + 4,
                    b.tcpData(c, hport, s, 80, tcp::ACK,
                              std::vector<uint8_t>(request.begin(), request.begin() + long(half))));
                w.write(
                    kT0 + i * 10 + 5,
                    b.tcpData(c, hport, s, 80, tcp::ACK,
                              std::vector<uint8_t>(request.begin() + long(half), request.end())));
            }
            if (i % 97 == 0) {
                const auto big = b.udpIp(c, port, s, 9000, 3000);
                for (const auto &fragment : PacketBuilder::fragmentIpv4(big, 1400))
                    w.write(kT0 + i * 10 + 2, b.frame(fragment));
                w.write(kT0 + i * 10 + 3,
                        b.frame(b.icmpUnreachableIp(s, b.udpIp(c, port, s, 9001, 10))));
            }
        }
        QVERIFY(w.close().has_value());
        // Cut off in the middle of the last record.
        std::filesystem::resize_file(capture, std::filesystem::file_size(capture) - 20);
    } else if (!std::filesystem::exists(capture)) {
        QSKIP("the sample captures are not there");
    }
    auto describe = [](const CaptureStats &st, const FlowTable &t) {
        std::string out = std::to_string(st.packets) + ' ' + std::to_string(st.bytes) + ' '
                          + std::to_string(st.ipPackets) + ' ' + std::to_string(st.tcp) + ' '
                          + std::to_string(st.udp) + ' ' + std::to_string(st.icmp) + ' '
                          + std::to_string(st.fragments) + ' ' + std::to_string(st.truncated) + ' '
                          + std::to_string(st.malformed) + ' ' + std::to_string(st.nonIp) + ' '
                          + std::to_string(st.orphanFragments) + '\n';
        for (const std::string &warning : st.warnings)
            out += warning + '\n';
        for (const RawFlow &f : t.flows()) {
            for (int side = 0; side < 2; ++side)
                out += f.address[side].toString() + ':' + std::to_string(f.port[side]) + ' '
                       + std::to_string(f.packets[side]) + '/' + std::to_string(f.bytes[side]) + ' '
                       + char('0' + f.synFrom[side]) + char('0' + f.synAckFrom[side])
                       + char('0' + f.rstFrom[side]) + char('0' + f.tcpAnsweredAfterSyn[side])
                       + char('0' + f.unreachableTo[side]) + ' ';
            out += std::to_string(int(f.protocol)) + ' ' + std::to_string(f.firstSeenUs) + ' '
                   + std::to_string(f.lastSeenUs) + ' ' + std::to_string(f.fileMask) + '\n';
        }
        // The names (DNS answers, TLS server names) and HTTP requests learnt on the way.
        for (const auto &[address, names] : t.names().byAddress()) {
            out += address.toString();
            for (const std::string &n : names)
                out += ' ' + n;
            out += '\n';
        }
        for (const std::string &n : t.names().resolvedNames())
            out += "resolved " + n + '\n';
        for (const auto &[k, n] : t.http().requests()) {
            out += k.client.toString() + ' ' + k.server.toString() + ':'
                   + std::to_string(k.serverPort) + ' ' + k.method + ' ' + k.path + ' ' + k.host
                   + ' ' + char('0' + k.http2) + ' ' + std::to_string(n.count) + ' '
                   + std::to_string(n.queries.requests) + char('0' + n.queries.more);
            for (const std::string &q : n.queries.samples)
                out += " ?" + q;
            out += '\n';
        }
        return out;
    };
    FlowTable one, two;
    one.setHttpEnabled(true);
    two.setHttpEnabled(true);
    const auto a = readCaptureFile(capture, 1, one, nullptr, CaptureReadMode::OneThread);
    const auto b = readCaptureFile(capture, 1, two, nullptr, CaptureReadMode::ReaderThread);
    QVERIFY_OK(a);
    QVERIFY_OK(b);
    QVERIFY(a->packets >= (file.isEmpty() ? uint64_t(rounds) : 20u));
    QVERIFY(one.size() > 3);
    if (file.isEmpty() && cut) {
        QCOMPARE(a->warnings.size(), size_t(1)); // the cut, naming the file and the packets kept
        QVERIFY(a->warnings[0].starts_with(capture + ": the file is cut off mid-record; kept the "
                                           + std::to_string(a->packets)
                                           + " packets before the cut"));
    }
    if (file.isEmpty() && !cut) {
        QCOMPARE(a->packets, uint64_t(rounds) * 4);
        QCOMPARE(a->warnings.size(), size_t(0));
        // 1,000 connections (client address and port repeat every 1,000 rounds) from 200 client
        // addresses, each address asking for all 7 paths: a kind is per client address (not per
        // connection), 1,400 of them; the query string ("?n=" the round) is kept beside the kind,
        // not in it.
        const auto requests = one.http().requests();
        QCOMPARE(requests.size(), size_t(200 * 7));
        // Round i is kind i mod 1,400: kinds 0..1191 saw 6 requests, the others 5, each with its
        // own query; 4 samples are kept (the smallest), and "more".
        uint64_t count = 0, withQuery = 0;
        size_t sixes = 0, more = 0;
        for (const auto &[k, n] : requests) {
            count += n.count;
            withQuery += n.queries.requests;
            sixes += n.count == 6 ? 1 : 0;
            more += n.queries.more && n.queries.samples.size() == 4 ? 1 : 0;
        }
        QCOMPARE(count, uint64_t(rounds));
        QCOMPARE(withQuery, uint64_t(rounds));
        QCOMPARE(sixes, size_t(1192));
        QCOMPARE(more, size_t(1400));
        QCOMPARE(requests.begin()->second.queries.samples,
                 (std::vector<std::string>{"n=0", "n=1400", "n=2800", "n=4200"}));
        QCOMPARE(one.names().resolvedNames().size(), size_t(50)); // DNS answers
        QCOMPARE(one.names().byAddress().at(ip("198.51.100.7")).size(),
                 size_t(3)); // TLS server names
    }
    if (file.isEmpty())
        QVERIFY(!one.http().requests().empty());
    QCOMPARE(describe(*b, two), describe(*a, one));
}

QTEST_GUILESS_MAIN(tst_CaptureReader)
#include "tst_capturereader.moc"
