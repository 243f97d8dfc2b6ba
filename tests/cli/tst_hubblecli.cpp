// End to end: bulkhead-cli with Hubble flow files (--flows) mixed with a capture holding DNS
// answers and a TLS server name: flows JSON (edges, attempts, names), generate --explain, a
// project's flows:, and bad flow files (exit 2, file and line, no output file).
#include <QtTest>

#include "capturewriter.h"
#include "clirun.h"
#include "hubblelines.h"
#include "namemessages.h"
#include "packetbuilder.h"

#include <QTemporaryDir>

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
  metadata: {name: web-1, namespace: shop, labels: {app: web}}
  spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
  status: {phase: Running, podIP: 10.244.1.10, hostIP: 172.18.0.2}
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

} // namespace

class tst_HubbleCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_inventory, m_flows, m_capture;

    QString path(const char *name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_inventory = path("inventory.yaml");
        std::ofstream(m_inventory.toStdString()) << inventoryYaml;

        // Hubble: web -> db established (both nodes), and a dropped web -> db:5433 attempt.
        const HubbleEnd web{"10.244.1.10", 41000, "shop", "web-1"},
            db{"10.244.2.30", 5432, "data", "db-0"};
        std::vector<std::string> lines = hubbleTcpConnection(web, db, "2026-12-03T10:00:00Z");
        HubbleFlow drop{HubbleEnd{"10.244.1.10", 41001, "shop", "web-1"},
                        HubbleEnd{"10.244.2.30", 5433, "data", "db-0"}};
        drop.syn = true;
        drop.verdict = "DROPPED";
        drop.dropReason = "POLICY_DENIED";
        drop.deniedBy = {"data/db-only-5432"};
        lines.push_back(hubbleLine(drop));
        m_flows = path("flows.json");
        writeHubbleLines(m_flows.toStdString(), lines);

        // The capture: a DNS answer (CNAME chain, two addresses) and HTTPS to both addresses.
        m_capture = path("egress.pcap");
        PacketBuilder b;
        CaptureWriter w(m_capture.toStdString(), LinkType::Ethernet);
        const IpAddress pod = *IpAddress::parse("10.244.1.10"),
                        dns = *IpAddress::parse("10.96.0.10");
        const IpAddress a = *IpAddress::parse("203.0.113.50"),
                        c = *IpAddress::parse("203.0.113.51");
        int64_t t = 1796292000000000;
        w.write(t++, b.udpData(dns, 53, pod, 33000,
                               dnsResponse(1, "api.example.com", 1,
                                           {{"api.example.com", 5, "edge.cdn.example.net", {}},
                                            {"edge.cdn.example.net", 1, "", a},
                                            {"edge.cdn.example.net", 1, "", c}})));
        uint16_t port = 42000;
        for (const IpAddress &server : {a, c}) {
            w.write(t++, b.tcp(pod, port, server, 443, tcp::SYN));
            w.write(t++, b.tcp(server, 443, pod, port, tcp::SYN | tcp::ACK));
            ++port;
        }
        QVERIFY(w.close());
    }

    void flowsJsonCarriesEvidenceDropsAndNames()
    {
        const CliRun r = runCli({"flows", "--inventory", m_inventory, "--flows", m_flows,
                                 "--capture", m_capture, "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const QJsonArray edges = j["edges"].toArray();
        // web -> db (flow file), web -> the two HTTPS servers and web -> the resolver on 53
        // (capture).
        QCOMPARE(edges.size(), 4);
        QJsonObject dbEdge, named;
        for (const QJsonValue &e : edges) {
            if (e["to"].toString() == "data/db-0")
                dbEdge = e.toObject();
            if (e["to"].toString() == "203.0.113.51")
                named = e.toObject();
        }
        QCOMPARE(dbEdge["from"].toString(), QString("shop/web-1"));
        QCOMPARE(dbEdge["port"].toInt(), 5432);
        QCOMPARE(dbEdge["captures"].toArray(), QJsonArray{m_flows});
        QCOMPARE(named["toKind"].toString(), QString("external"));
        QCOMPARE(named["toNames"].toArray(), QJsonArray{"api.example.com"});
        QVERIFY(!named.contains("fromNames"));

        const QJsonArray attempts = j["attempts"].toArray();
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.at(0).toObject()["state"].toString(), QString("dropped"));
        QCOMPARE(attempts.at(0).toObject()["port"].toInt(), 5433);
        QCOMPARE(attempts.at(0).toObject()["dropReasons"].toArray(), QJsonArray{"POLICY_DENIED"});
        QCOMPARE(attempts.at(0).toObject()["deniedBy"].toArray(), QJsonArray{"data/db-only-5432"});

        // The name groups its two addresses.
        const QJsonArray names = j["externalNames"].toArray();
        QCOMPARE(names.size(), 1);
        QCOMPARE(names.at(0).toObject()["name"].toString(), QString("api.example.com"));
        QCOMPARE(names.at(0).toObject()["addresses"].toArray(),
                 (QJsonArray{"203.0.113.50", "203.0.113.51"}));
        QCOMPARE(j["flowFiles"].toArray().at(0).toObject()["events"].toInt(), 7);
    }

    void explainSaysWhichNameAnIpBlockStandsFor()
    {
        const CliRun r = runCli({"generate", "--inventory", m_inventory, "--flows", m_flows,
                                 "--capture", m_capture, "--explain"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("# shop/web-1 -> 203.0.113.50 TCP 443: 1 flow"), r.out.constData());
        QVERIFY2(r.out.contains("; 203.0.113.50 is api.example.com (also 203.0.113.51)"),
                 r.out.constData());
        QVERIFY(r.out.contains("cidr: 203.0.113.50/32"));
    }

    void projectFlowsAreRelative()
    {
        const QString project = path("review.bulkhead");
        std::ofstream(project.toStdString())
            << "formatVersion: 1\ninventories: [\"inventory.yaml\"]\ncaptures: []\n"
               "flows: [\"flows.json\"]\n";
        const CliRun r = runCli({"generate", "--project", project});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("port: 5432"), r.out.constData());
    }

    void badFlowFileExitsTwoNamingTheLine()
    {
        const QString bad = path("bad.json");
        {
            std::ofstream out(bad.toStdString());
            out << hubbleLine(HubbleFlow{HubbleEnd{"10.244.1.10", 1, "shop", "web-1"},
                                         HubbleEnd{"10.244.2.30", 5432, "data", "db-0"}})
                << "\n{\"flow\": nope}\n";
        }
        const QString output = path("out.yaml");
        const CliRun r
            = runCli({"generate", "--inventory", m_inventory, "--flows", bad, "--output", output});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(bad.toUtf8() + ":2: not a Hubble flow line"), r.err.constData());
        QVERIFY(!QFileInfo::exists(output));
    }

    void evidenceIsNeeded()
    {
        const CliRun r = runCli({"flows", "--inventory", m_inventory});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("give --capture or --flows"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_HubbleCli)
#include "tst_hubblecli.moc"
