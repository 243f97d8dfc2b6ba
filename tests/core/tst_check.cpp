// `check` (core/review/check.h): which observed edges given policies break, and which workload
// pairs and ports they allow that were never observed, on a three-workload cluster whose
// answers are worked out by hand below.
#include <QtTest>

#include "review/check.h"
#include "smallcluster.h"

#include "analysis/analysis.h"
#include "policy/policyloader.h"
#include "review/evaluator.h"
#include "review/reviewjson.h"

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

// shop is isolated for ingress; shop/api accepts shop/web on 9090; data/db accepts any pod of any
// namespace on 5432. Egress is never isolated.
const char *kPolicies = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 9090}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-pods, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 5432}]}]
)";

struct Fixture
{
    Inventory inventory = smallCluster();
    Analysis analysis;
    std::vector<NetworkPolicy> policies;
};

// Observed: web -> api 9090 (allowed), api -> web 8080 (web is isolated: a break), web -> db
// 5432 (allowed).
void build(Fixture &f)
{
    f.analysis = analyzeFlows(f.inventory,
                              {rawFlow("10.244.1.10", 41000, "10.244.1.20", 9090),
                               rawFlow("10.244.1.20", 42000, "10.244.1.10", 8080),
                               rawFlow("10.244.1.10", 43000, "10.244.2.30", 5432)},
                              {"a.pcap"});
    auto policies = loadPoliciesText(kPolicies, "policies.yaml");
    QVERIFY_OK(policies);
    f.policies = std::move(*policies);
}

} // namespace

class tst_Check : public QObject
{
    Q_OBJECT

private slots:
    void breaksAndExcess()
    {
        Fixture f;
        build(f);
        QCOMPARE(f.analysis.edges.size(), size_t(3));
        const PolicyEvaluator evaluator(f.inventory, f.policies);
        const CheckResult result = checkPolicies(f.inventory, f.analysis, evaluator);
        QCOMPARE(result.observedEdges, size_t(3));

        QCOMPARE(result.breaks.size(), size_t(1));
        const PolicyBreak &b = result.breaks[0];
        QCOMPARE(b.edge.from, Peer::workload(Api));
        QCOMPARE(b.edge.to, Peer::workload(Web));
        QCOMPARE(b.edge.port, uint16_t(8080));
        QCOMPARE(b.side, std::string("ingress"));
        QCOMPARE(
            b.reason,
            std::string("shop/web isolated for ingress by shop/deny-ingress; no rule allows it"));

        // Never observed but allowed: db accepts every pod on 5432 (web's call was observed, so
        // db itself and api remain); api accepts only web, which was observed; web accepts no one.
        QStringList excess;
        for (const PolicyExcess &e : result.excess) {
            QStringList rules;
            for (const std::string &r : e.policies)
                rules << QString::fromStdString(r);
            excess << QString::fromStdString(
                          peerName(f.inventory, e.from) + " -> " + peerName(f.inventory, e.to) + ' '
                          + std::string(protocolName(e.protocol)) + '/' + std::to_string(e.port))
                          + " by " + rules.join(", ");
        }
        QCOMPARE(excess,
                 (QStringList{"data/db -> data/db TCP/5432 by data/db-from-pods ingress[0]",
                              "shop/api -> data/db TCP/5432 by data/db-from-pods ingress[0]"}));
    }

    // No policy: nothing breaks, and every pair on every declared or observed port is excess.
    void withoutPolicies()
    {
        Fixture f;
        build(f);
        const PolicyEvaluator evaluator(f.inventory, {});
        const CheckResult result = checkPolicies(f.inventory, f.analysis, evaluator);
        QVERIFY(result.breaks.empty());
        // 3 sources x 3 destinations with one port each, less the 3 observed edges.
        QCOMPARE(result.excess.size(), size_t(6));
        for (const PolicyExcess &e : result.excess)
            QVERIFY(e.policies.empty());
    }

    void json()
    {
        Fixture f;
        build(f);
        const PolicyEvaluator evaluator(f.inventory, f.policies);
        const nlohmann::json j
            = checkResultJson(f.inventory, checkPolicies(f.inventory, f.analysis, evaluator));
        QCOMPARE(QString::fromStdString(j["summary"].dump()),
                 QStringLiteral(R"({"breaks":1,"excess":2,"observedEdges":3})"));
        QCOMPARE(
            QString::fromStdString(j["breaks"][0].dump()),
            QStringLiteral(
                R"({"flows":1,"from":"shop/api","port":8080,"protocol":"TCP",)"
                R"("reason":"shop/web isolated for ingress by shop/deny-ingress; no rule allows it",)"
                R"("side":"ingress","to":"shop/web"})"));
        QCOMPARE(
            QString::fromStdString(j["excess"][1].dump()),
            QStringLiteral(
                R"({"from":"shop/api","policies":["data/db-from-pods"],"port":5432,"protocol":"TCP",)"
                R"("rules":["data/db-from-pods ingress[0]"],"to":"data/db"})"));
    }
};

QTEST_GUILESS_MAIN(tst_Check)
#include "tst_check.moc"
