// Hubble flow lines as evidence: deduplication per connection, verdicts, bad lines, and the join
// with the inventory (by namespace/pod name, then address), mixed with a capture.
#include "capturewriter.h"
#include "hubble/hubblereader.h"
#include "hubble/hubbletable.h"
#include "hubblelines.h"
#include "model/buildmodel.h"
#include "packetbuilder.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

const char *inventoryYaml = R"(
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: frontend-a, namespace: shop, labels: {app: frontend}}
  spec: {containers: [{name: web, ports: [{containerPort: 8080}]}]}
  status: {phase: Running, podIP: 10.244.1.10, hostIP: 172.18.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: cart-7d9f, namespace: shop, labels: {app: cart}}
  spec: {containers: [{name: c, ports: [{containerPort: 7070}]}]}
  status: {phase: Running, podIP: 10.244.1.20, hostIP: 172.18.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: db-0, namespace: data, labels: {app: db}}
  spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}
  status: {phase: Running, podIP: 10.244.2.30, hostIP: 172.18.0.3}
---
apiVersion: bulkhead.io/v1alpha1
kind: Inventory
clusterNetworks: [10.244.0.0/16, 10.96.0.0/12]
)";

const HubbleEnd frontend{"10.244.1.10", 41000, "shop", "frontend-a"};
const HubbleEnd cart{"10.244.1.20", 7070, "shop", "cart-7d9f"};
const HubbleEnd db{"10.244.2.30", 5432, "data", "db-0"};

std::string writeFile(const QTemporaryDir &dir, const char *name,
                      const std::vector<std::string> &lines, bool finalNewline = true)
{
    return writeHubbleLines(dir.filePath(name).toStdString(), lines, finalNewline);
}

} // namespace

class tst_Hubble : public QObject
{
    Q_OBJECT

private slots:
    // One TCP connection seen at both nodes (SYN, SYN-ACK with is_reply, ACK, each EGRESS and
    // INGRESS) is one connection whose client is the SYN's sender; wrapped and bare lines alike.
    void deduplicatesOneConnection_data()
    {
        QTest::addColumn<bool>("wrapped");
        QTest::newRow("hubble observe -o json") << true;
        QTest::newRow("flow export (bare flows)") << false;
    }
    void deduplicatesOneConnection()
    {
        QFETCH(bool, wrapped);
        QTemporaryDir dir;
        const std::string path = writeFile(
            dir, "flows.json",
            hubbleTcpConnection(frontend, cart, "2026-12-03T10:00:00.123456789Z", wrapped));
        HubbleTable table;
        auto stats = readHubbleFile(path, 0, table);
        QVERIFY_OK(stats);
        QCOMPARE(stats->lines, uint64_t(6));
        QCOMPARE(stats->events, uint64_t(6));
        const auto connections = table.connections();
        QCOMPARE(connections.size(), size_t(1));
        const HubbleConnection &c = connections[0];
        QVERIFY(c.clientKnown);
        QVERIFY(c.forwarded);
        QVERIFY(!c.dropped);
        QCOMPARE(c.raw.address[0].toString(), std::string("10.244.1.10"));
        QCOMPARE(c.raw.port[0], uint16_t(41000));
        QCOMPARE(c.raw.port[1], uint16_t(7070));
        QCOMPARE(c.raw.packets[0], uint64_t(4)); // SYN and ACK, at both ends
        QCOMPARE(c.raw.packets[1], uint64_t(2)); // SYN-ACK at both ends
        QCOMPARE(c.pod[0], std::string("frontend-a"));
        QCOMPARE(c.ns[1], std::string("shop"));
        QCOMPARE(c.pod[1], std::string("cart-7d9f"));
        // 2026-12-03T10:00:00.123456Z in microseconds since the epoch.
        QCOMPARE(c.raw.firstSeenUs, int64_t(1796292000123456));
    }

    // A file larger than the reader's 8 MB block: lines cut by a block boundary are read whole.
    void readsAcrossBlocks()
    {
        QTemporaryDir dir;
        std::vector<std::string> lines;
        for (int c = 0; c < 2000; ++c) {
            const HubbleEnd client{"10.244.1." + std::to_string(c % 200 + 1), uint16_t(30000 + c),
                                   "shop", "frontend-a"};
            const auto more = hubbleTcpConnection(client, cart, "2026-12-03T10:00:00Z");
            lines.insert(lines.end(), more.begin(), more.end());
        }
        const std::string path = writeFile(dir, "big.json", lines);
        QVERIFY(std::filesystem::file_size(path) > (size_t(8) << 20));
        HubbleTable table;
        auto stats = readHubbleFile(path, 0, table);
        QVERIFY_OK(stats);
        QCOMPARE(stats->events, uint64_t(12000));
        QCOMPARE(table.size(), size_t(2000));
    }

    // The client is known from is_reply even when the first event seen is the reply.
    void replyFirstStillFindsClient()
    {
        QTemporaryDir dir;
        HubbleFlow reply{db, HubbleEnd{"10.244.1.10", 52000, "shop", "frontend-a"}};
        reply.protocol = "UDP";
        reply.isReply = 1;
        HubbleFlow request{HubbleEnd{"10.244.1.10", 52000, "shop", "frontend-a"}, db};
        request.protocol = "UDP";
        request.isReply = 0;
        const std::string path
            = writeFile(dir, "flows.json", {hubbleLine(reply), hubbleLine(request)});
        HubbleTable table;
        QVERIFY(readHubbleFile(path, 0, table));
        const auto connections = table.connections();
        QCOMPARE(connections.size(), size_t(1));
        QCOMPARE(connections[0].raw.address[0].toString(), std::string("10.244.1.10"));
        QCOMPARE(connections[0].raw.port[1], uint16_t(5432));
        QCOMPARE(connections[0].raw.protocol, Protocol::UDP);
    }

    void droppedKeepsReasonAndPolicy()
    {
        QTemporaryDir dir;
        HubbleFlow drop{frontend, db};
        drop.syn = true;
        drop.verdict = "DROPPED";
        drop.direction = "INGRESS";
        drop.dropReason = "POLICY_DENIED";
        drop.deniedBy = {"data/db-ingress"};
        HubbleFlow retry = drop;
        retry.time = "2026-12-03T10:00:01Z";
        const std::string path
            = writeFile(dir, "flows.json", {hubbleLine(drop), hubbleLine(retry)});
        HubbleTable table;
        QVERIFY(readHubbleFile(path, 0, table));
        const auto connections = table.connections();
        QCOMPARE(connections.size(), size_t(1));
        QVERIFY(connections[0].dropped);
        QVERIFY(!connections[0].forwarded);
        QCOMPARE(connections[0].dropReasons, std::vector<std::string>{"POLICY_DENIED"});
        QCOMPARE(connections[0].deniedBy, std::vector<std::string>{"data/db-ingress"});
    }

    // An ingress policy at the server's node: the SYN is FORWARDED at the client's node (EGRESS)
    // and DROPPED at the server's (INGRESS). It never got through: an attempt, not evidence.
    void forwardedAtOneEndDroppedAtTheOther()
    {
        QTemporaryDir dir;
        const std::string inventory = dir.filePath("inventory.yaml").toStdString();
        std::ofstream(inventory) << inventoryYaml;
        HubbleFlow out{frontend, db};
        out.syn = true;
        out.isReply = 0;
        HubbleFlow in = out;
        in.direction = "INGRESS";
        in.verdict = "DROPPED";
        in.dropReason = "POLICY_DENIED";
        in.deniedBy = {"data/db-ingress"};
        PipelineInputs inputs;
        inputs.inventories = {inventory};
        inputs.flows = {writeFile(dir, "flows.json", {hubbleLine(out), hubbleLine(in)})};
        auto model = buildModel(inputs);
        QVERIFY_OK(model);
        QCOMPARE(model->analysis.edges.size(), size_t(0));
        QCOMPARE(model->analysis.attempts.size(), size_t(1));
        QCOMPARE(model->analysis.attempts[0].state, FlowState::Dropped);
        QCOMPARE(model->analysis.attempts[0].deniedBy, std::vector<std::string>{"data/db-ingress"});
    }

    // L7 events, ICMP, other verdicts and non-flow responses are counted, not evidence.
    void countsWhatIsNotEvidence()
    {
        QTemporaryDir dir;
        HubbleFlow icmp{frontend, db};
        icmp.protocol = "ICMPv4";
        HubbleFlow traced{frontend, cart};
        traced.verdict = "TRACED";
        nlohmann::json l7 = nlohmann::json::parse(hubbleLine(HubbleFlow{frontend, cart}));
        l7["flow"]["Type"] = "L7";
        l7["flow"]["l7"]
            = {{"type", "REQUEST"}, {"http", {{"method", "GET"}, {"url", "http://cart/"}}}};
        const std::string nodeStatus
            = R"({"node_status":{"state_change":"NODE_CONNECTED","node_names":["kind-worker"]},"node_name":"kind-worker","time":"2026-12-03T10:00:00Z"})";
        const std::string path = writeFile(dir, "flows.json",
                                           {hubbleLine(icmp), "", hubbleLine(traced), l7.dump(),
                                            nodeStatus, hubbleLine(HubbleFlow{frontend, cart})});
        HubbleTable table;
        auto stats = readHubbleFile(path, 0, table);
        QVERIFY_OK(stats);
        QCOMPARE(stats->lines, uint64_t(5)); // the empty line is not counted
        QCOMPARE(stats->withoutPorts, uint64_t(1));
        QCOMPARE(stats->otherVerdicts, uint64_t(1));
        QCOMPARE(stats->l7Events, uint64_t(1));
        QCOMPARE(stats->nonFlowLines, uint64_t(1));
        QCOMPARE(stats->events, uint64_t(1));
        QCOMPARE(table.size(), size_t(1));
    }

    // A bad line stops the read with the file and line; an unfinished last line is ignored and
    // reported.
    void badLines_data()
    {
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << "{\"flow\": {\"verdict\": "
                                  << "not a Hubble flow line";
        QTest::newRow("bad address")
            << R"({"flow":{"time":"2026-12-03T10:00:00Z","verdict":"FORWARDED","IP":{"source":"10.0.0.999","destination":"10.0.0.1"},"l4":{"TCP":{"source_port":1,"destination_port":2}}}})"
            << "\"10.0.0.999\" is not an IP address";
        QTest::newRow("port out of range")
            << R"({"flow":{"time":"2026-12-03T10:00:00Z","verdict":"FORWARDED","IP":{"source":"10.0.0.1","destination":"10.0.0.2"},"l4":{"UDP":{"source_port":70000,"destination_port":2}}}})"
            << "70000 is not a port";
        QTest::newRow("bad time")
            << R"({"flow":{"time":"yesterday","verdict":"FORWARDED","IP":{"source":"10.0.0.1","destination":"10.0.0.2"},"l4":{"UDP":{"source_port":1,"destination_port":2}}}})"
            << "not an RFC 3339 timestamp";
        QTest::newRow("array") << "[1, 2]"
                               << "not a Hubble flow line";
    }
    void badLines()
    {
        QFETCH(QString, bad);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const std::string good = hubbleLine(HubbleFlow{frontend, cart});
        const std::string path
            = writeFile(dir, "flows.json", {good, good, bad.toStdString(), good});
        HubbleTable table;
        auto stats = readHubbleFile(path, 0, table);
        QVERIFY(!stats);
        QCOMPARE(stats.error().file, path);
        QCOMPARE(stats.error().line, 3);
        QVERIFY2(QString::fromStdString(stats.error().message).contains(message),
                 stats.error().message.c_str());
    }

    void truncatedLastLineIsReported()
    {
        QTemporaryDir dir;
        std::string cut = hubbleLine(HubbleFlow{frontend, db});
        cut.resize(cut.size() / 2);
        const std::string path
            = writeFile(dir, "flows.json", {hubbleLine(HubbleFlow{frontend, cart}), cut}, false);
        HubbleTable table;
        auto stats = readHubbleFile(path, 0, table);
        QVERIFY_OK(stats);
        QVERIFY(stats->truncatedLastLine);
        QCOMPARE(stats->events, uint64_t(1));
        QCOMPARE(stats->warnings.size(), size_t(1));
        QVERIFY(QString::fromStdString(stats->warnings[0])
                    .contains("flows.json:2: the last line is incomplete"));
    }

    // Joined by namespace/pod name first (cart has a new address since the inventory), then by
    // address (a pod the inventory lacks, reported by name); a capture of the same conversation
    // adds its file to the edge; a drop is an attempt with its reason and policy.
    void joinsWithInventoryAndCaptures()
    {
        QTemporaryDir dir;
        const std::string inventory = dir.filePath("inventory.yaml").toStdString();
        std::ofstream(inventory) << inventoryYaml;

        const HubbleEnd movedCart{"10.244.1.99", 7070, "shop", "cart-7d9f"};
        const HubbleEnd ghost{"10.244.2.30", 43000, "data",
                              "ghost-5f"}; // db-0's address, unknown name
        std::vector<std::string> lines
            = hubbleTcpConnection(frontend, movedCart, "2026-12-03T10:00:00Z");
        const auto more = hubbleTcpConnection(ghost, HubbleEnd{"10.244.1.20", 7070, "", ""},
                                              "2026-12-03T10:00:02Z");
        lines.insert(lines.end(), more.begin(), more.end());
        HubbleFlow drop{HubbleEnd{"10.244.1.10", 41500, "shop", "frontend-a"}, db};
        drop.syn = true;
        drop.verdict = "DROPPED";
        drop.dropReason = "POLICY_DENIED";
        drop.deniedBy = {"data/db-ingress"};
        lines.push_back(hubbleLine(drop));
        const std::string flows = writeFile(dir, "flows.json", lines);

        // The capture holds frontend -> cart at the inventory's address.
        const std::string capture = dir.filePath("node1.pcap").toStdString();
        {
            PacketBuilder b;
            CaptureWriter w(capture, LinkType::Ethernet);
            const IpAddress f = *IpAddress::parse("10.244.1.10"),
                            c = *IpAddress::parse("10.244.1.20");
            w.write(1796292000000000, b.tcp(f, 40000, c, 7070, tcp::SYN));
            w.write(1796292000000100, b.tcp(c, 7070, f, 40000, tcp::SYN | tcp::ACK));
            QVERIFY(w.close());
        }

        PipelineInputs inputs;
        inputs.inventories = {inventory};
        inputs.captures = {capture};
        inputs.flows = {flows};
        auto model = buildModel(inputs);
        QVERIFY_OK(model);
        const Analysis &a = model->analysis;
        QCOMPARE(a.captureFiles, (std::vector<std::string>{capture, flows}));
        QCOMPARE(a.edges.size(), size_t(2));
        const Inventory &inv = model->inventory;
        const Edge &dbToCart = a.edges[0]; // data/db-0 sorts before shop/frontend
        QCOMPARE(peerName(inv, dbToCart.from), std::string("data/db-0"));
        QCOMPARE(peerName(inv, dbToCart.to), std::string("shop/cart-7d9f"));
        QCOMPARE(dbToCart.evidence.files, std::vector<uint32_t>{1});
        const Edge &frontToCart = a.edges[1];
        QCOMPARE(peerName(inv, frontToCart.from), std::string("shop/frontend-a"));
        QCOMPARE(peerName(inv, frontToCart.to), std::string("shop/cart-7d9f"));
        QCOMPARE(frontToCart.port, uint16_t(7070));
        QCOMPARE(frontToCart.evidence.flows, uint64_t(2)); // one from each source
        QCOMPARE(frontToCart.evidence.files, (std::vector<uint32_t>{0, 1}));
        QCOMPARE(a.missingPods, std::vector<std::string>{"data/ghost-5f"});
        QCOMPARE(a.attempts.size(), size_t(1));
        QCOMPARE(a.attempts[0].state, FlowState::Dropped);
        QCOMPARE(peerName(inv, a.attempts[0].edge.to), std::string("data/db-0"));
        QCOMPARE(a.attempts[0].edge.port, uint16_t(5432));
        QCOMPARE(a.attempts[0].dropReasons, std::vector<std::string>{"POLICY_DENIED"});
        QCOMPARE(a.attempts[0].deniedBy, std::vector<std::string>{"data/db-ingress"});
        QCOMPARE(model->flowStats.size(), size_t(1));
        QCOMPARE(model->flowStats[0].events, uint64_t(13));
    }
};

QTEST_GUILESS_MAIN(tst_Hubble)
#include "tst_hubble.moc"
