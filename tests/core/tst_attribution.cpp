// Attribution and aggregation (docs/semantics.md "Attribution", rules 1-5), from packets through
// the real flow table.
#include "analysis/analysis.h"
#include "capture/flowtable.h"
#include "capture/packetinfo.h"
#include "inventory/inventoryloader.h"
#include "packetbuilder.h"
#include "testsupport.h"

#include <QtTest>

using namespace bulkhead;
using bulkhead::testing::ip;
using bulkhead::testing::tcp::ACK;
using bulkhead::testing::tcp::FIN;
using bulkhead::testing::tcp::RST;
using bulkhead::testing::tcp::SYN;

namespace {

// shop: frontend (2 pods, one on node 172.18.0.2), cart (named port "grpc" 7070), email behind a
// Service 5000 -> named targetPort "http" (8080 on email-v1, 8081 on email-v2); clusterNetworks
// 10.244.0.0/16 and 10.96.0.0/12; a declared external network corp-vpn 10.8.0.0/16.
const char *inventoryYaml = R"(
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: frontend-a, namespace: shop, labels: {app: frontend}}
  spec: {nodeName: n1, containers: [{name: web, ports: [{containerPort: 8080, name: http}]}]}
  status: {phase: Running, podIP: 10.244.1.10, hostIP: 172.18.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: frontend-b, namespace: shop, labels: {app: frontend}}
  spec: {nodeName: n2, containers: [{name: web, ports: [{containerPort: 8080, name: http}]}]}
  status: {phase: Running, podIP: 10.244.2.10, hostIP: 172.18.0.3}
- apiVersion: v1
  kind: Pod
  metadata: {name: cart, namespace: shop, labels: {app: cart}}
  spec: {containers: [{name: c, ports: [{containerPort: 7070, name: grpc}]}]}
  status: {phase: Running, podIP: 10.244.1.20, hostIP: 172.18.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: email-v1, namespace: shop, labels: {app: email, version: v1}}
  spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
  status: {phase: Running, podIP: 10.244.1.30, hostIP: 172.18.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: email-v2, namespace: shop, labels: {app: email, version: v2}}
  spec: {containers: [{name: c, ports: [{containerPort: 8081, name: http}]}]}
  status: {phase: Running, podIP: 10.244.2.30, hostIP: 172.18.0.3}
- apiVersion: v1
  kind: Service
  metadata: {name: email, namespace: shop}
  spec: {clusterIP: 10.96.0.50, selector: {app: email}, ports: [{name: mail, port: 5000, targetPort: http}]}
- apiVersion: v1
  kind: Service
  metadata: {name: cart, namespace: shop}
  spec: {clusterIP: 10.96.0.70, selector: {app: cart}, ports: [{port: 7070, targetPort: 7070}]}
---
apiVersion: bulkhead.io/v1alpha1
kind: Inventory
clusterNetworks: [10.244.0.0/16, 10.96.0.0/12]
externals:
  - {name: corp-vpn, cidrs: [10.8.0.0/16]}
)";

struct Packet
{
    const char *src;
    uint16_t sport;
    const char *dst;
    uint16_t dport;
    Protocol protocol;
    uint8_t flags;
};

class Capture
{
public:
    void tcp(const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t flags)
    {
        add(src, sport, dst, dport, Protocol::TCP, flags);
    }
    void udp(const char *src, uint16_t sport, const char *dst, uint16_t dport)
    {
        add(src, sport, dst, dport, Protocol::UDP, 0);
    }
    // A complete TCP conversation: handshake, one request, one answer, close.
    void session(const char *c, uint16_t cp, const char *s, uint16_t sp)
    {
        tcp(c, cp, s, sp, SYN);
        tcp(s, sp, c, cp, SYN | ACK);
        tcp(c, cp, s, sp, ACK);
        tcp(c, cp, s, sp, ACK);
        tcp(s, sp, c, cp, ACK);
        tcp(c, cp, s, sp, FIN | ACK);
        tcp(s, sp, c, cp, FIN | ACK);
    }
    void unreachable(const char *from, const char *origSrc, uint16_t sport, const char *origDst,
                     uint16_t dport)
    {
        PacketInfo p;
        p.timeUs = m_time += 1000;
        p.src = ip(from);
        p.dst = ip(origSrc);
        p.protocol = Protocol::ICMP;
        p.ipProtocol = 1;
        p.ipLength = 56;
        p.flags = PacketInfo::IcmpUnreachable;
        p.quoted = QuotedTuple{ip(origSrc), ip(origDst), sport, dport, Protocol::UDP};
        m_table.add(p, 0);
    }
    Analysis analyze(const Inventory &inventory) const
    {
        return analyzeFlows(inventory, m_table.flows(), {"test.pcap"});
    }

private:
    void add(const char *src, uint16_t sport, const char *dst, uint16_t dport, Protocol protocol,
             uint8_t flags)
    {
        PacketInfo p;
        p.timeUs = m_time += 1000;
        p.src = ip(src);
        p.dst = ip(dst);
        p.sport = sport;
        p.dport = dport;
        p.protocol = protocol;
        p.ipProtocol = static_cast<uint8_t>(protocol);
        p.tcpFlags = flags;
        p.ipLength = 60;
        m_table.add(p, 0);
    }
    FlowTable m_table;
    int64_t m_time = 1'800'000'000'000'000;
};

QString edgeText(const Inventory &inventory, const Edge &e)
{
    return QString::fromStdString(peerName(inventory, e.from) + " -> " + peerName(inventory, e.to)
                                  + ' ' + std::string(protocolName(e.protocol)) + '/'
                                  + std::to_string(e.port));
}

QStringList edgesOf(const Inventory &inventory, const std::vector<Edge> &edges)
{
    QStringList out;
    for (const Edge &e : edges)
        out << edgeText(inventory, e);
    return out;
}

} // namespace

class tst_Attribution : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        auto inventory = loadInventoryText(inventoryYaml, "inventory.yaml");
        QVERIFY_OK(inventory);
        resolveInventory(*inventory);
        m_inventory = std::move(*inventory);
        QCOMPARE(m_inventory.workloads.size(),
                 size_t(5)); // cart, email-v1, email-v2, frontend-a.. as bare pods
    }

    void serviceVipBecomesEdgesToEveryBackendOnNamedTargetPort()
    {
        Capture c;
        c.session("10.244.1.10", 40000, "10.96.0.50", 5000);
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(edgesOf(m_inventory, a.edges),
                 QStringList({"shop/frontend-a -> shop/email-v1 TCP/8080",
                              "shop/frontend-a -> shop/email-v2 TCP/8081"}));
        QCOMPARE(a.edges[0].viaServices, std::vector<std::string>{"shop/email"});
        QCOMPARE(a.edges[0].evidence.flows, uint64_t(1));
        QCOMPARE(a.edges[0].evidence.packets, uint64_t(7));
        QCOMPARE(a.flows.size(), size_t(1));
        QCOMPARE(a.flows[0].service, std::string("shop/email"));
    }

    void directionFromHandshake()
    {
        // The client uses a LOWER port than the server: only the SYN tells who is the client.
        Capture c;
        c.session("10.244.1.20", 80, "10.244.1.10", 8080);
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(edgesOf(m_inventory, a.edges),
                 QStringList{"shop/cart -> shop/frontend-a TCP/8080"});
        QVERIFY(a.flows[0].handshakeSeen);
    }

    void directionWithoutHandshake_data()
    {
        QTest::addColumn<QString>("first"); // the side that sends the first captured segment
        QTest::addColumn<int>("firstPort");
        QTest::addColumn<QString>("second");
        QTest::addColumn<int>("secondPort");
        QTest::addColumn<QString>("expected");
        // Declared container port wins over the lower port: cart declares 7070, the client's
        // ephemeral port 5000 is lower.
        QTest::newRow("declared port decides") << "10.244.1.20" << 7070 << "10.244.1.10" << 5000
                                               << "shop/frontend-a -> shop/cart TCP/7070";
        // Neither side declares its port: the lower port is the server.
        QTest::newRow("lower port decides") << "10.244.1.20" << 45000 << "10.244.1.10" << 9000
                                            << "shop/cart -> shop/frontend-a TCP/9000";
        // Service port: a mid-stream flow to a Service VIP.
        QTest::newRow("service port decides") << "10.96.0.70" << 7070 << "10.244.1.10" << 3000
                                              << "shop/frontend-a -> shop/cart TCP/7070";
    }
    void directionWithoutHandshake()
    {
        QFETCH(QString, first);
        QFETCH(int, firstPort);
        QFETCH(QString, second);
        QFETCH(int, secondPort);
        QFETCH(QString, expected);
        Capture c;
        const QByteArray a1 = first.toLatin1(), a2 = second.toLatin1();
        c.tcp(a1.constData(), firstPort, a2.constData(), secondPort, ACK);
        c.tcp(a2.constData(), secondPort, a1.constData(), firstPort, ACK);
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(edgesOf(m_inventory, a.edges), QStringList{expected});
        QVERIFY(!a.flows[0].handshakeSeen);
        QCOMPARE(a.flows[0].state, FlowState::Established);
    }

    void udpDirection()
    {
        Capture c;
        // No declared port: the first datagram goes to the lower port.
        c.udp("10.244.1.10", 53000, "10.244.1.20", 5353);
        c.udp("10.244.1.20", 5353, "10.244.1.10", 53000);
        // One-way UDP (syslog-like) is real traffic: established.
        c.udp("10.244.1.20", 40001, "10.244.1.30", 514);
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(edgesOf(m_inventory, a.edges),
                 QStringList({"shop/cart -> shop/email-v1 UDP/514",
                              "shop/frontend-a -> shop/cart UDP/5353"}));
    }

    void refusedAndUnansweredStayOutOfTheIntent()
    {
        Capture c;
        c.tcp("10.244.1.10", 41000, "10.244.1.20", 9999, SYN); // refused
        c.tcp("10.244.1.20", 9999, "10.244.1.10", 41000, RST | ACK);
        c.tcp("10.244.1.10", 41001, "10.244.1.30", 8080, SYN); // unanswered
        c.tcp("10.244.1.10", 41001, "10.244.1.30", 8080, SYN);
        c.udp("10.244.1.10", 41002, "10.244.2.30", 9000); // UDP refused by ICMP port unreachable
        c.unreachable("10.244.2.30", "10.244.1.10", 41002, "10.244.2.30", 9000);
        c.session("10.244.1.10", 41003, "10.244.1.20", 7070); // the one real edge
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(edgesOf(m_inventory, a.edges),
                 QStringList{"shop/frontend-a -> shop/cart TCP/7070"});
        QCOMPARE(a.attempts.size(), size_t(3));
        QStringList attempts;
        for (const Attempt &at : a.attempts)
            attempts << edgeText(m_inventory, at.edge) + ' '
                            + QString::fromStdString(std::string(flowStateName(at.state)));
        attempts.sort();
        QCOMPARE(attempts, QStringList({"shop/frontend-a -> shop/cart TCP/9999 refused",
                                        "shop/frontend-a -> shop/email-v1 TCP/8080 unanswered",
                                        "shop/frontend-a -> shop/email-v2 UDP/9000 refused"}));
        QCOMPARE(a.icmp.size(), size_t(1));
    }

    void ownNodeTrafficLeftOut()
    {
        Capture c;
        c.session("172.18.0.2", 50000, "10.244.1.20", 7070); // kubelet probe on cart's own node
        c.session("172.18.0.3", 50001, "10.244.1.20", 7070); // another node: kept, with a warning
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(a.ownNodeFlows, uint64_t(1));
        QCOMPARE(edgesOf(m_inventory, a.edges), QStringList{"172.18.0.3 -> shop/cart TCP/7070"});
        QCOMPARE(a.edges[0].from.kind, PeerKind::Node);
        QVERIFY(std::any_of(a.warnings.begin(), a.warnings.end(), [](const std::string &w) {
            return w.find("172.18.0.3") != std::string::npos;
        }));
    }

    void externalsAndUnattributed()
    {
        Capture c;
        c.session("10.8.3.4", 50000, "10.244.1.10", 8080);    // declared network corp-vpn
        c.session("203.0.113.9", 50000, "10.244.1.10", 8080); // lone external
        c.session("10.244.7.7", 50000, "10.244.1.10", 8080);  // in-cluster, matches nothing
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(edgesOf(m_inventory, a.edges),
                 QStringList({"corp-vpn -> shop/frontend-a TCP/8080",
                              "203.0.113.9 -> shop/frontend-a TCP/8080",
                              "10.244.7.7 -> shop/frontend-a TCP/8080"}));
        QCOMPARE(a.edges[0].from.kind, PeerKind::ExternalNetwork);
        QCOMPARE(a.edges[1].from.kind, PeerKind::External);
        QCOMPARE(a.edges[2].from.kind, PeerKind::Unattributed);
        QCOMPARE(a.unattributed.size(), size_t(1));
        QCOMPARE(a.unattributed[0], ip("10.244.7.7"));
    }

    void evidenceAggregates()
    {
        Capture c;
        c.session("10.244.1.10", 40000, "10.244.1.20", 7070);
        c.session("10.244.1.10", 40001, "10.96.0.70", 7070); // via the Service: same edge
        const Analysis a = c.analyze(m_inventory);
        QCOMPARE(a.edges.size(), size_t(1));
        QCOMPARE(a.edges[0].evidence.flows, uint64_t(2));
        QCOMPARE(a.edges[0].evidence.packets, uint64_t(14));
        QCOMPARE(a.edges[0].evidence.bytes, uint64_t(14 * 60));
        QCOMPARE(a.edges[0].evidence.files, std::vector<uint32_t>{0});
        QCOMPARE(a.edges[0].viaServices, std::vector<std::string>{"shop/cart"});
        QVERIFY(a.edges[0].evidence.firstSeenUs < a.edges[0].evidence.lastSeenUs);
    }

private:
    Inventory m_inventory;
};

QTEST_GUILESS_MAIN(tst_Attribution)
#include "tst_attribution.moc"
