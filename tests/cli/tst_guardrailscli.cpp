#include <QtTest>

#include "clirun.h"
#include "testsupport.h"

#include <nlohmann/json.hpp>

// End to end: `generate --guardrails`, `check` with the guardrails and a permissive NetworkPolicy
// (the Admin Deny wins, tier named; dead allowances listed), `check --explain`, bad input.

namespace {

const QString sampleDir = bulkhead::testing::sampleDirectory();

using bulkhead::testing::sampleInputs;
using bulkhead::testing::writeText;

const QByteArray kAllowAll = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                             "metadata: {name: allow-all, namespace: boutique}\n"
                             "spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{}]}\n";

} // namespace

class TestGuardrailsCli : public QObject
{
    Q_OBJECT

private slots:
    void generateThenCheck();
    void explain();
    void adminDenyBreaksAndBlastRadius();
    void badInput();

private:
    QTemporaryDir m_dir;
};

void TestGuardrailsCli::generateThenCheck()
{
    const QString rails = m_dir.filePath("rails.yaml");
    const QString nps = m_dir.filePath("np.yaml");
    const auto gen
        = bulkhead::testing::runCli(QStringList{"generate"} + sampleInputs()
                                    + QStringList{"--output", nps, "--guardrails", rails});
    QCOMPARE(gen.exitCode, 0);
    QVERIFY(gen.err.contains(
        "1 guardrail (cluster-scoped policies from the block zone rules) written to"));
    QFile f(rails);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray yaml = f.readAll();
    QVERIFY(yaml.contains(
        "kind: ClusterNetworkPolicy\nmetadata:\n  name: bulkhead-no-public-to-restricted\n"));
    QVERIFY(yaml.contains("  tier: Admin\n  priority: 100\n"));
    // Same bytes on a second run.
    const QString again = m_dir.filePath("rails2.yaml");
    QCOMPARE(bulkhead::testing::runCli(QStringList{"generate"} + sampleInputs()
                                       + QStringList{"--output", nps, "--guardrails", again})
                 .exitCode,
             0);
    QFile f2(again);
    QVERIFY(f2.open(QIODevice::ReadOnly));
    QCOMPARE(f2.readAll(), yaml);

    // The generated NetworkPolicies and the guardrails together break nothing observed.
    const auto clean
        = bulkhead::testing::runCli(QStringList{"check"} + sampleInputs(false)
                                    + QStringList{"--policies", nps, "--policies", rails});
    QCOMPARE(clean.exitCode, 0);

    // A permissive NetworkPolicy cannot undo the guardrail: the Admin tier decides.
    const QString allow = m_dir.filePath("allow.yaml");
    writeText(allow, kAllowAll);
    const auto check = bulkhead::testing::runCli(
        QStringList{"check"} + sampleInputs(false)
        + QStringList{"--policies", allow, "--policies", rails, "--format", "json"});
    QCOMPARE(check.exitCode, 0); // nothing observed goes public -> restricted
    const nlohmann::json j = nlohmann::json::parse(check.out.toStdString());
    QCOMPARE(j["summary"]["deadAllowances"].get<int>(), 4);
    QCOMPARE(j["summary"]["breaks"].get<int>(), 0);
    const nlohmann::json &first = j["deadAllowances"][0];
    QCOMPARE(first["from"].get<std::string>(), std::string("boutique/frontend"));
    QCOMPARE(first["to"].get<std::string>(), std::string("boutique/paymentservice"));
    QCOMPARE(first["allowedBy"][0].get<std::string>(),
             std::string("boutique/allow-all ingress[0]"));
    QCOMPARE(first["deniedBy"].get<std::string>(),
             std::string("ClusterNetworkPolicy/bulkhead-no-public-to-restricted ingress[0] "
                         "\"no-public-to-restricted\""));
    for (const auto &e : j["excess"])
        QVERIFY(e["to"] != "boutique/paymentservice"
                || (e["from"] != "boutique/frontend" && e["from"] != "boutique/loadgenerator"));
}

void TestGuardrailsCli::explain()
{
    const QString rails = m_dir.filePath("rails.yaml");
    const QString allow = m_dir.filePath("allow.yaml");
    writeText(allow, kAllowAll);
    QCOMPARE(bulkhead::testing::runCli(
                 QStringList{"generate"} + sampleInputs()
                 + QStringList{"--output", m_dir.filePath("np.yaml"), "--guardrails", rails})
                 .exitCode,
             0);
    const auto denied = bulkhead::testing::runCli(
        QStringList{"check"} + sampleInputs(false)
        + QStringList{"--policies", allow, "--policies", rails, "--explain", "boutique/frontend",
                      "boutique/paymentservice", "TCP/50051"});
    QCOMPARE(denied.exitCode, 1);
    const QByteArray expected
        = "boutique/frontend -> boutique/paymentservice TCP/50051\n"
          "Egress of boutique/frontend:\n"
          "  Admin tier:\n"
          "    no policy's subject holds boutique/frontend\n"
          "  NetworkPolicy tier:\n"
          "    no NetworkPolicy isolates boutique/frontend for egress\n"
          "  Baseline tier:\n"
          "    no policy's subject holds boutique/frontend\n"
          "  Default:\n"
          "    no tier decided: allowed  <- decides\n"
          "  => allowed (no tier decides egress of boutique/frontend: allowed)\n"
          "Ingress of boutique/paymentservice:\n"
          "  Admin tier:\n"
          "    ClusterNetworkPolicy/bulkhead-no-public-to-restricted: ingress[0] "
          "\"no-public-to-restricted\": Deny  <- decides\n"
          "  => denied (Admin tier: ClusterNetworkPolicy/bulkhead-no-public-to-restricted "
          "ingress[0] \"no-public-to-restricted\" denies ingress of boutique/paymentservice)\n"
          "Verdict: denied by the Admin tier: "
          "ClusterNetworkPolicy/bulkhead-no-public-to-restricted ingress[0] "
          "\"no-public-to-restricted\"\n";
    QCOMPARE(denied.out, expected);

    // An address works too, and an allowed connection exits 0 naming the NetworkPolicy tier.
    const auto allowed = bulkhead::testing::runCli(
        QStringList{"check"} + sampleInputs(false)
        + QStringList{"--policies", allow, "--policies", rails, "--format", "json", "--explain",
                      "boutique/frontend", "boutique/cartservice", "7070"});
    QCOMPARE(allowed.exitCode, 0);
    const nlohmann::json j = nlohmann::json::parse(allowed.out.toStdString());
    QCOMPARE(j["allowed"].get<bool>(), true);
    QCOMPARE(j["tier"].get<std::string>(), std::string("NetworkPolicy"));
    QCOMPARE(j["policy"].get<std::string>(), std::string("boutique/allow-all"));
    QCOMPARE(j["rule"].get<std::string>(), std::string("ingress[0]"));

    const auto bad
        = bulkhead::testing::runCli(QStringList{"check"} + sampleInputs(false)
                                    + QStringList{"--policies", rails, "--explain", "boutique/nope",
                                                  "boutique/cartservice", "7070"});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains("\"boutique/nope\" is neither a workload"));
}

void TestGuardrailsCli::adminDenyBreaksAndBlastRadius()
{
    // A hand-written fence around cartservice: only checkoutservice may come in.
    const QString fence = m_dir.filePath("fence.yaml");
    writeText(fence, "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: "
                     "ClusterNetworkPolicy\nmetadata: {name: fence-cart}\n"
                     "spec:\n  tier: Admin\n  priority: 20\n  subject: {pods: {podSelector: "
                     "{matchLabels: {app: cartservice}}}}\n"
                     "  ingress:\n  - {name: only-checkout, action: Accept, from: [{pods: "
                     "{podSelector: {matchLabels: {app: checkoutservice}}}}]}\n"
                     "  - {name: nobody-else, action: Deny, from: [{namespaces: {}}]}\n");
    const auto check
        = bulkhead::testing::runCli(QStringList{"check"} + sampleInputs(false)
                                    + QStringList{"--policies", fence, "--format", "json"});
    QCOMPARE(check.exitCode, 1);
    const nlohmann::json j = nlohmann::json::parse(check.out.toStdString());
    QCOMPARE(j["summary"]["breaks"].get<int>(), 1);
    QCOMPARE(j["summary"]["adminDenyBreaks"].get<int>(), 1);
    const nlohmann::json &b = j["breaks"][0];
    QCOMPARE(b["from"].get<std::string>(), std::string("boutique/frontend"));
    QCOMPARE(b["to"].get<std::string>(), std::string("boutique/cartservice"));
    QCOMPARE(b["tier"].get<std::string>(), std::string("Admin"));
    QCOMPARE(b["policy"].get<std::string>(), std::string("ClusterNetworkPolicy/fence-cart"));
    QCOMPARE(b["rule"].get<std::string>(), std::string("ingress[1] \"nobody-else\""));

    // blast-radius across the tiers: frontend no longer reaches cartservice directly.
    const auto radius = bulkhead::testing::runCli(
        QStringList{"blast-radius"} + sampleInputs()
        + QStringList{"--policies", fence, "--workload", "boutique/frontend", "--format", "json"});
    QCOMPARE(radius.exitCode, 0);
    const nlohmann::json r = nlohmann::json::parse(radius.out.toStdString());
    const auto direct = r["workloads"][0]["direct"].get<std::vector<std::string>>();
    QCOMPARE(direct.size(), size_t(11));
    QVERIFY(std::find(direct.begin(), direct.end(), "boutique/cartservice") == direct.end());
    const auto reach = r["workloads"][0]["reach"].get<std::vector<std::string>>();
    QVERIFY(std::find(reach.begin(), reach.end(), "boutique/cartservice")
            != reach.end()); // through checkoutservice
}

void TestGuardrailsCli::badInput()
{
    // Every problem, with file, line and field path; exit 2.
    const QString broken = m_dir.filePath("broken.yaml");
    writeText(broken, "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: "
                      "ClusterNetworkPolicy\nmetadata: {name: x}\n"
                      "spec:\n  tier: Middle\n  priority: 5\n  subject: {namespaces: {}}\n"
                      "  ingress:\n  - action: Deny\n    from: []\n");
    const auto check = bulkhead::testing::runCli(QStringList{"check"} + sampleInputs(false)
                                                 + QStringList{"--policies", broken});
    QCOMPARE(check.exitCode, 2);
    QVERIFY2(check.err.contains("broken.yaml:5: document 1 (ClusterNetworkPolicy/x): spec.tier: "
                                "unsupported value \"Middle\""),
             check.err.constData());
    QVERIFY2(check.err.contains("broken.yaml:10: document 1 (ClusterNetworkPolicy/x): "
                                "spec.ingress[0].from: must have at least 1 item"),
             check.err.constData());

    // --baseline-deny cannot be said in v1alpha1: exit 2, and no output file at all.
    const QString out = m_dir.filePath("never.yaml");
    const QString rails = m_dir.filePath("never-rails.yaml");
    const auto gen = bulkhead::testing::runCli(QStringList{"generate"} + sampleInputs()
                                               + QStringList{"--output", out, "--guardrails", rails,
                                                             "--baseline-deny", "--guardrails-api",
                                                             "v1alpha1"});
    QCOMPARE(gen.exitCode, 2);
    QVERIFY(gen.err.contains("--baseline-deny cannot be written as v1alpha1"));
    QVERIFY(!QFile::exists(out));
    QVERIFY(!QFile::exists(rails));
}

QTEST_GUILESS_MAIN(TestGuardrailsCli)
#include "tst_guardrailscli.moc"
