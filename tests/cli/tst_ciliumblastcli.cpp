// bulkhead-cli blast-radius --policies with CiliumNetworkPolicies, end to end on the Online
// Boutique sample: the Cilium policies are evaluated (not listed as not evaluated), with the
// NetworkPolicies beside them, for the reach and the internet's way in; with the cluster tiers
// they are refused, as `check` refuses them.
#include <QtTest>

#include "clirun.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace bulkhead;
using bulkhead::testing::jsonStrings;
using bulkhead::testing::runCli;
using bulkhead::testing::sampleInputs;
using bulkhead::testing::writeFile;

namespace {

// cartservice admits only frontend, on 7070; frontend admits only the internet (entity world).
// No namespace: -n boutique places them.
const QByteArray ciliumPolicies = R"(apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cartservice}
spec:
  endpointSelector: {matchLabels: {app: cartservice}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: frontend}}]
    toPorts: [{ports: [{port: "7070", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: frontend}
spec:
  endpointSelector: {matchLabels: {app: frontend}}
  ingress:
  - fromEntities: [world]
)";

// Nothing may reach redis-cart: a NetworkPolicy, which Cilium enforces beside its own.
const QByteArray isolateRedis = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: redis-cart, namespace: boutique}
spec:
  podSelector: {matchLabels: {app: redis-cart}}
  policyTypes: [Ingress]
)";

QJsonObject radiusOf(const QJsonObject &report, const QString &workload)
{
    for (const QJsonValue &v : report["workloads"].toArray())
        if (v["workload"].toString() == workload)
            return v.toObject();
    return {};
}

} // namespace

class TestCiliumBlastCli : public QObject
{
    Q_OBJECT

private slots:
    void json()
    {
        QTemporaryDir dir;
        const QString cnp = writeFile(dir, "cnp.yaml", ciliumPolicies);
        const QString np = writeFile(dir, "np.yaml", isolateRedis);
        const auto run = runCli(QStringList{"blast-radius", "--format", "json", "--policies", cnp,
                                            "--policies", np, "-n", "boutique"}
                                + sampleInputs());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(j["policy"].toString(), QStringLiteral("policies"));
        QCOMPARE(j["notEvaluated"].toArray().size(), 0);
        QCOMPARE(j["cilium"]["policies"].toInt(), 2);
        QCOMPARE(j["cilium"]["undecidedPairs"].toInt(), 0);
        const int n = j["workloads"].toArray().size();
        QCOMPARE(n, 13); // the 12 of boutique and kube-system/coredns

        // Only the internet reaches frontend; only frontend reaches cartservice; nobody
        // reaches redis-cart (the NetworkPolicy counts under Cilium too).
        const QJsonObject frontend = radiusOf(j, "boutique/frontend");
        QCOMPARE(jsonStrings(frontend["reachedBy"]), QStringList());
        QCOMPARE(frontend["reach"].toArray().size(), n - 2); // all but itself and redis-cart
        const QJsonObject cart = radiusOf(j, "boutique/cartservice");
        QCOMPARE(jsonStrings(cart["reachedBy"]), QStringList{"boutique/frontend"});
        QCOMPARE(jsonStrings(radiusOf(j, "boutique/redis-cart")["reachedBy"]), QStringList());
        // Any other workload reaches all but itself, frontend, cartservice and redis-cart.
        for (const QString &w : {"boutique/checkoutservice", "boutique/loadgenerator"}) {
            const QJsonObject r = radiusOf(j, w);
            QCOMPARE(r["reach"].toArray().size(), n - 4);
            QCOMPARE(r["direct"].toArray().size(), n - 4);
            QVERIFY(!jsonStrings(r["reach"]).contains("boutique/cartservice"));
        }

        // The internet: frontend through `world`, and every workload without ingress rules;
        // not cartservice (frontend only) nor redis-cart.
        const QStringList direct = jsonStrings(j["internet"]["direct"]);
        QCOMPARE(direct.size(), n - 2);
        QVERIFY(direct.contains("boutique/frontend"));
        QVERIFY(!direct.contains("boutique/cartservice"));
        QVERIFY(!direct.contains("boutique/redis-cart"));
        QCOMPARE(j["internet"]["reach"].toArray().size(), n - 1); // cartservice through frontend
    }

    void table()
    {
        QTemporaryDir dir;
        const QString cnp = writeFile(dir, "cnp.yaml", ciliumPolicies);
        const auto run = runCli(QStringList{"blast-radius", "--policies", cnp, "-n", "boutique",
                                            "--workload", "boutique/cartservice"}
                                + sampleInputs());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains("cilium: 2 Cilium policies evaluated with the NetworkPolicies; 0 "
                              "workload pairs the inventory cannot decide count as reachable"),
                 run.out.constData());
        QVERIFY(!out.contains("Not evaluated"));
        // cartservice reaches the 11 others but frontend (all of them directly), is reached by
        // frontend alone, and reaches the restricted zone (paymentservice, redis-cart).
        const QString row = out.section('\n', 1, 1).simplified();
        QVERIFY2(row.startsWith("boutique/cartservice confidential 11 (92%)"), run.out.constData());
        QCOMPARE(row.section(' ', 4, 6), QStringLiteral("11 1 restricted"));
        QVERIFY2(out.contains("internet: reaches 13 workloads (12 directly)"), run.out.constData());
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("message");
        QTest::newRow("with the cluster tiers")
            << QByteArray("---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: "
                          "ClusterNetworkPolicy\nmetadata: {name: deny-all}\nspec:\n  tier: "
                          "Admin\n  priority: 10\n  subject: {namespaces: {}}\n  ingress:\n  - "
                          "action: Deny\n    from: [{namespaces: {}}]\n")
            << QStringList{} << "Cilium does not enforce the cluster tiers";
        QTest::newRow("ipblock matches pods")
            << QByteArray() << QStringList{"--ipblock-matches-pods"}
            << "under Cilium an ipBlock never matches pod addresses";
    }

    void refused()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QStringList, options);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString file = writeFile(dir, "both.yaml", ciliumPolicies + extra);
        const auto run
            = runCli(QStringList{"blast-radius", "--policies", file} + options + sampleInputs());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCiliumBlastCli)
#include "tst_ciliumblastcli.moc"
