// The desktop application takes Hubble flow files where it takes captures: the import recognises
// them by their first line (not their suffix), reads them in the background with the captures, and
// the graph shows an external address under the name the captures' DNS answers gave it.
#include "capturewriter.h"
#include "design/intent.h"
#include "document.h"
#include "graph/graphmodel.h"
#include "hubblelines.h"
#include "mainwindow.h"
#include "model/model.h"
#include "namemessages.h"
#include "packetbuilder.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace bulkhead;
using namespace bulkhead::testing;
using namespace bulkhead::ui;

class tst_HubbleImport : public QObject
{
    Q_OBJECT

private slots:
    void importsFlowsBesideACapture()
    {
        QTemporaryDir dir;
        std::ofstream(dir.filePath("inventory.yaml").toStdString()) << R"(
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: web-1, namespace: shop, labels: {app: web}}
  spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
  status: {phase: Running, podIP: 10.244.1.10}
- apiVersion: v1
  kind: Pod
  metadata: {name: db-0, namespace: data, labels: {app: db}}
  spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}
  status: {phase: Running, podIP: 10.244.2.30}
)";
        // A flow file whose suffix says nothing (.log): recognised by its content.
        // In a sub-folder: opening the folder would take the captures beside the inventory.
        QVERIFY(QDir(dir.path()).mkdir("evidence"));
        const QString flows = dir.filePath("evidence/relay-export.log");
        writeHubbleLines(flows.toStdString(),
                         hubbleTcpConnection(HubbleEnd{"10.244.1.10", 41000, "shop", "web-1"},
                                             HubbleEnd{"10.244.2.30", 5432, "data", "db-0"},
                                             "2026-12-03T10:00:00Z"));
        const QString capture = dir.filePath("evidence/egress.pcap");
        {
            PacketBuilder b;
            CaptureWriter w(capture.toStdString(), LinkType::Ethernet);
            const IpAddress pod = *IpAddress::parse("10.244.1.10"),
                            dns = *IpAddress::parse("10.96.0.10"),
                            api = *IpAddress::parse("203.0.113.50");
            w.write(1796292000000000, b.udpData(dns, 53, pod, 33000,
                                                dnsResponse(1, "api.example.com", 1,
                                                            {{"api.example.com", 1, "", api}})));
            w.write(1796292000000100, b.tcp(pod, 42000, api, 443, tcp::SYN));
            w.write(1796292000000200, b.tcp(api, 443, pod, 42000, tcp::SYN | tcp::ACK));
            QVERIFY(w.close());
        }

        MainWindow window;
        QSignalSpy changed(window.document(), &Document::modelChanged);
        window.openPath(dir.path());
        QVERIFY(changed.wait(30000));
        QCOMPARE(window.document()->model().analysis.edges.size(), size_t(0));

        QVERIFY(window.importFiles({flows, capture}));
        QVERIFY(changed.wait(30000));
        const Document &doc = *window.document();
        QCOMPARE(doc.project().flows.size(), size_t(1));
        QCOMPARE(doc.project().captures.size(), size_t(1));
        const Model &model = doc.model();
        // web -> db (flows), web -> api.example.com:443 and web -> the resolver 10.96.0.10:53
        // (capture).
        QCOMPARE(model.analysis.edges.size(), size_t(3));
        QCOMPARE(model.flowStats.size(), size_t(1));
        QCOMPARE(model.flowStats[0].events, uint64_t(6));

        const GraphModel graph = buildGraphModel(model, doc.intent());
        bool named = false;
        for (const auto &node : graph.nodes) {
            if (node.title == "api.example.com") {
                QCOMPARE(node.caption, std::string("external 203.0.113.50"));
                named = true;
            }
        }
        QVERIFY(named);
    }

    void refusesAJsonLineThatIsNoFlow()
    {
        QTemporaryDir dir;
        const QString notFlows = dir.filePath("notes.jsonl");
        std::ofstream(notFlows.toStdString()) << "{\"hello\": 1}\n";
        MainWindow window;
        QString shown;
        window.setMessageHandler([&](QMessageBox::Icon, const QString &, const QString &text,
                                     QMessageBox::StandardButtons) {
            shown = text;
            return QMessageBox::Ok;
        });
        QVERIFY(!window.importFiles({notFlows}));
        QVERIFY2(shown.contains("notes.jsonl"), qPrintable(shown));
    }
};

QTEST_MAIN(tst_HubbleImport)
#include "tst_hubbleimport.moc"
