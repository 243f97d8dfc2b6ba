// QtTest first: Qt 6.4's moc cannot parse <concepts> when <compare> is the first standard header
// it meets (through analysis/peer.h).
#include <QtTest>

#include "evaluatortables.h"
#include "review/ciliumreach.h"
#include "testsupport.h"

#include "analysis/analysis.h"
#include "design/decisionnetworks.h"
#include "policy/policyloader.h"
#include "review/internetexposure.h"
#include "zones/zones.h"

using namespace bulkhead;
using bulkhead::testing::makeWorkload;

// The blast radius under CiliumNetworkPolicies (docs/cilium.md "Blast radius under Cilium"): the
// reach graph of a small cluster whose every edge is known, an undecided pair counted as
// reachable, and the internet's direct way in through the entity `world`.

namespace {

// Nodes n1 192.168.0.1 and n2 192.168.0.2. kube-system/agent on the host network of n2;
// shop/frontend and shop/cart on n1, shop/db on n2, shop/web with a pod on each node.
Inventory cluster()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("kube-system", "agent", {{"app", "agent"}},
                                         {{"192.168.0.2", "192.168.0.2"}},
                                         {{"metrics", 10250, Protocol::TCP}}, true));
    inv.workloads.push_back(
        makeWorkload("shop", "cart", {{"app", "cart"}}, {{"10.0.1.20", "192.168.0.1"}},
                     {{"grpc", 7070, Protocol::TCP}, {"metrics", 9090, Protocol::TCP}}));
    inv.workloads.push_back(makeWorkload("shop", "db", {{"app", "db"}},
                                         {{"10.0.1.30", "192.168.0.2"}},
                                         {{"pg", 5432, Protocol::TCP}}));
    inv.workloads.push_back(makeWorkload("shop", "frontend", {{"app", "frontend"}},
                                         {{"10.0.1.10", "192.168.0.1"}},
                                         {{"http", 8080, Protocol::TCP}}));
    inv.workloads.push_back(
        makeWorkload("shop", "web", {{"app", "web"}},
                     {{"10.0.1.40", "192.168.0.1"}, {"10.0.1.41", "192.168.0.2"}},
                     {{"http", 8080, Protocol::TCP}}));
    inv.namespaces["shop"] = {};
    inv.namespaces["kube-system"] = {};
    inv.nodes.push_back(Node{"n1", {*IpAddress::parse("192.168.0.1")}});
    inv.nodes.push_back(Node{"n2", {*IpAddress::parse("192.168.0.2")}});
    inv.clusterNetworks.push_back(*Cidr::parse("10.0.0.0/16"));
    return inv;
}

// cart admits only frontend, on 7070; frontend admits only the internet; db admits nothing; web
// may only open connections to `host`, which for the agent on n2 is true of one of its pods and
// not of the other: undecided.
const char *const policiesYaml = R"(apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cart, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: cart}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: frontend}}]
    toPorts: [{ports: [{port: "7070", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: frontend, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: frontend}}
  ingress:
  - fromEntities: [world]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: db}}
  ingress:
  - {}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toEntities: [host]
)";

QStringList names(const Inventory &inv, const std::vector<int> &workloads)
{
    QStringList out;
    for (int w : workloads)
        out << QString::fromStdString(inv.workloads[static_cast<size_t>(w)].id());
    return out;
}

} // namespace

class TestCiliumReach : public QObject
{
    Q_OBJECT

private slots:
    void reachGraph();
    void blastRadius_data();
    void blastRadius();
    void internet();

private:
    static CiliumReach reach(Inventory &inv, std::vector<int> *internetDirect = nullptr);
};

CiliumReach TestCiliumReach::reach(Inventory &inv, std::vector<int> *internetDirect)
{
    const int world = ensureWorldNetwork(inv);
    auto set = loadPolicySetText(policiesYaml, "cnp.yaml", nullptr, nullptr, true);
    if (!set || set->ciliumPolicies.size() != 4)
        qFatal("the test's policies do not load");
    const Analysis analysis;
    const CiliumEvaluator evaluator(inv, set->networkPolicies, set->ciliumPolicies, {});
    if (internetDirect)
        *internetDirect = internetDirectFromCilium(inv, analysis, evaluator, world);
    return reachFromCiliumEvaluator(inv, analysis, evaluator);
}

void TestCiliumReach::reachGraph()
{
    Inventory inv = cluster();
    const CiliumReach r = reach(inv);
    // Index order: agent, cart, db, frontend, web.
    QCOMPARE(r.graph.workloadCount(), size_t(5));
    QStringList edges;
    for (size_t from = 0; from < r.graph.out.size(); ++from)
        for (int to : r.graph.out[from])
            edges << names(inv, {static_cast<int>(from)}).front() + " -> "
                         + names(inv, {to}).front();
    QCOMPARE(edges, QStringList({
                        // host network: no endpoint, so no policy of its own; on db's node,
                        // allow-localhost lets it into db, which admits nobody else
                        "kube-system/agent -> shop/db", "kube-system/agent -> shop/web",
                        "shop/cart -> kube-system/agent", "shop/cart -> shop/web",
                        "shop/db -> kube-system/agent", "shop/db -> shop/web",
                        "shop/frontend -> kube-system/agent",
                        "shop/frontend -> shop/cart", // the only way into cart
                        "shop/frontend -> shop/web",
                        "shop/web -> kube-system/agent", // undecided, counted
                    }));
    QCOMPARE(r.undecidedPairs, size_t(1));
}

void TestCiliumReach::blastRadius_data()
{
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QStringList>("reach");
    QTest::addColumn<int>("direct");
    QTest::addColumn<QStringList>("reachedBy");

    QTest::newRow("frontend") << "shop/frontend"
                              << QStringList{"kube-system/agent", "shop/cart", "shop/db",
                                             "shop/web"}
                              << 3 << QStringList{};
    QTest::newRow("cart") << "shop/cart" << QStringList{"kube-system/agent", "shop/db", "shop/web"}
                          << 2 << QStringList{"shop/frontend"};
    QTest::newRow("web: through the undecided pair")
        << "shop/web" << QStringList{"kube-system/agent", "shop/db"} << 1
        << QStringList{"kube-system/agent", "shop/cart", "shop/db", "shop/frontend"};
    QTest::newRow("db: only the agent on its node gets in (allow-localhost)")
        << "shop/db" << QStringList{"kube-system/agent", "shop/web"} << 2
        << QStringList{"kube-system/agent", "shop/cart", "shop/frontend", "shop/web"};
}

void TestCiliumReach::blastRadius()
{
    QFETCH(QString, workload);
    QFETCH(QStringList, reach);
    QFETCH(int, direct);
    QFETCH(QStringList, reachedBy);
    Inventory inv = cluster();
    const CiliumReach r = TestCiliumReach::reach(inv);
    const BlastRadius radius = computeBlastRadius(inv, defaultZones(), r.graph,
                                                  inv.findWorkload(workload.toStdString()));
    QCOMPARE(names(inv, radius.reach), reach);
    QCOMPARE(static_cast<int>(radius.direct.size()), direct);
    QCOMPARE(names(inv, radius.reachedBy), reachedBy);
    QCOMPARE(radius.baseline, 4);
}

void TestCiliumReach::internet()
{
    Inventory inv = cluster();
    std::vector<int> direct;
    const CiliumReach r = reach(inv, &direct);
    // frontend by `world`; web and the agent have no ingress policy. cart and db do not admit it.
    QCOMPARE(names(inv, direct), QStringList({"kube-system/agent", "shop/frontend", "shop/web"}));
    const InternetExposure exposure = computeInternetExposure(inv, defaultZones(), r.graph, direct);
    // cart through frontend; db through the agent on its node.
    QCOMPARE(names(inv, exposure.reach), QStringList({"kube-system/agent", "shop/cart", "shop/db",
                                                      "shop/frontend", "shop/web"}));
}

QTEST_GUILESS_MAIN(TestCiliumReach)
#include "tst_ciliumreach.moc"
