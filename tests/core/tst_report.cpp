// The machine-readable pieces of a run (core/report/report.h) that `generate --report`,
// `flows --format json` and the GUI's report export share: times, edges, flows and the names
// learnt for outside addresses, on the small cluster with hand-made conversations.
#include <QtTest>

#include "report/report.h"
#include "report/reportjson.h"
#include "smallcluster.h"

#include "model/model.h"

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

const int64_t kStart = 1'700'000'000'123'456; // 2023-11-14T22:13:20.123456Z

Model smallModel()
{
    Model model;
    model.inventory = smallCluster();
    model.analysis = analyzeFlows(
        model.inventory,
        {rawFlow("10.244.1.10", 41000, "10.96.0.20", 80, Seen::Handshake, Protocol::TCP, kStart, 1),
         rawFlow("10.244.1.10", 41001, "203.0.113.5", 443, Seen::Handshake, Protocol::TCP, kStart,
                 0)},
        {"node1.pcap", "node2.pcap"});
    model.analysis.externalNames[ip("203.0.113.5")] = {"api.example.com", "cdn.example.com"};
    model.analysis.externalNames[ip("203.0.113.6")] = {"cdn.example.com"};
    return model;
}

} // namespace

class tst_Report : public QObject
{
    Q_OBJECT

private slots:
    void isoTime_data()
    {
        QTest::addColumn<qint64>("us");
        QTest::addColumn<QString>("text");
        QTest::newRow("epoch") << qint64(0) << "1970-01-01T00:00:00.000Z";
        QTest::newRow("milliseconds kept, microseconds dropped")
            << qint64(kStart) << "2023-11-14T22:13:20.123Z";
        QTest::newRow("leap day") << qint64(1'709'164'800'999'999) << "2024-02-29T00:00:00.999Z";
        QTest::newRow("no time (empty evidence)") << std::numeric_limits<qint64>::max() << "";
        QTest::newRow("no time (lower bound)") << std::numeric_limits<qint64>::min() << "";
    }
    void isoTime()
    {
        QFETCH(qint64, us);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(bulkhead::isoTime(us)), text);
    }

    // Policy comments (generate --explain) give whole seconds.
    void isoTimeInSeconds()
    {
        QCOMPARE(bulkhead::isoTime(kStart, TimePrecision::Seconds),
                 std::string("2023-11-14T22:13:20Z"));
        QCOMPARE(bulkhead::isoTime(std::numeric_limits<int64_t>::max(), TimePrecision::Seconds),
                 std::string());
    }

    void edgeAndFlow()
    {
        const Model model = smallModel();
        QCOMPARE(model.analysis.edges.size(), size_t(2));
        // Edges sort by from, to: the workload before the outside address.
        QCOMPARE(
            QString::fromStdString(edgeJson(model, model.analysis.edges[0]).dump()),
            QStringLiteral(
                R"({"bytes":800,"captures":["node2.pcap"],"firstSeen":"2023-11-14T22:13:20.123Z",)"
                R"("flows":1,"from":"shop/web","fromKind":"workload",)"
                R"("lastSeen":"2023-11-14T22:13:21.123Z","packets":8,"port":9090,"protocol":"TCP",)"
                R"("to":"shop/api","toKind":"workload","viaServices":["shop/api"]})"));
        QCOMPARE(
            QString::fromStdString(edgeJson(model, model.analysis.edges[1]).dump()),
            QStringLiteral(
                R"({"bytes":800,"captures":["node1.pcap"],"firstSeen":"2023-11-14T22:13:20.123Z",)"
                R"("flows":1,"from":"shop/web","fromKind":"workload",)"
                R"("lastSeen":"2023-11-14T22:13:21.123Z","packets":8,"port":443,"protocol":"TCP",)"
                R"("to":"203.0.113.5","toKind":"external","toNames":["api.example.com","cdn.example.com"]})"));
        // The flow through the Service keeps the address and port the client used.
        const ObservedFlow *viaService = nullptr;
        for (const ObservedFlow &f : model.analysis.flows) {
            if (!f.service.empty())
                viaService = &f;
        }
        QVERIFY(viaService);
        QCOMPARE(
            QString::fromStdString(flowJson(model, *viaService).dump()),
            QStringLiteral(
                R"({"bytes":800,"captures":["node2.pcap"],"client":"10.244.1.10","clientPeer":"shop/web",)"
                R"("clientPort":41000,"firstSeen":"2023-11-14T22:13:20.123Z","handshake":true,)"
                R"("lastSeen":"2023-11-14T22:13:21.123Z","packets":8,"protocol":"TCP",)"
                R"("server":"10.96.0.20","serverPeer":"shop/api","serverPort":80,"service":"shop/api",)"
                R"("state":"established"})"));
    }

    void externalNames()
    {
        const Model model = smallModel();
        Peer outside;
        outside.address = ip("203.0.113.5");
        QCOMPARE(peerLabel(model, outside),
                 std::string("203.0.113.5 (api.example.com, cdn.example.com)"));
        outside.address = ip("198.51.100.1");
        QCOMPARE(peerLabel(model, outside), std::string("198.51.100.1"));
        QCOMPARE(peerLabel(model, Peer::workload(Web)), std::string("shop/web"));
        QCOMPARE(QString::fromStdString(externalNamesJson(model).dump()),
                 QStringLiteral(
                     R"([{"addresses":["203.0.113.5"],"name":"api.example.com"},)"
                     R"({"addresses":["203.0.113.5","203.0.113.6"],"name":"cdn.example.com"}])"));
    }
};

QTEST_GUILESS_MAIN(tst_Report)
#include "tst_report.moc"
