// What generate --format cilium says about the evidence it could not use: connections the HTTP
// extraction gave up and requests past its bounds (warnings with counts), TLS between workloads
// (a comment on the rule, and the report's layer7), on captures of the small shop made here.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "ciliumshop.h"
#include "clirun.h"
#include "l7messages.h"
#include "namemessages.h"

using namespace bulkhead;
using namespace bulkhead::testing;
using namespace bulkhead::testing::shop;

class TestCiliumEvidenceCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void incompleteEvidenceWarns();
    void tlsSaysWhy();

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QTemporaryDir m_dir;
    QString m_inventory;
};

void TestCiliumEvidenceCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_inventory = path("inventory.yaml");
    QFile inv(m_inventory);
    QVERIFY(inv.open(QIODevice::WriteOnly));
    inv.write(inventoryYaml);
}

// Requests the extraction could not follow are not in rules.http: generate says so, with counts.
// One connection is given up at a header line without a colon; another asks for 1,003 distinct
// paths, 3 past the 1,000 new kinds one direction may add.
void TestCiliumEvidenceCli::incompleteEvidenceWarns()
{
    const QString capture = path("incomplete.pcap");
    {
        Capture cap(capture);
        const IpAddress loadgen = ip("10.244.1.3"), frontend = ip("10.244.1.4");
        cap.connection(loadgen, 41100, frontend, 8080,
                       {bytes("GET /a HTTP/1.1\r\nno colon here\r\n\r\n"),
                        bytes("GET /b HTTP/1.1\r\nHost: frontend\r\n\r\n")});
        std::vector<std::vector<uint8_t>> many;
        for (int i = 0; i < 1003; ++i)
            many.push_back(bytes("GET /item/" + std::to_string(i) + " HTTP/1.1\r\n\r\n"));
        cap.connection(loadgen, 41101, frontend, 8080, many);
        QVERIFY(cap.close());
    }
    const QString out = path("incomplete.yaml");
    const CliRun run = runCli({"generate", "--inventory", m_inventory, "--capture", capture,
                               "--format", "cilium", "--output", out});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.contains("warning: HTTP requests: 1 connection direction was given up (HTTP "
                              "that could not be read, a request head over 16 KiB, or more than "
                              "100000 directions open at once)"),
             qPrintable(run.err));
    QVERIFY2(run.err.contains("warning: HTTP requests: 3 requests were read but not kept, their "
                              "kinds past a bound (200000 kinds in all, 64 MiB of paths, 1000 new "
                              "kinds per connection direction)"),
             qPrintable(run.err));
    // The rules hold the 1,000 kinds that were kept (collapsed), not /b.
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray yaml = f.readAll();
    QVERIFY(yaml.contains("path: \"/item/[^/]+\""));
    // The evidence above that rule lists 12 paths and counts the rest.
    QCOMPARE(yaml.count("# GET /item/"), 12);
    QVERIFY(yaml.contains("# GET /item/0 (1 request)\n"));
    QVERIFY(yaml.contains("# and 988 more paths (988 requests)\n"));
    QVERIFY(!yaml.contains("path: /b"));
}

// A TLS connection between workloads has no HTTP rules; the policy and the report say why. The
// load generator calls the cart on 7070 over TLS (a ClientHello) and the frontend over HTTP.
void TestCiliumEvidenceCli::tlsSaysWhy()
{
    const QString capture = path("tls.pcap");
    {
        Capture cap(capture);
        const IpAddress loadgen = ip("10.244.1.3"), frontend = ip("10.244.1.4"),
                        cart = ip("10.244.1.5");
        cap.connection(loadgen, 41200, cart, 7070, {tlsClientHello("cart.shop.svc")});
        cap.connection(loadgen, 41201, frontend, 8080,
                       {bytes("GET /a HTTP/1.1\r\nHost: frontend\r\n\r\n"),
                        bytes("GET /a HTTP/1.1\r\nHost: frontend\r\n\r\n")});
        QVERIFY(cap.close());
    }
    const QString out = path("tls.yaml"), report = path("tls-report.json");
    const CliRun run = runCli({"generate", "--inventory", m_inventory, "--capture", capture,
                               "--format", "cilium", "--output", out, "--report", report});
    QCOMPARE(run.exitCode, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray cartPolicy = documentOf(f.readAll(), "cart-1");
    QVERIFY2(cartPolicy.contains("  # port 7070: TLS (a ClientHello seen), so no rules.http: "
                                 "nothing of it can be read\n  - fromEndpoints:\n"),
             cartPolicy.constData());
    QVERIFY(!cartPolicy.contains("rules:"));
    QFile r(report);
    QVERIFY(r.open(QIODevice::ReadOnly));
    const QJsonArray edges = QJsonDocument::fromJson(r.readAll()).object()["edges"].toArray();
    QJsonObject tlsEdge, httpEdge;
    for (const QJsonValue &e : edges) {
        const QJsonObject o = e.toObject();
        if (o["to"].toString() == "shop/cart-1" && o["port"].toInt() == 7070)
            tlsEdge = o;
        if (o["to"].toString() == "shop/frontend-1" && o["port"].toInt() == 8080)
            httpEdge = o;
    }
    QCOMPARE(tlsEdge["layer7"].toObject()["tls"].toString(),
             QString("a TLS ClientHello was seen: no layer-7 rules, nothing of it can be read"));
    QCOMPARE(httpEdge["layer7"].toObject()["httpKinds"].toInt(), 1);
    QCOMPARE(httpEdge["layer7"].toObject()["httpRequests"].toInt(), 2);
    QVERIFY(!httpEdge["layer7"].toObject().contains("tls"));
}

QTEST_GUILESS_MAIN(TestCiliumEvidenceCli)
#include "tst_ciliumevidencecli.moc"
