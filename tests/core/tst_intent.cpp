// The intent (docs/semantics.md "Concepts", "Zone rules"): observed + added - denied - blocked by a
// zone rule; flags; zone overrides; decisions naming what does not exist.
#include "analysis/analysis.h"
#include "design/intent.h"
#include "inventory/inventoryloader.h"
#include "zones/zones.h"

#include <QtTest>

using namespace bulkhead;

Q_DECLARE_METATYPE(bulkhead::Decisions)

namespace {

// shop: web (public) -> api (internal) -> cart (confidential) -> db (restricted); a declared
// network corp-vpn.
const char *inventoryYaml = R"(
apiVersion: bulkhead.io/v1alpha1
kind: Inventory
clusterNetworks: [10.244.0.0/16]
workloads:
  - {name: web, namespace: shop, labels: {app: web, bulkhead.io/sensitivity: public},
     addresses: [10.244.1.1], ports: [{name: http, port: 8080, protocol: TCP}]}
  - {name: api, namespace: shop, labels: {app: api}, addresses: [10.244.1.2],
     ports: [{port: 9000, protocol: TCP}]}
  - {name: cart, namespace: shop, labels: {app: cart, bulkhead.io/sensitivity: confidential},
     addresses: [10.244.1.3], ports: [{port: 7070, protocol: TCP}]}
  - {name: db, namespace: shop, labels: {app: db, bulkhead.io/sensitivity: restricted},
     addresses: [10.244.1.4], ports: [{port: 5432, protocol: TCP}]}
externals:
  - {name: corp-vpn, cidrs: [10.8.0.0/16]}
)";

const char *zonesYaml = R"(
apiVersion: bulkhead.io/v1alpha1
kind: Zones
rules:
  - {name: no-public-to-restricted, from: public, to: restricted, action: block}
  - {name: one-step-up, maxLevelsUp: 1, action: flag}
)";

struct Fixture
{
    Inventory inventory;
    Zones zones;
    Analysis analysis;
};

int workload(const Inventory &inventory, const char *name)
{
    const int w = inventory.findWorkload("shop", name);
    if (w < 0)
        qFatal("no workload %s", name);
    return w;
}

Edge edge(Peer from, Peer to, uint16_t port, uint64_t flows = 3)
{
    Edge e;
    e.from = from;
    e.to = to;
    e.protocol = Protocol::TCP;
    e.port = port;
    e.evidence.flows = flows;
    return e;
}

Fixture makeFixture()
{
    Fixture f;
    auto inventory = loadInventoryText(inventoryYaml, "inventory.yaml");
    if (!inventory)
        qFatal("%s", inventory.error().toString().c_str());
    f.inventory = std::move(*inventory);
    auto zones = loadZonesText(zonesYaml, "zones.yaml");
    if (!zones)
        qFatal("%s", zones.error().toString().c_str());
    f.zones = std::move(*zones);
    assignZones(f.inventory, f.zones);
    const Inventory &inv = f.inventory;
    const auto w = [&](const char *name) { return Peer::workload(workload(inv, name)); };
    f.analysis.edges = {
        edge(w("web"), w("api"), 9000),
        edge(w("api"), w("cart"), 7070),
        edge(w("cart"), w("db"), 5432),
        edge(w("web"), w("cart"), 7070), // public -> confidential: two levels up, flagged
        edge(Peer{PeerKind::External, -1, *IpAddress::parse("203.0.113.9")}, w("web"), 8080),
        edge(w("api"), Peer{PeerKind::ExternalNetwork, 0, {}}, 443),
    };
    std::sort(f.analysis.edges.begin(), f.analysis.edges.end(), edgeLess);
    return f;
}

QStringList texts(const Inventory &inventory, const std::vector<Edge> &edges)
{
    QStringList out;
    for (const Edge &e : edges)
        out << QString::fromStdString(edgeRefText(edgeRef(inventory, e)));
    return out;
}

QStringList texts(const Inventory &inventory, const std::vector<ZoneFinding> &findings)
{
    QStringList out;
    for (const ZoneFinding &f : findings)
        out << QString::fromStdString(edgeRefText(edgeRef(inventory, f.edge)) + " [" + f.rule + ' '
                                      + std::string(zoneActionName(f.action)) + ']');
    return out;
}

EdgeRef ref(const char *from, const char *to, uint16_t port, Protocol protocol = Protocol::TCP)
{
    return EdgeRef{from, to, protocol, port};
}

const QStringList observedEdges = {
    "shop/api -> shop/cart TCP/7070", "shop/api -> corp-vpn TCP/443",
    "shop/cart -> shop/db TCP/5432",  "shop/web -> shop/api TCP/9000",
    "shop/web -> shop/cart TCP/7070", "203.0.113.9 -> shop/web TCP/8080",
};

} // namespace

class tst_Intent : public QObject
{
    Q_OBJECT

private slots:
    void intent_data();
    void intent();
    void deniedKeepsEvidence();
    void addedObservedEdgeKeepsEvidence();
    void applyZoneOverrides();
    void edgeRefRoundTrip();
};

void tst_Intent::intent_data()
{
    QTest::addColumn<Decisions>("decisions");
    QTest::addColumn<QStringList>("edges");
    QTest::addColumn<QStringList>("flagged");
    QTest::addColumn<QStringList>("blocked");
    QTest::addColumn<QStringList>("denied");
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<QStringList>("warningsMention");

    const QString flagWebCart = "shop/web -> shop/cart TCP/7070 [one-step-up flag]";

    QTest::newRow("observed only")
        << Decisions{} << observedEdges << QStringList{flagWebCart} << QStringList{}
        << QStringList{} << QStringList{} << QStringList{};

    {
        Decisions d;
        d.added = {ref("shop/web", "shop/db", 5432)};
        QTest::newRow("added edge blocked by a rule")
            << d << observedEdges << QStringList{flagWebCart}
            << QStringList{"shop/web -> shop/db TCP/5432 [no-public-to-restricted block]"}
            << QStringList{} << QStringList{"shop/web -> shop/db TCP/5432"} << QStringList{};
    }
    {
        Decisions d;
        d.added = {ref("shop/api", "shop/db", 5432, Protocol::UDP)}; // internal -> restricted
        QStringList edges = observedEdges;
        edges.insert(1, "shop/api -> shop/db UDP/5432"); // workloads sort before networks
        QTest::newRow("added edge flagged")
            << d << edges
            << QStringList{"shop/api -> shop/db UDP/5432 [one-step-up flag]", flagWebCart}
            << QStringList{} << QStringList{} << QStringList{"shop/api -> shop/db UDP/5432"}
            << QStringList{};
    }
    {
        Decisions d;
        d.denied = {ref("shop/api", "shop/cart", 7070), ref("shop/web", "shop/cart", 7070)};
        QStringList edges = observedEdges;
        edges.removeAll("shop/api -> shop/cart TCP/7070");
        edges.removeAll("shop/web -> shop/cart TCP/7070");
        QTest::newRow("denied observed edges leave, with their flag")
            << d << edges << QStringList{} << QStringList{}
            << QStringList{"shop/api -> shop/cart TCP/7070", "shop/web -> shop/cart TCP/7070"}
            << QStringList{} << QStringList{};
    }
    {
        Decisions d;
        d.added = {ref("shop/db", "198.51.100.7", 443), ref("shop/cart", "corp-vpn", 22),
                   ref("shop/cart", "10.8.3.4", 23)};
        QStringList edges = observedEdges;
        edges.insert(3, "shop/cart -> corp-vpn TCP/22");
        edges.insert(4, "shop/cart -> corp-vpn TCP/23"); // an address in the network is the network
        edges.insert(5, "shop/db -> 198.51.100.7 TCP/443");
        QTest::newRow("added edges to externals: address and network name")
            << d << edges << QStringList{flagWebCart} << QStringList{} << QStringList{}
            << QStringList{"shop/cart -> corp-vpn TCP/22", "shop/cart -> corp-vpn TCP/23",
                           "shop/db -> 198.51.100.7 TCP/443"}
            << QStringList{};
    }
    {
        Decisions d;
        d.added = {ref("shop/api", "shop/db", 5432)};
        d.denied = {ref("shop/api", "shop/db", 5432)};
        QTest::newRow("denied wins over added")
            << d << observedEdges << QStringList{flagWebCart} << QStringList{}
            << QStringList{"shop/api -> shop/db TCP/5432"} << QStringList{} << QStringList{};
    }
    {
        Decisions d;
        d.zoneOverrides = {{"shop/cart", "restricted"}};
        QStringList edges = observedEdges;
        edges.removeAll("shop/web -> shop/cart TCP/7070");
        QTest::newRow("zone override: cart restricted, web -> cart blocked")
            << d << edges << QStringList{"shop/api -> shop/cart TCP/7070 [one-step-up flag]"}
            << QStringList{"shop/web -> shop/cart TCP/7070 [no-public-to-restricted block]"}
            << QStringList{} << QStringList{} << QStringList{};
    }
    {
        Decisions d;
        d.zoneOverrides = {{"shop/web", "internal"}};
        QTest::newRow("zone override: web internal, nothing flagged")
            << d << observedEdges << QStringList{} << QStringList{} << QStringList{}
            << QStringList{} << QStringList{};
    }
    {
        Decisions d;
        d.added = {ref("shop/nope", "shop/db", 5432), ref("shop/web", "10.244.9.9", 80),
                   ref("shop/web", "no-such-net", 80), ref("203.0.113.1", "corp-vpn", 80),
                   ref("shop/web", "shop/api", 0)};
        d.denied = {ref("shop/web", "shop/gone", 80)};
        QTest::newRow("decisions naming nothing are warned and ignored")
            << d << observedEdges << QStringList{flagWebCart} << QStringList{} << QStringList{}
            << QStringList{} << QStringList{"shop/gone",   "shop/nope",   "10.244.9.9",
                                            "no-such-net", "neither end", "port 0"};
    }
}

void tst_Intent::intent()
{
    QFETCH(Decisions, decisions);
    QFETCH(QStringList, edges);
    QFETCH(QStringList, flagged);
    QFETCH(QStringList, blocked);
    QFETCH(QStringList, denied);
    QFETCH(QStringList, added);
    QFETCH(QStringList, warningsMention);

    const Fixture f = makeFixture();
    const Intent intent = computeIntent(f.inventory, f.zones, f.analysis, decisions);
    QCOMPARE(texts(f.inventory, intent.edges), edges);
    QCOMPARE(texts(f.inventory, intent.flagged), flagged);
    QCOMPARE(texts(f.inventory, intent.blocked), blocked);
    QCOMPARE(texts(f.inventory, intent.denied), denied);
    QCOMPARE(texts(f.inventory, intent.added), added);
    QCOMPARE(intent.warnings.size(), size_t(warningsMention.size()));
    for (int i = 0; i < warningsMention.size(); ++i) {
        const std::string &warning = intent.warnings[size_t(i)];
        QVERIFY2(warning.find(warningsMention[i].toStdString()) != std::string::npos,
                 warning.c_str());
    }
    QVERIFY(std::is_sorted(intent.edges.begin(), intent.edges.end(), edgeLess));
}

void tst_Intent::deniedKeepsEvidence()
{
    Fixture f = makeFixture();
    f.analysis.edges[0].evidence.flows = 42; // shop/api -> shop/cart
    Decisions d;
    d.denied = {ref("shop/api", "shop/cart", 7070)};
    const Intent intent = computeIntent(f.inventory, f.zones, f.analysis, d);
    QCOMPARE(intent.denied.size(), size_t(1));
    QCOMPARE(intent.denied[0].evidence.flows, uint64_t(42));
}

void tst_Intent::addedObservedEdgeKeepsEvidence()
{
    Fixture f = makeFixture();
    Decisions d;
    d.added = {ref("shop/web", "shop/api", 9000), ref("shop/web", "shop/api", 9000)};
    const Intent intent = computeIntent(f.inventory, f.zones, f.analysis, d);
    QCOMPARE(texts(f.inventory, intent.edges), observedEdges);
    QCOMPARE(intent.added.size(), size_t(1));
    QCOMPARE(intent.added[0].evidence.flows, uint64_t(3));
}

void tst_Intent::applyZoneOverrides()
{
    Fixture f = makeFixture();
    Decisions d;
    d.zoneOverrides
        = {{"shop/cart", "restricted"}, {"shop/ghost", "public"}, {"shop/api", "secret"}};
    std::vector<std::string> warnings;
    bulkhead::applyZoneOverrides(f.inventory, f.zones, d, warnings);
    QCOMPARE(f.inventory.workloads[size_t(workload(f.inventory, "cart"))].zone,
             std::string("restricted"));
    QCOMPARE(f.inventory.workloads[size_t(workload(f.inventory, "api"))].zone,
             std::string("internal"));
    QCOMPARE(warnings.size(), size_t(2));
    // std::map order: shop/api, then shop/ghost.
    QVERIFY2(warnings[0].find("\"secret\" is not a zone level") != std::string::npos,
             warnings[0].c_str());
    QVERIFY2(warnings[1].find("no workload \"shop/ghost\"") != std::string::npos,
             warnings[1].c_str());

    // With the overrides applied and no decisions, the intent is the same as with them.
    const Intent applied = computeIntent(f.inventory, f.zones, f.analysis, Decisions{});
    const Fixture fresh = makeFixture();
    const Intent viaDecisions = computeIntent(fresh.inventory, fresh.zones, fresh.analysis, d);
    QCOMPARE(texts(f.inventory, applied.blocked), texts(fresh.inventory, viaDecisions.blocked));
    QCOMPARE(texts(f.inventory, applied.blocked),
             QStringList{"shop/web -> shop/cart TCP/7070 [no-public-to-restricted block]"});
}

void tst_Intent::edgeRefRoundTrip()
{
    const Fixture f = makeFixture();
    for (const Edge &e : f.analysis.edges) {
        Decisions d;
        d.denied = {edgeRef(f.inventory, e)};
        const Intent intent = computeIntent(f.inventory, f.zones, f.analysis, d);
        QCOMPARE(intent.denied.size(), size_t(1));
        QVERIFY(sameEdge(intent.denied[0], e));
        QCOMPARE(intent.edges.size(), f.analysis.edges.size() - 1);
    }
}

QTEST_GUILESS_MAIN(tst_Intent)
#include "tst_intent.moc"
