// Names for outside peers: DNS answers (A/AAAA, CNAME chains back to the name asked, UDP and TCP)
// and TLS ClientHello server names, from captures the test writes, through the real reader; and
// the malformed variants that must name nothing.
#include "capture/dnsparser.h"
#include "capture/flowtable.h"
#include "capture/tlsparser.h"
#include "capturewriter.h"
#include "model/buildmodel.h"
#include "namemessages.h"
#include "packetbuilder.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QtTest>

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
  metadata: {name: web, namespace: shop, labels: {app: web}}
  spec: {containers: [{name: c}]}
  status: {phase: Running, podIP: 10.244.1.10, hostIP: 172.18.0.2}
---
apiVersion: bulkhead.io/v1alpha1
kind: Inventory
clusterNetworks: [10.244.0.0/16, 10.96.0.0/12]
)";

const IpAddress pod = ip("10.244.1.10");
const IpAddress resolver = ip("10.96.0.10");

} // namespace

class tst_PeerNames : public QObject
{
    Q_OBJECT

private slots:
    void cnameChainBackToTheQuestion()
    {
        const auto msg = dnsResponse(7, "api.example.com", 1,
                                     {{"api.example.com", 5, "api.example.com.cdn.net", {}},
                                      {"api.example.com.cdn.net", 5, "edge7.cdn.net", {}},
                                      {"edge7.cdn.net", 1, "", ip("203.0.113.50")},
                                      {"edge7.cdn.net", 1, "", ip("203.0.113.51")},
                                      {"unrelated.example.org", 1, "", ip("198.51.100.9")}});
        DnsAnswers answers;
        QVERIFY(parseDnsResponse(msg.data(), msg.size(), answers));
        QCOMPARE(answers.asked(), std::string_view("api.example.com"));
        QCOMPARE(answers.count, 2); // the unrelated record gives no name
        QCOMPARE(answers.addresses[0], ip("203.0.113.50"));
        QCOMPARE(answers.addresses[1], ip("203.0.113.51"));
    }

    void malformedDnsNamesNothing_data()
    {
        QTest::addColumn<QByteArray>("message");
        const auto good = dnsResponse(1, "api.example.com", 1,
                                      {{"api.example.com", 1, "", ip("203.0.113.50")}});
        auto bytes = [](const std::vector<uint8_t> &v) {
            return QByteArray(reinterpret_cast<const char *>(v.data()), qsizetype(v.size()));
        };
        QTest::newRow("cut in the answer") << bytes(good).left(qsizetype(good.size() - 3));
        QTest::newRow("header only") << bytes(good).left(12);
        QTest::newRow("NXDOMAIN") << bytes(dnsResponse(
            1, "api.example.com", 1, {{"api.example.com", 1, "", ip("203.0.113.50")}}, true, 3));
        auto query = good;
        query[2] &= 0x7F; // QR = 0: a query
        QTest::newRow("a query") << bytes(query);
        auto loop = good;
        // The answer's owner pointer (offset 12) made to point at itself.
        const size_t answerAt = 12 + 17 + 4;
        loop[answerAt] = uint8_t(0xC0);
        loop[answerAt + 1] = uint8_t(answerAt);
        QTest::newRow("compression loop") << bytes(loop);
        auto longLabel = good;
        longLabel[12] = 0x7F; // a label longer than the message
        QTest::newRow("label past the end") << bytes(longLabel);
    }
    void malformedDnsNamesNothing()
    {
        QFETCH(QByteArray, message);
        DnsAnswers answers;
        QVERIFY(!parseDnsResponse(reinterpret_cast<const uint8_t *>(message.constData()),
                                  size_t(message.size()), answers));
        QCOMPARE(answers.count, 0);
    }

    void tlsServerName()
    {
        const auto hello = tlsClientHello("Shop.Example.COM");
        TlsServerName sni;
        QVERIFY(parseTlsClientHelloSni(hello.data(), hello.size(), sni));
        QCOMPARE(sni.view(), std::string_view("shop.example.com"));
        const auto none = tlsClientHello("");
        QVERIFY(!parseTlsClientHelloSni(none.data(), none.size(), sni));
        for (size_t cut = 0; cut < hello.size();
             ++cut) // every truncation: no name, no read past the end
            QVERIFY(!parseTlsClientHelloSni(hello.data(), cut, sni)
                    || sni.view() == "shop.example.com");
        auto notHandshake = hello;
        notHandshake[0] = 23; // application data
        QVERIFY(!parseTlsClientHelloSni(notHandshake.data(), notHandshake.size(), sni));
    }

    // From a capture: DNS over UDP (A via CNAME) and TCP (AAAA), a TLS ClientHello, and a
    // malformed answer; the names reach the analysis for the external peers of edges.
    void namesFromACapture()
    {
        QTemporaryDir dir;
        const std::string inventory = dir.filePath("inventory.yaml").toStdString();
        std::ofstream(inventory) << inventoryYaml;
        const std::string capture = dir.filePath("names.pcap").toStdString();
        const IpAddress v4a = ip("203.0.113.50"), v4b = ip("203.0.113.51"), v6 = ip("2001:db8::50"),
                        sniServer = ip("198.51.100.7"), bogus = ip("192.0.2.99");
        {
            PacketBuilder b;
            CaptureWriter w(capture, LinkType::Ethernet);
            int64_t t = 1796292000000000;
            // DNS over UDP: api.example.com -> CNAME -> two A records.
            w.write(t++, b.udpData(resolver, 53, pod, 33000,
                                   dnsResponse(1, "api.example.com", 1,
                                               {{"api.example.com", 5, "lb.example.net", {}},
                                                {"lb.example.net", 1, "", v4a},
                                                {"lb.example.net", 1, "", v4b}})));
            // DNS over TCP: AAAA.
            w.write(t++, b.tcpData(resolver, 53, pod, 33001, tcp::ACK | tcp::PSH,
                                   withTcpLength(dnsResponse(2, "v6.example.com", 28,
                                                             {{"v6.example.com", 28, "", v6}}))));
            // A malformed answer (cut short) names nothing.
            auto cut
                = dnsResponse(3, "bogus.example.com", 1, {{"bogus.example.com", 1, "", bogus}});
            cut.resize(cut.size() - 2);
            w.write(t++, b.udpData(resolver, 53, pod, 33002, cut));
            // TLS to a server no DNS answer named.
            w.write(t++, b.tcp(pod, 41000, sniServer, 443, tcp::SYN));
            w.write(t++, b.tcp(sniServer, 443, pod, 41000, tcp::SYN | tcp::ACK));
            w.write(t++, b.tcpData(pod, 41000, sniServer, 443, tcp::ACK | tcp::PSH,
                                   tlsClientHello("pay.example.org")));
            // Connections to the named addresses.
            for (const IpAddress &server : {v4a, v4b, bogus}) {
                w.write(t++, b.tcp(pod, 42000, server, 443, tcp::SYN));
                w.write(t++, b.tcp(server, 443, pod, 42000, tcp::SYN | tcp::ACK));
            }
            QVERIFY(w.close());
        }
        // Every name the reader learnt, DNS over TCP with AAAA included.
        FlowTable table;
        QVERIFY(readCaptureFile(capture, 0, table));
        const auto learnt = table.names().byAddress();
        QCOMPARE(learnt.size(), size_t(4));
        QCOMPARE(learnt.at(v6), std::vector<std::string>{"v6.example.com"});
        QVERIFY(learnt.find(bogus) == learnt.end());

        PipelineInputs inputs;
        inputs.inventories = {inventory};
        inputs.captures = {capture};
        auto model = buildModel(inputs);
        QVERIFY_OK(model);
        const auto &names = model->analysis.externalNames;
        // Only external peers of edges: v6 has no connection, the resolver is inside the cluster.
        const std::map<IpAddress, std::vector<std::string>> expected
            = {{sniServer, {"pay.example.org"}},
               {v4a, {"api.example.com"}},
               {v4b, {"api.example.com"}}};
        QCOMPARE(names, expected);
        QVERIFY(names.find(bogus) == names.end());
    }
};

QTEST_GUILESS_MAIN(tst_PeerNames)
#include "tst_peernames.moc"
