// Attribution and aggregation (core/analysis/analysis.h) on conversations given directly, as
// the capture layer hands them over: who is the client, what state the conversation reached,
// which workload, Service or address each end is, and how flows add up to edges. The rules are
// docs/semantics.md "Attribution"; tst_attribution runs the same through real packets.
#include <QtTest>

#include "analysis/analysis.h"
#include "smallcluster.h"

#include "inventory/inventory.h"

Q_DECLARE_METATYPE(bulkhead::RawFlow)

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

// "edge shop/web -> shop/api TCP/9090" or "attempt refused shop/web -> data/db TCP/5432".
QStringList describe(const Inventory &inventory, const Analysis &analysis)
{
    QStringList out;
    auto text = [&](const Edge &e) {
        return QString::fromStdString(
            peerName(inventory, e.from) + " -> " + peerName(inventory, e.to) + ' '
            + std::string(protocolName(e.protocol)) + '/' + std::to_string(e.port));
    };
    for (const Edge &e : analysis.edges)
        out << "edge " + text(e);
    for (const Attempt &a : analysis.attempts)
        out << "attempt " + QString::fromStdString(std::string(flowStateName(a.state))) + ' '
                   + text(a.edge);
    return out;
}

} // namespace

class tst_Analysis : public QObject
{
    Q_OBJECT

private slots:
    void clientAndState_data()
    {
        QTest::addColumn<RawFlow>("flow");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("handshake");

        QTest::newRow("handshake to a pod")
            << rawFlow("10.244.1.10", 41000, "10.244.1.20", 9090)
            << QStringList{"edge shop/web -> shop/api TCP/9090"} << true;
        RawFlow fromAnswer = rawFlow("10.244.1.20", 9090, "10.244.1.10", 41000, Seen::Midstream);
        fromAnswer.synFrom[1] = true; // the capture's first packet was the SYN-ACK: the SYN decides
        fromAnswer.synAckFrom[0] = true;
        QTest::newRow("SYN from side 1")
            << fromAnswer << QStringList{"edge shop/web -> shop/api TCP/9090"} << true;
        QTest::newRow("mid-stream: the declared port is the server")
            << rawFlow("10.244.1.20", 9090, "10.244.1.10", 41000, Seen::Midstream)
            << QStringList{"edge shop/web -> shop/api TCP/9090"} << false;
        QTest::newRow("mid-stream, nothing declared: the lower port is the server")
            << rawFlow("203.0.113.5", 443, "10.244.1.10", 50000, Seen::Midstream)
            << QStringList{"edge shop/web -> 203.0.113.5 TCP/443"} << false;
        QTest::newRow("refused") << rawFlow("10.244.1.10", 41000, "10.244.2.30", 5432,
                                            Seen::Refused)
                                 << QStringList{"attempt refused shop/web -> data/db TCP/5432"}
                                 << true;
        QTest::newRow("unanswered")
            << rawFlow("10.244.1.10", 41000, "10.244.2.30", 5432, Seen::Unanswered)
            << QStringList{"attempt unanswered shop/web -> data/db TCP/5432"} << true;
        QTest::newRow("TCP with no answer and no SYN")
            << rawFlow("10.244.1.10", 41000, "10.244.2.30", 5432, Seen::OneWay)
            << QStringList{"attempt unanswered shop/web -> data/db TCP/5432"} << false;
        QTest::newRow("UDP one way is established")
            << rawFlow("10.244.1.10", 40000, "203.0.113.5", 53, Seen::OneWay, Protocol::UDP)
            << QStringList{"edge shop/web -> 203.0.113.5 UDP/53"} << false;
        RawFlow unreachable
            = rawFlow("10.244.1.10", 40000, "203.0.113.5", 53, Seen::OneWay, Protocol::UDP);
        unreachable.unreachableTo[0] = true;
        QTest::newRow("UDP answered by port unreachable")
            << unreachable << QStringList{"attempt refused shop/web -> 203.0.113.5 UDP/53"}
            << false;
        QTest::newRow("Service VIP: the backend's container port")
            << rawFlow("10.244.1.10", 41000, "10.96.0.20", 80)
            << QStringList{"edge shop/web -> shop/api TCP/9090"} << true;
        QTest::newRow("unattributed in-cluster address")
            << rawFlow("10.244.1.10", 41000, "10.244.9.9", 8080)
            << QStringList{"edge shop/web -> 10.244.9.9 TCP/8080"} << true;
        QTest::newRow("from outside")
            << rawFlow("198.51.100.7", 50000, "10.244.1.10", 8080)
            << QStringList{"edge 198.51.100.7 -> shop/web TCP/8080"} << true;
    }
    void clientAndState()
    {
        QFETCH(RawFlow, flow);
        QFETCH(QStringList, expected);
        QFETCH(bool, handshake);
        const Inventory inventory = smallCluster();
        const Analysis analysis = analyzeFlows(inventory, {flow}, {"a.pcap"});
        QCOMPARE(describe(inventory, analysis), expected);
        QCOMPARE(analysis.flows.size(), size_t(1));
        QCOMPARE(analysis.flows[0].handshakeSeen, handshake);
    }

    // Three connections web -> api, two direct in two files and one through the Service: one
    // edge whose evidence is their sum.
    void aggregatesIntoOneEdge()
    {
        const Inventory inventory = smallCluster();
        const int64_t t0 = 1'700'000'000'000'000;
        const std::vector<RawFlow> flows{
            rawFlow("10.244.1.10", 41000, "10.244.1.20", 9090, Seen::Handshake, Protocol::TCP,
                    t0 + 5'000'000, 1),
            rawFlow("10.244.1.10", 41001, "10.244.1.20", 9090, Seen::Handshake, Protocol::TCP, t0,
                    0),
            rawFlow("10.244.1.10", 41002, "10.96.0.20", 80, Seen::Handshake, Protocol::TCP,
                    t0 + 2'000'000, 0),
        };
        const Analysis analysis = analyzeFlows(inventory, flows, {"node1.pcap", "node2.pcap"});
        QCOMPARE(analysis.edges.size(), size_t(1));
        const Edge &edge = analysis.edges[0];
        QCOMPARE(edge.from, Peer::workload(Web));
        QCOMPARE(edge.to, Peer::workload(Api));
        QCOMPARE(edge.port, uint16_t(9090));
        QCOMPARE(edge.evidence.flows, uint64_t(3));
        QCOMPARE(edge.evidence.packets, uint64_t(24));
        QCOMPARE(edge.evidence.bytes, uint64_t(2400));
        QCOMPARE(edge.evidence.firstSeenUs, t0);
        QCOMPARE(edge.evidence.lastSeenUs, t0 + 6'000'000);
        QCOMPARE(edge.evidence.files, (std::vector<uint32_t>{0, 1}));
        QCOMPARE(edge.viaServices, std::vector<std::string>{"shop/api"});
        // The flows stay one by one, the Service named on the one that went through it.
        QCOMPARE(analysis.flows.size(), size_t(3));
        int viaService = 0;
        for (const ObservedFlow &f : analysis.flows) {
            QCOMPARE(f.client, ip("10.244.1.10"));
            if (!f.service.empty()) {
                ++viaService;
                QCOMPARE(f.service, std::string("shop/api"));
                QCOMPARE(f.serverPort, uint16_t(80));
            }
        }
        QCOMPARE(viaService, 1);
        QCOMPARE(analysis.captureFiles, (std::vector<std::string>{"node1.pcap", "node2.pcap"}));
    }

    // Traffic no policy decides: a pod with its own node (always allowed), and neither end a
    // workload. Counted, never an edge; an unknown in-cluster address is listed.
    void leftOutAndListed()
    {
        const Inventory inventory = smallCluster();
        const std::vector<RawFlow> flows{
            rawFlow("172.18.0.2", 50000, "10.244.1.10", 8080),  // the kubelet's probe of web-1
            rawFlow("198.51.100.7", 50000, "203.0.113.5", 443), // no workload on either side
            rawFlow("10.244.1.10", 41000, "10.244.9.9", 8080),
        };
        const Analysis analysis = analyzeFlows(inventory, flows, {"a.pcap"});
        QCOMPARE(analysis.ownNodeFlows, uint64_t(1));
        QCOMPARE(analysis.outsideFlows, uint64_t(1));
        QCOMPARE(analysis.unattributed, std::vector<IpAddress>{ip("10.244.9.9")});
        QCOMPARE(describe(inventory, analysis),
                 QStringList{"edge shop/web -> 10.244.9.9 TCP/8080"});
    }

    // ICMP is counted per address pair and protocol; it cannot be written in a NetworkPolicy.
    void icmpIsCounted()
    {
        const Inventory inventory = smallCluster();
        RawFlow ping = rawFlow("10.244.1.20", 0, "10.244.1.10", 0, Seen::Midstream, Protocol::ICMP);
        const Analysis analysis = analyzeFlows(inventory, {ping}, {"a.pcap"});
        QVERIFY(analysis.edges.empty());
        QCOMPARE(analysis.icmp.size(), size_t(1));
        QCOMPARE(analysis.icmp[0].a, ip("10.244.1.10")); // the lower address first
        QCOMPARE(analysis.icmp[0].b, ip("10.244.1.20"));
        QCOMPARE(analysis.icmp[0].packets, uint64_t(8));
    }

    void filesOfMask_data()
    {
        QTest::addColumn<quint64>("mask");
        QTest::addColumn<QList<uint>>("files");
        QTest::newRow("none") << quint64(0) << QList<uint>{};
        QTest::newRow("first") << quint64(1) << QList<uint>{0};
        QTest::newRow("0, 1 and 3") << quint64(0b1011) << QList<uint>{0, 1, 3};
        QTest::newRow("the shared last bit") << (quint64(1) << 63) << QList<uint>{63};
    }
    void filesOfMask()
    {
        QFETCH(quint64, mask);
        QFETCH(QList<uint>, files);
        const std::vector<uint32_t> got = bulkhead::filesOfMask(mask);
        QCOMPARE(QList<uint>(got.begin(), got.end()), files);
    }
};

QTEST_GUILESS_MAIN(tst_Analysis)
#include "tst_analysis.moc"
