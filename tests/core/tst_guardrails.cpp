// QtTest first: Qt 6.4's moc cannot parse <concepts> when <compare> is the first standard header
// it meets (through analysis/peer.h).
#include <QtTest>

#include "inventory/inventoryloader.h"
#include "policy/clusterpolicywriter.h"
#include "policy/generator.h"
#include "policy/guardrailgenerator.h"
#include "policy/k8snames.h"
#include "policy/policyloader.h"
#include "review/tieredevaluator.h"
#include "testsupport.h"
#include "zones/zones.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

using namespace bulkhead;

// Guardrails (docs/guardrails.md): the generated cluster-scoped policies deny exactly the pairs of
// zones the block rules block, whatever NetworkPolicies are added, and touch nothing else; every
// generated object passes the project's own validation (the reader: schema bounds and CEL rules)
// and, when python3-jsonschema is there, the CRD's OpenAPI schema; the upstream conformance
// objects all load.

namespace {

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Kubernetes semantics of "what this NetworkPolicy set allows" for a few generic shapes.
std::vector<std::vector<NetworkPolicy>> networkPolicySets(const Inventory &inv,
                                                          std::mt19937 &random)
{
    std::set<std::string> namespaces;
    for (const Workload &w : inv.workloads)
        namespaces.insert(w.ns);
    std::string allowAll, denyAll, randomAllows;
    for (const std::string &ns : namespaces) {
        allowAll += "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: "
                    "allow-all, namespace: "
                    + ns
                    + "}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{}], "
                      "egress: [{}]}\n";
        denyAll += "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: "
                   "deny-all, namespace: "
                   + ns + "}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n";
    }
    // Random per-workload allowances from any namespace, as a namespace owner might write them.
    for (const Workload &w : inv.workloads) {
        if (random() % 2 || w.labels.empty())
            continue;
        const auto &[key, value] = *w.labels.begin();
        randomAllows
            += "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: open-"
               + w.name + ", namespace: " + w.ns + "}\nspec: {podSelector: {matchLabels: {\"" + key
               + "\": \"" + value + "\"}}, ingress: [{from: [{namespaceSelector: {}}]}]}\n";
    }
    std::vector<std::vector<NetworkPolicy>> sets;
    sets.push_back({});
    for (const std::string &text : {allowAll, denyAll, randomAllows}) {
        auto loaded = loadPolicySetText(text, "np.yaml");
        if (!loaded)
            qFatal("%s", loaded.error().toString().c_str());
        sets.push_back(loaded->networkPolicies);
    }
    return sets;
}

// For every pair of workloads: blocked pairs denied in the Admin tier by a bulkhead guardrail;
// with baselineDeny, other cross-zone pairs the NetworkPolicies do not decide are denied in the
// Baseline tier; every other pair gets exactly the NetworkPolicies' answer.
void checkPairs(const Inventory &inv, const Zones &zones,
                const std::vector<ClusterNetworkPolicy> &rails,
                const std::vector<NetworkPolicy> &nps, bool baselineDeny, int &blockedSeen)
{
    const TieredEvaluator tiered(inv, nps, rails);
    const PolicyEvaluator plain(inv, nps);
    for (size_t f = 0; f < inv.workloads.size(); ++f) {
        for (size_t t = 0; t < inv.workloads.size(); ++t) {
            const Peer from = Peer::workload(static_cast<int>(f)),
                       to = Peer::workload(static_cast<int>(t));
            const std::string &fz = inv.workloads[f].zone, &tz = inv.workloads[t].zone;
            const ZoneRule *rule = matchZoneRule(zones, fz, tz);
            const bool blocked = rule && rule->action == ZoneRule::Action::Block;
            const uint16_t port = 8080;
            const TieredVerdict v = tiered.evaluate(from, to, Protocol::TCP, port);
            const std::string what = inv.workloads[f].id() + " (" + fz + ") -> "
                                     + inv.workloads[t].id() + " (" + tz + "): " + v.reason;
            QCOMPARE(tiered.allows(from, to, Protocol::TCP, port), v.allowed);
            if (blocked) {
                ++blockedSeen;
                QVERIFY2(!v.allowed, what.c_str());
                QVERIFY2(v.tier == VerdictTier::Admin
                             || (!v.egress.allowed && v.egress.tier == VerdictTier::NetworkPolicy),
                         what.c_str());
                QVERIFY2(v.ingress.tier == VerdictTier::Admin && !v.ingress.allowed, what.c_str());
                QVERIFY2(v.ingress.reason.find(rule->name) != std::string::npos
                             || v.ingress.policy.find(dns1123Label(rule->name))
                                    != std::string::npos,
                         what.c_str());
                continue;
            }
            const bool npAllows = plain.allows(from, to, Protocol::TCP, port);
            const bool ingressDecidedByNp
                = plain.isolated(static_cast<int>(t), PolicyDirection::Ingress);
            if (baselineDeny && fz != tz && !ingressDecidedByNp) {
                QVERIFY2(!v.allowed, what.c_str());
                QVERIFY2(v.ingress.tier == VerdictTier::Baseline, what.c_str());
                continue;
            }
            QVERIFY2(v.allowed == npAllows, what.c_str());
        }
    }
}

// Every object passes the reader's validation with no problem and no warning, and writing what
// was read gives the same bytes.
void checkRoundTrip(const std::vector<ClusterNetworkPolicy> &rails)
{
    const std::string text = writeClusterPoliciesYaml(rails);
    std::vector<std::string> warnings;
    auto loaded = loadPolicySetText(text, "guardrails.yaml", &warnings);
    QVERIFY2(loaded.has_value(), loaded ? "" : (loaded.error().toString() + "\n" + text).c_str());
    QVERIFY2(warnings.empty(), warnings.empty() ? "" : warnings.front().c_str());
    QCOMPARE(loaded->clusterPolicies.size(), rails.size());
    for (ClusterNetworkPolicy &p : loaded->clusterPolicies) {
        const auto original
            = std::find_if(rails.begin(), rails.end(),
                           [&](const ClusterNetworkPolicy &r) { return r.id() == p.id(); });
        QVERIFY(original != rails.end());
        p.comments = original->comments;
        QCOMPARE(writeClusterPolicyYaml(p), writeClusterPolicyYaml(*original));
        // CEL-like rules the generator must keep: counts, actions per tier.
        QVERIFY(p.ingress.size() <= 25);
        for (const ClusterRule &rule : p.ingress) {
            QVERIFY(!rule.peers.empty() && rule.peers.size() <= 25);
            QVERIFY(p.tier == PolicyTier::Admin || rule.action != ClusterAction::Pass);
        }
        QVERIFY(p.priority >= 0 && p.priority <= 1000);
    }
}

} // namespace

class TestGuardrails : public QObject
{
    Q_OBJECT

private slots:
    void sample();
    void randomMesh();
    void v1alpha1AndErrors();
    void readerProblems();
    void v1alpha1RoundTrip();
    void upstreamExamplesLoad();
    void crdSchema();
};

void TestGuardrails::sample()
{
    const std::string dir = BULKHEAD_SOURCE_DIR "/samples/online-boutique/";
    auto inv = loadInventoryFile(dir + "inventory.yaml");
    QVERIFY(inv.has_value());
    auto zones = loadZonesFile(dir + "zones.yaml");
    QVERIFY(zones.has_value());
    assignZones(*inv, *zones);

    auto rails = generateGuardrails(*zones, {});
    QVERIFY(rails.has_value());
    QCOMPARE(rails->policies.size(), size_t(1)); // one block rule: public -> restricted
    const ClusterNetworkPolicy &p = rails->policies.front();
    QCOMPARE(p.id(), std::string("ClusterNetworkPolicy/bulkhead-no-public-to-restricted"));
    QCOMPARE(p.tier, PolicyTier::Admin);
    QCOMPARE(p.priority, 100);
    QCOMPARE(p.ingress.size(), size_t(1));
    QCOMPARE(p.ingress[0].action, ClusterAction::Deny);
    // Deterministic bytes.
    QCOMPARE(writeClusterPoliciesYaml(generateGuardrails(*zones, {})->policies),
             writeClusterPoliciesYaml(rails->policies));
    checkRoundTrip(rails->policies);

    std::mt19937 random(13);
    int blockedSeen = 0;
    for (const auto &nps : networkPolicySets(*inv, random))
        checkPairs(*inv, *zones, rails->policies, nps, false, blockedSeen);
    // 2 public workloads (frontend, loadgenerator) x 2 restricted (paymentservice, redis-cart) x 4
    // sets.
    QCOMPARE(blockedSeen, 2 * 2 * 4);
    // The fence: the subject is the restricted zone, nothing else.
    const TieredEvaluator tiered(*inv, {}, rails->policies);
    std::vector<std::string> fenced;
    for (const int w : tiered.subjectWorkloads(0))
        fenced.push_back(inv->workloads[static_cast<size_t>(w)].id());
    QCOMPARE(fenced, (std::vector<std::string>{"boutique/paymentservice", "boutique/redis-cart"}));
}

void TestGuardrails::randomMesh()
{
    std::mt19937 random(20261203);
    for (int round = 0; round < 12; ++round) {
        Zones zones;
        zones.labelKey = "example.com/zone";
        const int levelCount = 2 + static_cast<int>(random() % 5);
        for (int l = 0; l < levelCount; ++l)
            zones.levels.push_back(ZoneLevel{"z" + std::to_string(l), "#000000"});
        zones.defaultLevel = zones.levels[random() % zones.levels.size()].name;
        const int ruleCount = 1 + static_cast<int>(random() % 6);
        for (int r = 0; r < ruleCount; ++r) {
            ZoneRule rule;
            rule.name = "rule-" + std::to_string(r);
            if (random() % 3)
                rule.from = zones.levels[random() % zones.levels.size()].name;
            if (random() % 3)
                rule.to = zones.levels[random() % zones.levels.size()].name;
            if (random() % 4 == 0)
                rule.maxLevelsUp = static_cast<int>(random() % 2);
            rule.action = random() % 3 ? ZoneRule::Action::Block : ZoneRule::Action::Flag;
            zones.rules.push_back(rule);
        }
        Inventory inv;
        const int workloads = 6 + static_cast<int>(random() % 10);
        for (int w = 0; w < workloads; ++w) {
            Workload wl;
            wl.ns = "ns" + std::to_string(random() % 3);
            wl.name = "w" + std::to_string(w);
            wl.kind = "Deployment";
            wl.labels["app"] = wl.name;
            const unsigned choice = random() % 5;
            if (choice == 0) {
                // no zone label: the default zone
            } else if (choice == 1) {
                wl.labels[zones.labelKey] = "unknown-level"; // the default zone too
            } else {
                wl.labels[zones.labelKey] = zones.levels[random() % zones.levels.size()].name;
            }
            PodMember pod;
            pod.name = wl.name + "-0";
            pod.addresses.push_back(*IpAddress::parse("10.1." + std::to_string(w) + ".1"));
            pod.hostIp = IpAddress::parse("192.168.1.1");
            wl.pods.push_back(pod);
            inv.workloads.push_back(std::move(wl));
        }
        std::sort(inv.workloads.begin(), inv.workloads.end(),
                  [](const Workload &a, const Workload &b) { return a.id() < b.id(); });
        assignZones(inv, zones);
        for (const bool baseline : {false, true}) {
            auto rails = generateGuardrails(zones, GuardrailOptions{baseline, false});
            QVERIFY(rails.has_value());
            checkRoundTrip(rails->policies);
            int blockedSeen = 0;
            for (const auto &nps : networkPolicySets(inv, random))
                checkPairs(inv, zones, rails->policies, nps, baseline, blockedSeen);
            auto v1 = generateGuardrails(zones, GuardrailOptions{false, true});
            QVERIFY(v1.has_value());
            checkRoundTrip(v1->policies);
        }
    }
}

void TestGuardrails::v1alpha1AndErrors()
{
    auto zones = loadZonesFile(BULKHEAD_SOURCE_DIR "/samples/online-boutique/zones.yaml");
    QVERIFY(zones.has_value());
    auto v1 = generateGuardrails(*zones, GuardrailOptions{false, true});
    QVERIFY(v1.has_value());
    QCOMPARE(v1->policies.front().id(),
             std::string("AdminNetworkPolicy/bulkhead-no-public-to-restricted"));
    const std::string text = writeClusterPoliciesYaml(v1->policies);
    QVERIFY(text.find("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n")
            != std::string::npos);
    QVERIFY(text.find("\n  tier:") == std::string::npos);

    auto both = generateGuardrails(*zones, GuardrailOptions{true, true});
    QVERIFY(!both.has_value());
    QVERIFY(both.error().message.find("--baseline-deny cannot be written as v1alpha1")
            != std::string::npos);

    // The default zone: NotIn every other level, which also selects pods without the label.
    const LabelSelector internal = zonePodSelector(*zones, "internal");
    QVERIFY(internal.matches({}));
    QVERIFY(internal.matches({{"bulkhead.io/sensitivity", "internal"}}));
    QVERIFY(internal.matches({{"bulkhead.io/sensitivity", "no-such-level"}}));
    QVERIFY(!internal.matches({{"bulkhead.io/sensitivity", "public"}}));
    QVERIFY(!zonePodSelector(*zones, "public").matches({}));
}

void TestGuardrails::readerProblems()
{
    const std::string text = R"(apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: bad
spec:
  tier: Admin
  priority: 1001
  subject:
    namespaces: {}
    pods: {podSelector: {}}
  ingress:
  - action: Allow
    from:
    - namespaces: {}
    protocols:
    - tcp:
        destinationPort:
          range: {start: 90, end: 80}
  egress:
  - action: Deny
    to:
    - networks: [10.0.0.0/33]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: other}
spec:
  subject: {namespaces: {}}
  ingress:
  - action: Pass
    from: [{namespaces: {}}]
)";
    auto loaded = loadPolicySetText(text, "bad.yaml");
    QVERIFY(!loaded.has_value());
    const std::string all = loaded.error().toString();
    const std::vector<std::string> expected = {
        "bad.yaml:7: document 1 (ClusterNetworkPolicy/bad): spec.priority: invalid value 1001: "
        "must be between 0 and 1000, inclusive",
        "bad.yaml:9: document 1 (ClusterNetworkPolicy/bad): spec.subject: must set exactly one of "
        "namespaces, pods, not namespaces and pods",
        "bad.yaml:12: document 1 (ClusterNetworkPolicy/bad): spec.ingress[0].action: unsupported "
        "value \"Allow\": must be Accept, Deny or Pass",
        "bad.yaml:18: document 1 (ClusterNetworkPolicy/bad): "
        "spec.ingress[0].protocols[0].tcp.destinationPort.range: Start port must be less than End "
        "port (start 90, end 80)",
        "bad.yaml:22: document 1 (ClusterNetworkPolicy/bad): spec.egress[0].to[0].networks[0]: "
        "invalid value \"10.0.0.0/33\": Invalid CIDR format provided",
        "bad.yaml:26: document 2 (BaselineAdminNetworkPolicy/other): metadata.name: invalid value "
        "\"other\": only one BaselineAdminNetworkPolicy is supported, with the name \"default\"",
        "bad.yaml:30: document 2 (BaselineAdminNetworkPolicy/other): spec.ingress[0].action: "
        "unsupported value \"Pass\": must be Allow or Deny",
    };
    for (const std::string &line : expected)
        QVERIFY2(all.find(line) != std::string::npos, (line + "\n--- got:\n" + all).c_str());
}

void TestGuardrails::v1alpha1RoundTrip()
{
    const std::string text = R"(apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: every-shape
spec:
  priority: 7
  subject:
    pods:
      namespaceSelector:
        matchLabels:
          team: shop
      podSelector:
        matchExpressions:
        - key: app
          operator: In
          values:
          - db
  ingress:
  - name: from-ops
    action: Allow
    from:
    - namespaces:
        matchLabels:
          team: ops
    ports:
    - portNumber:
        protocol: TCP
        port: 5432
    - portRange:
        protocol: UDP
        start: 9000
        end: 9100
    - namedPort: metrics
  egress:
  - action: Pass
    to:
    - networks:
        - 10.0.0.0/8
        - "fd00::/8"
    - nodes: {}
)";
    auto loaded = loadPolicySetText(text, "v1alpha1.yaml");
    QVERIFY_OK(loaded);
    QCOMPARE(loaded->clusterPolicies.size(), size_t(1));
    const ClusterNetworkPolicy &p = loaded->clusterPolicies.front();
    QCOMPARE(p.ingress.front().ports.size(), size_t(3));
    QCOMPARE(p.ingress.front().ports[1].kind, ClusterPort::Kind::Range);
    QCOMPARE(p.ingress.front().ports[1].protocol, Protocol::UDP);
    QCOMPARE(p.egress.front().peers[1].kind, ClusterPeer::Kind::Nodes);
    // Written exactly as a person would write it.
    const std::string written = writeClusterPolicyYaml(p);
    QVERIFY2(written == text, written.c_str());
}

void TestGuardrails::upstreamExamplesLoad()
{
    const std::filesystem::path dir = BULKHEAD_SHARED_DIR "/k8s/clusternetworkpolicy-examples";
    if (!std::filesystem::exists(dir))
        QSKIP("../shared/k8s/clusternetworkpolicy-examples is absent");
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.path().extension() == ".yaml")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    QCOMPARE(files.size(), size_t(21));
    size_t clusterPolicies = 0, networkPolicies = 0;
    // The conformance suite fills Go templates with the host-network ports it picked.
    const std::regex port(R"(\{\{ index \.HostNetworkPorts (\d+) \}\})");
    for (const auto &file : files) {
        const std::string text = std::regex_replace(readFile(file.string()), port, "3000$1");
        std::vector<std::string> warnings;
        auto loaded = loadPolicySetText(text, file.filename().string(), &warnings);
        if (file.filename() == "manifests.yaml") {
            // The suite's namespaces and pods: an inventory, refused as policies with what it is.
            QVERIFY(!loaded);
            QCOMPARE(
                loaded.error().message,
                std::string(
                    "is a workload inventory (5 Namespaces, 5 StatefulSets), not NetworkPolicies: "
                    "read it as an inventory (--inventory)"));
            continue;
        }
        QVERIFY_OK(loaded);
        clusterPolicies += loaded->clusterPolicies.size();
        // The writer says everything they say: written, read back and written again, same bytes.
        const std::string written = writeClusterPoliciesYaml(loaded->clusterPolicies);
        auto again = loadPolicySetText(written, "rewritten.yaml");
        QVERIFY2(again.has_value(),
                 again ? "" : (again.error().toString() + "\n" + written).c_str());
        QCOMPARE(writeClusterPoliciesYaml(again->clusterPolicies), written);
        networkPolicies += loaded->networkPolicies.size();
    }
    QCOMPARE(clusterPolicies, size_t(23));
    QCOMPARE(networkPolicies, size_t(1));
}

void TestGuardrails::crdSchema()
{
    const QString crd
        = QStringLiteral(BULKHEAD_SHARED_DIR "/k8s/clusternetworkpolicy-v1alpha2-crd-v0.2.0.yaml");
    if (!QFile::exists(crd))
        QSKIP("../shared/k8s/clusternetworkpolicy-v1alpha2-crd-v0.2.0.yaml is absent");
    const QString python = QStandardPaths::findExecutable("python3");
    if (python.isEmpty())
        QSKIP("python3 is not installed");
    auto zones = loadZonesFile(BULKHEAD_SOURCE_DIR "/samples/online-boutique/zones.yaml");
    QVERIFY(zones.has_value());
    // A zones file with every shape: default zone, rules without from/to, maxLevelsUp.
    Zones wide = *zones;
    wide.rules.push_back(ZoneRule{"anything-to-confidential", std::nullopt,
                                  std::string("confidential"), std::nullopt,
                                  ZoneRule::Action::Block, 0});
    wide.rules.push_back(
        ZoneRule{"two-up", std::nullopt, std::nullopt, 1, ZoneRule::Action::Block, 0});
    wide.rules.push_back(ZoneRule{"into-internal", std::string("public"), std::string("internal"),
                                  std::nullopt, ZoneRule::Action::Block, 0});
    auto rails = generateGuardrails(wide, GuardrailOptions{true, false});
    QVERIFY(rails.has_value());
    // Admin: the sample's rule, anything-to-confidential (from internal, confidential, restricted:
    // public -> confidential is flagged first by one-step-up), into-internal; two-up matches only
    // pairs one-step-up flags first, so it gives none and a warning. Baseline: one per level.
    QCOMPARE(rails->policies.size(), size_t(3 + 4));
    QCOMPARE(rails->warnings.size(), size_t(1));
    QVERIFY(rails->warnings.front().find("\"two-up\" blocks no pair") != std::string::npos);
    QCOMPARE(rails->policies[1].ingress.front().peers.size(), size_t(3));
    QTemporaryDir tmp;
    const QString file = tmp.filePath("guardrails.yaml");
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    const std::string text = writeClusterPoliciesYaml(rails->policies);
    out.write(text.data(), static_cast<qint64>(text.size()));
    out.close();
    QProcess validator;
    validator.start(
        python,
        {QStringLiteral(BULKHEAD_SOURCE_DIR "/tests/tools/validate_policies.py"), crd, file});
    QVERIFY(validator.waitForFinished(60000));
    const QByteArray report = validator.readAllStandardOutput() + validator.readAllStandardError();
    if (report.contains("No module named"))
        QSKIP("python3-jsonschema or python3-yaml is not installed");
    QVERIFY2(validator.exitCode() == 0,
             (report + "\n" + QByteArray::fromStdString(text)).constData());
    QVERIFY2(report.contains(QByteArray::number(qsizetype(rails->policies.size()))
                             + " document(s) checked, all valid"),
             report.constData());
}

QTEST_GUILESS_MAIN(TestGuardrails)
#include "tst_guardrails.moc"
