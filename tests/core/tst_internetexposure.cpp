// The internet as a peer and the named mistakes, in the core: node pod ranges make addresses
// unattributed, a policy file is not an inventory, exposure to the internet on a hand-made
// graph, and which ipBlocks admit `world`.
#include "analysis/addressmap.h"
#include "design/decisionnetworks.h"
#include "design/intent.h"
#include "inventory/inventoryloader.h"
#include "policy/networkpolicy.h"
#include "review/decisionpeermatch.h"
#include "review/internetexposure.h"
#include "review/reviewjson.h"
#include "zones/zones.h"

#include <QtTest>

using namespace bulkhead;

namespace {

Cidr cidr(const char *text)
{
    return *Cidr::parse(text);
}

IpBlock block(const char *range, std::vector<Cidr> except = {})
{
    return IpBlock{cidr(range), std::move(except)};
}

} // namespace

class tst_InternetExposure : public QObject
{
    Q_OBJECT

private slots:
    void nodePodRangesAreClusterNetworks()
    {
        auto inventory = loadInventoryText(R"(apiVersion: v1
kind: Node
metadata: {name: n1}
spec:
  podCIDR: 10.244.2.0/24
  podCIDRs: [10.244.2.0/24, "fd00:10:244:2::/64"]
status:
  addresses: [{type: InternalIP, address: 172.18.0.4}]
)",
                                           "nodes.yaml");
        QVERIFY(inventory);
        QCOMPARE(inventory->clusterNetworks,
                 (std::vector<Cidr>{cidr("10.244.2.0/24"), cidr("fd00:10:244:2::/64")}));
        const AddressMap map(*inventory);
        QCOMPARE(map.lookup(*IpAddress::parse("10.244.2.250")).kind,
                 AddressMap::Kind::Unattributed);
        QCOMPARE(map.lookup(*IpAddress::parse("fd00:10:244:2::99")).kind,
                 AddressMap::Kind::Unattributed);
        QCOMPARE(map.lookup(*IpAddress::parse("10.244.3.1")).kind, AddressMap::Kind::External);
        QCOMPARE(map.lookup(*IpAddress::parse("172.18.0.4")).kind, AddressMap::Kind::Node);
    }

    void policyFileIsNotAnInventory()
    {
        const char *text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n"
                           "- {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: "
                           "{name: a}, spec: {podSelector: {}}}\n"
                           "- {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: "
                           "{name: b}, spec: {podSelector: {}}}\n";
        auto file = loadInventoryText(text, "p.yaml");
        QVERIFY(file);
        const std::optional<Error> wrong = notAnInventory(*file, "p.yaml");
        QVERIFY(wrong);
        QCOMPARE(wrong->toString(), std::string("p.yaml: is a policy file (2 NetworkPolicies), not "
                                                "an inventory: read it as policies (--policies)"));
        // An empty inventory is not a policy file.
        auto empty = loadInventoryText("apiVersion: v1\nkind: List\nitems: []\n", "e.yaml");
        QVERIFY(empty);
        QVERIFY(!notAnInventory(*empty, "e.yaml"));
    }

    // a (public) <- internet; a -> b -> c (restricted); d unreachable; c -> a closes a cycle.
    void exposureOnAHandMadeGraph()
    {
        Inventory inventory;
        for (const char *name : {"a", "b", "c", "d"}) {
            Workload w;
            w.ns = "shop";
            w.name = name;
            w.kind = "Deployment";
            inventory.workloads.push_back(std::move(w));
        }
        inventory.workloads[0].zone = "public";
        inventory.workloads[2].zone = "restricted";
        Zones zones;
        zones.levels = {{"public", ""}, {"internal", ""}, {"restricted", ""}};
        zones.defaultLevel = "internal";
        ReachGraph graph;
        graph.out = {{1}, {2}, {0}, {}};
        const int world = ensureWorldNetwork(inventory);
        std::vector<Edge> edges(1);
        edges[0].from = Peer{PeerKind::ExternalNetwork, world, {}};
        edges[0].to = Peer::workload(0);
        edges[0].port = 8080;
        const std::vector<int> direct = internetDirectFromEdges(inventory, edges);
        QCOMPARE(direct, std::vector<int>{0});
        const InternetExposure exposure = computeInternetExposure(inventory, zones, graph, direct);
        QCOMPARE(exposure.reach, (std::vector<int>{0, 1, 2}));
        QCOMPARE(exposure.highestZone, std::string("restricted"));
        QCOMPARE(exposure.byZone,
                 (std::map<std::string, int>{{"internal", 1}, {"public", 1}, {"restricted", 1}}));
        QCOMPARE(exposure.paths.at(2), (std::vector<int>{0, 1, 2}));
        const nlohmann::json json = internetExposureJson(inventory, exposure);
        QCOMPARE(json["paths"]["shop/c"].dump(),
                 std::string(R"(["internet","shop/a","shop/b","shop/c"])"));
        // Nothing direct, nothing reached; highestZone null.
        const InternetExposure none = computeInternetExposure(inventory, zones, graph, {});
        QVERIFY(none.reach.empty());
        QVERIFY(internetExposureJson(inventory, none)["highestZone"].is_null());
    }

    // An Ingress keeps only its namespace, name and backend Service names (defaultBackend and
    // every rule path; `resource` backends left out); a malformed one is an error at its line.
    void ingressRoutes()
    {
        auto inventory = loadInventoryText(R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend: {service: {name: fallback, port: {number: 80}}}
  rules:
  - http:
      paths:
      - {path: /b, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
      - {path: /a, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
      - {path: /s, pathType: Prefix, backend: {resource: {kind: Bucket, name: static}}}
  - host: tls-only.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: empty}
)",
                                           "ingress.yaml");
        QVERIFY(inventory);
        QCOMPARE(inventory->ingresses.size(), size_t(2));
        QCOMPARE(inventory->ingresses[0].id(), std::string("default/empty"));
        QVERIFY(inventory->ingresses[0].services.empty());
        QCOMPARE(inventory->ingresses[1].id(), std::string("shop/web"));
        QCOMPARE(inventory->ingresses[1].services,
                 (std::vector<std::string>{"api", "fallback", "web"}));
        QVERIFY(inventory->skippedKinds.empty());

        auto bad = loadInventoryText(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: w}\n"
            "spec:\n  rules:\n  - http:\n      paths: 3\n",
            "bad.yaml");
        QVERIFY(!bad);
        QVERIFY2(bad.error().toString().starts_with("bad.yaml:7: spec.rules[0].http.paths:"),
                 bad.error().toString().c_str());
    }

    void whichBlocksAdmitTheWorld_data()
    {
        QTest::addColumn<QString>("range");
        QTest::addColumn<QStringList>("except");
        QTest::addColumn<bool>("admits");
        QTest::newRow("0.0.0.0/0") << "0.0.0.0/0" << QStringList() << true;
        QTest::newRow("::/0") << "::/0" << QStringList() << true;
        QTest::newRow("pod range excepted") << "0.0.0.0/0" << QStringList{"10.244.2.0/24"} << true;
        QTest::newRow("private ranges excepted")
            << "0.0.0.0/0" << QStringList{"10.0.0.0/8", "192.168.0.0/16"} << true;
        QTest::newRow("node excepted") << "0.0.0.0/0" << QStringList{"172.18.0.4/32"} << true;
        QTest::newRow("public range excepted") << "0.0.0.0/0" << QStringList{"8.8.8.0/24"} << false;
        QTest::newRow("half the internet") << "0.0.0.0/1" << QStringList() << false;
        QTest::newRow("one address") << "203.0.113.5/32" << QStringList() << false;
    }
    void whichBlocksAdmitTheWorld()
    {
        QFETCH(QString, range);
        QFETCH(QStringList, except);
        QFETCH(bool, admits);
        Inventory inventory;
        inventory.clusterNetworks = {cidr("10.244.2.0/24")};
        inventory.nodes.push_back(Node{"n1", {*IpAddress::parse("172.18.0.4")}});
        const int world = ensureWorldNetwork(inventory);
        IpBlock b = block(range.toLatin1().constData());
        for (const QString &e : except)
            b.except.push_back(cidr(e.toLatin1().constData()));
        QCOMPARE(ipBlockCoversDecisionNetwork(inventory, b,
                                              inventory.externals[static_cast<size_t>(world)]),
                 admits);
    }

    void decisionPeerNames()
    {
        QVERIFY(isDecisionPeerName("world"));
        QVERIFY(isDecisionPeerName("198.51.100.0/24"));
        QVERIFY(isDecisionPeerName("2001:db8::/32"));
        QVERIFY(!isDecisionPeerName("198.51.100.7")); // an address is a lone external, as before
        QVERIFY(!isDecisionPeerName("shop/frontend"));
        QVERIFY(!isDecisionPeerName("worlds"));
        Inventory inventory;
        Decisions decisions;
        decisions.added.push_back(EdgeRef{"world", "shop/a", Protocol::TCP, 80});
        decisions.added.push_back(EdgeRef{"shop/a", "198.51.100.0/24", Protocol::TCP, 587});
        decisions.denied.push_back(EdgeRef{"world", "shop/b", Protocol::TCP, 80});
        addDecisionNetworks(inventory, decisions);
        QCOMPARE(inventory.externals.size(), size_t(2)); // world once
        QCOMPARE(inventory.externals[0].name, std::string("world"));
        QVERIFY(inventory.externals[0].fromDecision);
        QCOMPARE(inventory.externals[1].cidrs, std::vector<Cidr>{cidr("198.51.100.0/24")});
        // Never used to attribute: an observed address stays a lone external.
        QCOMPARE(AddressMap(inventory).lookup(*IpAddress::parse("198.51.100.9")).kind,
                 AddressMap::Kind::External);
    }
};

QTEST_GUILESS_MAIN(tst_InternetExposure)
#include "tst_internetexposure.moc"
