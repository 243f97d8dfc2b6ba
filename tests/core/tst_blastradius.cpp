// Blast radius (docs/semantics.md "Blast radius"): reach, direct exposure, reverse reach, highest
// zone, shortest paths, counts per zone and the "no policy" baseline; on a hand-made graph and on
// the sample.
#include "analysis/analysis.h"
#include "design/intent.h"
#include "inventory/inventoryloader.h"
#include "model/buildmodel.h"
#include "review/blastradius.h"
#include "review/reviewjson.h"
#include "testsupport.h"
#include "zones/zones.h"

#include <QtTest>

#include <filesystem>

using namespace bulkhead;

namespace {

// shop: a (public), b, f, iso (internal), c (confidential), d, e (restricted); shop-x/z (internal)
// sorts after shop/* by (namespace, name) but before them by "ns/name".
const char *inventoryYaml = R"(
apiVersion: bulkhead.io/v1alpha1
kind: Inventory
workloads:
  - {name: a, namespace: shop, labels: {app: a, bulkhead.io/sensitivity: public}, addresses: [10.0.0.1]}
  - {name: b, namespace: shop, labels: {app: b}, addresses: [10.0.0.2]}
  - {name: c, namespace: shop, labels: {app: c, bulkhead.io/sensitivity: confidential}, addresses: [10.0.0.3]}
  - {name: d, namespace: shop, labels: {app: d, bulkhead.io/sensitivity: restricted}, addresses: [10.0.0.4]}
  - {name: e, namespace: shop, labels: {app: e, bulkhead.io/sensitivity: restricted}, addresses: [10.0.0.5]}
  - {name: f, namespace: shop, labels: {app: f}, addresses: [10.0.0.6]}
  - {name: iso, namespace: shop, labels: {app: iso}, addresses: [10.0.0.7]}
  - {name: z, namespace: shop-x, labels: {app: z}, addresses: [10.0.0.8]}
)";

struct Fixture
{
    Inventory inventory;
    Zones zones;
    std::vector<Edge> edges;
};

int index(const Inventory &inventory, const QString &id)
{
    const std::string text = id.contains('/') ? id.toStdString() : "shop/" + id.toStdString();
    const size_t slash = text.find('/');
    const int w = inventory.findWorkload(text.substr(0, slash), text.substr(slash + 1));
    if (w < 0)
        qFatal("no workload %s", text.c_str());
    return w;
}

Edge edge(const Inventory &inventory, const char *from, const char *to, uint16_t port)
{
    Edge e;
    e.from = Peer::workload(index(inventory, from));
    e.to = Peer::workload(index(inventory, to));
    e.port = port;
    e.evidence.flows = 1;
    return e;
}

// a -> b, f, z; b -> c; b -> b (self); f -> c, e; c -> d, e; d -> a; a -> 198.51.100.1 (external).
Fixture makeFixture(const char *zonesYaml = nullptr)
{
    Fixture f;
    auto inventory = loadInventoryText(inventoryYaml, "inventory.yaml");
    if (!inventory)
        qFatal("%s", inventory.error().toString().c_str());
    f.inventory = std::move(*inventory);
    if (zonesYaml) {
        auto zones = loadZonesText(zonesYaml, "zones.yaml");
        if (!zones)
            qFatal("%s", zones.error().toString().c_str());
        f.zones = std::move(*zones);
    } else {
        f.zones = defaultZones();
    }
    assignZones(f.inventory, f.zones);
    const Inventory &inv = f.inventory;
    f.edges = {edge(inv, "a", "b", 80), edge(inv, "a", "f", 80), edge(inv, "a", "shop-x/z", 80),
               edge(inv, "b", "c", 80), edge(inv, "b", "c", 81), edge(inv, "b", "b", 80),
               edge(inv, "f", "c", 80), edge(inv, "f", "e", 80), edge(inv, "c", "d", 80),
               edge(inv, "c", "e", 80), edge(inv, "d", "a", 80)};
    Edge external;
    external.from = Peer::workload(index(inv, "a"));
    external.to = Peer{PeerKind::External, -1, *IpAddress::parse("198.51.100.1")};
    external.port = 443;
    f.edges.push_back(external);
    std::sort(f.edges.begin(), f.edges.end(), edgeLess);
    return f;
}

QStringList names(const Inventory &inventory, const std::vector<int> &workloads)
{
    QStringList out;
    for (int w : workloads)
        out << QString::fromStdString(inventory.workloads[size_t(w)].id());
    return out;
}

QStringList ids(const QStringList &shortNames)
{
    QStringList out;
    for (const QString &n : shortNames)
        out << (n.contains('/') ? n : "shop/" + n);
    return out;
}

// "target: a > b > c", workload names without their namespace
QStringList pathTexts(const Inventory &inventory, const ShortestPaths &paths)
{
    QStringList out;
    for (const auto &[target, path] : paths) {
        QStringList steps;
        for (int step : path)
            steps << QString::fromStdString(inventory.workloads[size_t(step)].name);
        out << QString::fromStdString(inventory.workloads[size_t(target)].name) + ": "
                   + steps.join(" > ");
    }
    return out;
}

QStringList zoneTexts(const std::map<std::string, int> &byZone)
{
    QStringList out;
    for (const auto &[zone, count] : byZone)
        out << QString::fromStdString(zone) + '=' + QString::number(count);
    return out;
}

QStringList hopTexts(const Inventory &inventory, const std::vector<int> &hops)
{
    QStringList out;
    for (size_t w = 0; w < hops.size(); ++w)
        out << QString::fromStdString(inventory.workloads[w].name) + '=' + QString::number(hops[w]);
    return out;
}

void compareRadius(const Inventory &inventory, const BlastRadius &r, const QStringList &reach,
                   const QStringList &direct, const QStringList &reachedBy,
                   const QString &highestZone, const QStringList &paths, const QStringList &byZone)
{
    // Index order: shop/* then shop-x/z.
    QCOMPARE(names(inventory, r.reach), ids(reach));
    QCOMPARE(names(inventory, r.direct), ids(direct));
    QCOMPARE(names(inventory, r.reachedBy), ids(reachedBy));
    QCOMPARE(QString::fromStdString(r.highestZone), highestZone);
    QCOMPARE(pathTexts(inventory, r.paths), paths);
    QCOMPARE(zoneTexts(r.byZone), byZone);
}

} // namespace

class tst_BlastRadius : public QObject
{
    Q_OBJECT

private slots:
    void intentGraph_data();
    void intentGraph();
    void hops();
    void noPolicy();
    void blockRuleShrinksRadius();
    void predicateAndOnDemandReverse();
    void reachCounts();
    void json();
    void sample_data();
    void sample();
};

void tst_BlastRadius::intentGraph_data()
{
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QStringList>("reach");
    QTest::addColumn<QStringList>("direct");
    QTest::addColumn<QStringList>("reachedBy");
    QTest::addColumn<QString>("highestZone");
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<QStringList>("byZone");

    // b is visited before f (index order), so d is reached through b; e is two hops away through f.
    QTest::newRow("a") << "a" << QStringList{"b", "c", "d", "e", "f", "shop-x/z"}
                       << QStringList{"b", "f", "shop-x/z"} << QStringList{"b", "c", "d", "f"}
                       << "restricted" << QStringList{"d: a > b > c > d", "e: a > f > e"}
                       << QStringList{"confidential=1", "internal=3", "restricted=2"};
    QTest::newRow("c: the cycle back through d")
        << "c" << QStringList{"a", "b", "d", "e", "f", "shop-x/z"} << QStringList{"d", "e"}
        << QStringList{"a", "b", "d", "f"} << "restricted" << QStringList{"d: c > d", "e: c > e"}
        << QStringList{"internal=3", "public=1", "restricted=2"};
    QTest::newRow("e: a sink") << "e" << QStringList{} << QStringList{}
                               << QStringList{"a", "b", "c", "d", "f"} << "" << QStringList{}
                               << QStringList{};
    QTest::newRow("iso: isolated") << "iso" << QStringList{} << QStringList{} << QStringList{} << ""
                                   << QStringList{} << QStringList{};
    QTest::newRow("z: reached only from a's cycle")
        << "shop-x/z" << QStringList{} << QStringList{} << QStringList{"a", "b", "c", "d", "f"}
        << "" << QStringList{} << QStringList{};
}

void tst_BlastRadius::intentGraph()
{
    QFETCH(QString, workload);
    QFETCH(QStringList, reach);
    QFETCH(QStringList, direct);
    QFETCH(QStringList, reachedBy);
    QFETCH(QString, highestZone);
    QFETCH(QStringList, paths);
    QFETCH(QStringList, byZone);

    const Fixture f = makeFixture();
    const ReachGraph graph = reachFromEdges(f.inventory, f.edges);
    QVERIFY(!graph.complete);
    const int w = index(f.inventory, workload);
    const BlastRadius r = computeBlastRadius(f.inventory, f.zones, graph, w);
    QCOMPARE(r.workload, w);
    QCOMPARE(r.baseline, 7);
    compareRadius(f.inventory, r, reach, direct, reachedBy, highestZone, paths, byZone);

    // computeBlastRadii gives the same, in index order.
    const std::vector<BlastRadius> all = computeBlastRadii(f.inventory, f.zones, graph);
    QCOMPARE(all.size(), f.inventory.workloads.size());
    compareRadius(f.inventory, all[size_t(w)], reach, direct, reachedBy, highestZone, paths,
                  byZone);
}

void tst_BlastRadius::hops()
{
    const Fixture f = makeFixture();
    const ReachGraph graph = reachFromEdges(f.inventory, f.edges);
    QCOMPARE(
        hopTexts(f.inventory,
                 computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, "a")).hops),
        (QStringList{"a=0", "b=1", "c=2", "d=3", "e=2", "f=1", "iso=-1", "z=1"}));
    QCOMPARE(
        hopTexts(f.inventory,
                 computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, "c")).hops),
        (QStringList{"a=2", "b=3", "c=0", "d=1", "e=1", "f=3", "iso=-1", "z=3"}));
}

void tst_BlastRadius::noPolicy()
{
    const Fixture f = makeFixture();
    const ReachGraph graph = reachWithoutPolicy(f.inventory);
    QVERIFY(graph.complete);
    const QStringList everyone = {"a", "b", "c", "d", "e", "f", "iso", "shop-x/z"};
    for (const QString &name : everyone) {
        QStringList others = everyone;
        others.removeAll(name);
        const BlastRadius r
            = computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, name));
        QCOMPARE(names(f.inventory, r.reach), ids(others));
        QCOMPARE(names(f.inventory, r.direct), ids(others));
        QCOMPARE(names(f.inventory, r.reachedBy), ids(others));
        QCOMPARE(int(r.reach.size()), r.baseline);
        QCOMPARE(r.hops.size(), size_t(8));
        QCOMPARE(std::count(r.hops.begin(), r.hops.end(), 1), 7L);
    }
    const BlastRadius a = computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, "a"));
    QCOMPARE(a.highestZone, std::string("restricted"));
    QCOMPARE(pathTexts(f.inventory, a.paths), (QStringList{"d: a > d", "e: a > e"}));
    QCOMPARE(zoneTexts(a.byZone), (QStringList{"confidential=1", "internal=4", "restricted=2"}));
    const BlastRadius d = computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, "d"));
    QCOMPARE(pathTexts(f.inventory, d.paths), (QStringList{"e: d > e"}));
}

void tst_BlastRadius::blockRuleShrinksRadius()
{
    // Blocking internal -> confidential cuts b -> c and f -> c: c, and d behind it, drop out of a's
    // reach; e stays reachable through f.
    const char *zonesYaml = R"(
apiVersion: bulkhead.io/v1alpha1
kind: Zones
rules:
  - {name: no-internal-to-confidential, from: internal, to: confidential, action: block}
)";
    const Fixture f = makeFixture(zonesYaml);
    Analysis analysis;
    analysis.edges = f.edges;
    const Intent intent = computeIntent(f.inventory, f.zones, analysis, Decisions{});
    QCOMPARE(intent.blocked.size(), size_t(3)); // b -> c on 80 and 81, f -> c
    const ReachGraph graph = reachFromEdges(f.inventory, intent.edges);
    const BlastRadius a = computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, "a"));
    compareRadius(f.inventory, a, {"b", "e", "f", "shop-x/z"}, {"b", "f", "shop-x/z"}, {"c", "d"},
                  "restricted", {"e: a > f > e"}, {"internal=3", "restricted=1"});
    // Without the rule the same intent computation keeps every edge: a reaches six workloads.
    const Fixture open = makeFixture();
    const Intent openIntent = computeIntent(open.inventory, open.zones, analysis, Decisions{});
    const ReachGraph openGraph = reachFromEdges(open.inventory, openIntent.edges);
    QCOMPARE(computeBlastRadius(open.inventory, open.zones, openGraph, index(open.inventory, "a"))
                 .reach.size(),
             size_t(6));
}

void tst_BlastRadius::predicateAndOnDemandReverse()
{
    const Fixture f = makeFixture();
    const ReachGraph fromEdges = reachFromEdges(f.inventory, f.edges);
    const ReachGraph fromPredicate
        = reachFromPredicate(f.inventory.workloads.size(), [&](int from, int to) {
              const auto &out = fromEdges.out[size_t(from)];
              return std::binary_search(out.begin(), out.end(), to);
          });
    QCOMPARE(fromPredicate.out, fromEdges.out);
    QCOMPARE(fromPredicate.in, fromEdges.in);

    // A graph built by hand, without its reverse: reachedBy is still right.
    ReachGraph byHand;
    byHand.out = fromEdges.out;
    const int e = index(f.inventory, "e");
    QCOMPARE(names(f.inventory, computeBlastRadius(f.inventory, f.zones, byHand, e).reachedBy),
             ids({"a", "b", "c", "d", "f"}));
}

void tst_BlastRadius::reachCounts()
{
    const Fixture f = makeFixture();
    const ReachGraph graph = reachFromEdges(f.inventory, f.edges);
    // a, b, c, d, f are one cycle reaching z and e too; e, iso and z reach nobody.
    const std::vector<int> counts = bulkhead::reachCounts(graph, f.inventory.workloads.size());
    QStringList texts;
    for (size_t w = 0; w < counts.size(); ++w)
        texts << QString::fromStdString(f.inventory.workloads[w].name) + '='
                     + QString::number(counts[w]);
    QCOMPARE(texts, (QStringList{"a=6", "b=6", "c=6", "d=6", "e=0", "f=6", "iso=0", "z=0"}));
    QCOMPARE(bulkhead::reachCounts(reachWithoutPolicy(f.inventory), 8), std::vector<int>(8, 7));

    // A chain of 5,000 workloads (beyond one bitset block of 4,096 components), 0 -> 1 -> ... ->
    // 4,999, with a cycle 10 -> 11 -> 12 -> 10: workload i reaches the 4,999 - i after it, and
    // 10, 11 and 12 also each other.
    const size_t n = 5000;
    ReachGraph chain;
    chain.out.resize(n);
    for (size_t i = 0; i + 1 < n; ++i)
        chain.out[i].push_back(int(i + 1));
    chain.out[12].insert(chain.out[12].begin(), 10);
    const std::vector<int> chainCounts = bulkhead::reachCounts(chain, n);
    QCOMPARE(chainCounts[0], 4999);
    QCOMPARE(chainCounts[9], 4990);
    QCOMPARE(chainCounts[10], 4989); // 11, 12 and 13..4,999
    QCOMPARE(chainCounts[11], 4989);
    QCOMPARE(chainCounts[12], 4989);
    QCOMPARE(chainCounts[13], 4986);
    QCOMPARE(chainCounts[4095], 904);
    QCOMPARE(chainCounts[4096], 903);
    QCOMPARE(chainCounts[4999], 0);

    // Equal to each radius's reach on a graph of small clusters linked one way (many components).
    Fixture many;
    const int m = 300;
    for (int i = 0; i < m; ++i) {
        Workload w;
        w.ns = "ns";
        w.name = "w" + std::to_string(i);
        many.inventory.workloads.push_back(std::move(w));
    }
    many.zones = defaultZones();
    ReachGraph clusters;
    clusters.out.resize(size_t(m));
    for (int i = 0; i < m; ++i) {
        clusters.out[size_t(i)].push_back(i / 5 * 5 + (i + 1) % 5); // a cycle of five
        if (i % 7 == 0 && i + 11 < m)
            clusters.out[size_t(i)].push_back(i + 11); // onward, never back
        std::sort(clusters.out[size_t(i)].begin(), clusters.out[size_t(i)].end());
    }
    const std::vector<int> clusterCounts = bulkhead::reachCounts(clusters, size_t(m));
    const std::vector<BlastRadius> radii = computeBlastRadii(many.inventory, many.zones, clusters);
    for (int i = 0; i < m; ++i)
        QCOMPARE(clusterCounts[size_t(i)], int(radii[size_t(i)].reach.size()));
    QCOMPARE(clusterCounts[size_t(m - 1)], 4); // the last cluster reaches only itself
}

void tst_BlastRadius::json()
{
    const Fixture f = makeFixture();
    const ReachGraph graph = reachFromEdges(f.inventory, f.edges);
    const nlohmann::json a = blastRadiusJson(
        f.inventory, computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, "a")));
    const nlohmann::json expected = nlohmann::json::parse(R"({
        "workload": "shop/a", "zone": "public",
        "reach": ["shop-x/z", "shop/b", "shop/c", "shop/d", "shop/e", "shop/f"],
        "direct": ["shop-x/z", "shop/b", "shop/f"],
        "reachedBy": ["shop/b", "shop/c", "shop/d", "shop/f"],
        "highestZone": "restricted",
        "paths": {"shop/d": ["shop/a", "shop/b", "shop/c", "shop/d"], "shop/e": ["shop/a", "shop/f", "shop/e"]},
        "byZone": {"confidential": 1, "internal": 3, "restricted": 2},
        "baseline": 7})");
    QCOMPARE(QString::fromStdString(a.dump()), QString::fromStdString(expected.dump()));

    const nlohmann::json iso = blastRadiusJson(
        f.inventory, computeBlastRadius(f.inventory, f.zones, graph, index(f.inventory, "iso")));
    QVERIFY(iso["highestZone"].is_null());
    QVERIFY(iso["paths"].is_object() && iso["paths"].empty());
    QVERIFY(iso["byZone"].is_object() && iso["byZone"].empty());
    QVERIFY(iso["reach"].is_array() && iso["reach"].empty());
}

void tst_BlastRadius::sample_data()
{
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QStringList>("reach");
    QTest::addColumn<QStringList>("direct");
    QTest::addColumn<QStringList>("reachedBy");
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<QStringList>("byZone");

    // By hand from samples/online-boutique/README.md ("Workload edges this gives"): loadgenerator
    // -> frontend; frontend -> adservice, cartservice, checkoutservice, currencyservice,
    // productcatalogservice, recommendationservice, shippingservice; checkoutservice ->
    // cartservice, currencyservice, emailservice, paymentservice, productcatalogservice,
    // shippingservice; recommendationservice -> productcatalogservice; cartservice -> redis-cart;
    // each of loadgenerator, frontend, checkoutservice, recommendationservice, cartservice ->
    // kube-system/coredns. The one-step-up rule only flags: nothing is blocked.
    const QStringList frontendReach
        = {"adservice",    "cartservice",     "checkoutservice",       "currencyservice",
           "emailservice", "paymentservice",  "productcatalogservice", "recommendationservice",
           "redis-cart",   "shippingservice", "kube-system/coredns"};
    QStringList loadgenReach = frontendReach;
    loadgenReach.insert(4, "frontend");
    QTest::newRow("loadgenerator reaches everything through frontend")
        << "loadgenerator" << loadgenReach << QStringList{"frontend", "kube-system/coredns"}
        << QStringList{}
        << QStringList{"paymentservice: loadgenerator > frontend > checkoutservice > "
                       "paymentservice",
                       "redis-cart: loadgenerator > frontend > cartservice > redis-cart"}
        << QStringList{"confidential=2", "internal=7", "public=1", "restricted=2"};
    QTest::newRow("frontend")
        << "frontend" << frontendReach
        << QStringList{"adservice",       "cartservice",           "checkoutservice",
                       "currencyservice", "productcatalogservice", "recommendationservice",
                       "shippingservice", "kube-system/coredns"}
        << QStringList{"loadgenerator"}
        << QStringList{"paymentservice: frontend > checkoutservice > paymentservice",
                       "redis-cart: frontend > cartservice > redis-cart"}
        << QStringList{"confidential=2", "internal=7", "restricted=2"};
    QTest::newRow("checkoutservice")
        << "checkoutservice"
        << QStringList{"cartservice",     "currencyservice",       "emailservice",
                       "paymentservice",  "productcatalogservice", "redis-cart",
                       "shippingservice", "kube-system/coredns"}
        << QStringList{"cartservice",        "currencyservice",       "emailservice",
                       "paymentservice",     "productcatalogservice", "shippingservice",
                       "kube-system/coredns"}
        << QStringList{"frontend", "loadgenerator"}
        << QStringList{"paymentservice: checkoutservice > paymentservice",
                       "redis-cart: checkoutservice > cartservice > redis-cart"}
        << QStringList{"confidential=1", "internal=5", "restricted=2"};
    QTest::newRow("productcatalogservice: a leaf many reach")
        << "productcatalogservice" << QStringList{} << QStringList{}
        << QStringList{"checkoutservice", "frontend", "loadgenerator", "recommendationservice"}
        << QStringList{} << QStringList{};
    QTest::newRow("redis-cart") << "redis-cart" << QStringList{} << QStringList{}
                                << QStringList{"cartservice", "checkoutservice", "frontend",
                                               "loadgenerator"}
                                << QStringList{} << QStringList{};
}

void tst_BlastRadius::sample()
{
    QFETCH(QString, workload);
    QFETCH(QStringList, reach);
    QFETCH(QStringList, direct);
    QFETCH(QStringList, reachedBy);
    QFETCH(QStringList, paths);
    QFETCH(QStringList, byZone);

    const std::string dir = BULKHEAD_SOURCE_DIR "/samples/online-boutique";
    if (!std::filesystem::exists(dir + "/node1.pcapng"))
        QSKIP("the Online Boutique sample is not in this tree");
    PipelineInputs inputs;
    inputs.inventories = {dir + "/inventory.yaml"};
    inputs.captures = {dir + "/node1.pcapng", dir + "/node2.pcap"};
    inputs.zonesFile = dir + "/zones.yaml";
    const auto model = buildModel(inputs);
    QVERIFY_OK(model);
    const Inventory &inv = model->inventory;
    QCOMPARE(inv.workloads.size(), size_t(13));

    const Intent intent = computeIntent(inv, model->zones, model->analysis, Decisions{});
    QVERIFY(intent.blocked.empty());
    const ReachGraph graph = reachFromEdges(inv, intent.edges);
    const auto boutique = [](QStringList list) {
        for (QString &n : list)
            if (!n.contains('/'))
                n = "boutique/" + n;
        std::sort(list.begin(), list.end()); // index order equals name order in this sample
        return list;
    };
    const int w = inv.findWorkload("boutique", workload.toStdString());
    QVERIFY(w >= 0);
    const BlastRadius r = computeBlastRadius(inv, model->zones, graph, w);
    QCOMPARE(names(inv, r.reach), boutique(reach));
    QCOMPARE(names(inv, r.direct), boutique(direct));
    QCOMPARE(names(inv, r.reachedBy), boutique(reachedBy));
    QCOMPARE(pathTexts(inv, r.paths), paths);
    QCOMPARE(zoneTexts(r.byZone), byZone);
    QCOMPARE(r.baseline, 12);
    QCOMPARE(QString::fromStdString(r.highestZone),
             reach.isEmpty() ? QString() : QString("restricted"));
}

QTEST_GUILESS_MAIN(tst_BlastRadius)
#include "tst_blastradius.moc"
