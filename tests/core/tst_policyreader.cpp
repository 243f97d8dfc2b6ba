// PolicyReader (core/policy/policyreader.h): parsed YAML objects into NetworkPolicy values, every
// problem collected with its line and field path (not only the first), the API server's
// defaults, lists, and objects of other kinds. tst_policyloader covers the file-level loader.
#include "policy/policyreader.h"
#include "util/yamlreader.h"

#include <QtTest>

using namespace bulkhead;

namespace {

// Reads every document of `yaml` as the loader does ("document N").
PolicyReader read(const char *yaml)
{
    PolicyReader reader("p.yaml");
    const std::vector<YAML::Node> documents = YAML::LoadAll(yaml);
    for (size_t i = 0; i < documents.size(); ++i)
        reader.readObject(documents[i], "document " + std::to_string(i + 1));
    return reader;
}

QStringList problems(const PolicyReader &reader)
{
    QStringList out;
    for (const Error &p : reader.problems())
        out << QString::number(p.line) + ": " + QString::fromStdString(p.message);
    return out;
}

QStringList strings(const std::vector<std::string> &list)
{
    QStringList out;
    for (const std::string &s : list)
        out << QString::fromStdString(s);
    return out;
}

} // namespace

class tst_PolicyReader : public QObject
{
    Q_OBJECT

private slots:
    void readsEveryField()
    {
        PolicyReader reader = read(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
  labels: {team: a}
spec:
  podSelector:
    matchLabels: {app: api}
    matchExpressions: [{key: tier, operator: NotIn, values: [web]}]
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
      namespaceSelector: {matchLabels: {team: a}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {protocol: TCP, port: 8080}
    - {port: grpc}
    - {protocol: UDP, port: 5000, endPort: 5010}
  egress:
  - {}
)");
        QCOMPARE(problems(reader), QStringList());
        QCOMPARE(reader.policies().size(), size_t(1));
        const NetworkPolicy &p = reader.policies()[0];
        QCOMPARE(p.id(), std::string("shop/api"));
        QVERIFY(p.namespaceGiven);
        QCOMPARE(p.labels, (Labels{{"team", "a"}}));
        QCOMPARE(p.podSelector.matchLabels, (Labels{{"app", "api"}}));
        QCOMPARE(p.podSelector.matchExpressions.size(), size_t(1));
        QCOMPARE(p.podSelector.matchExpressions[0].op, LabelSelectorRequirement::Operator::NotIn);
        QCOMPARE(p.podSelector.matchExpressions[0].values, std::vector<std::string>{"web"});
        QVERIFY(p.hasIngressType && p.hasEgressType && p.policyTypesGiven);
        QCOMPARE(p.ingress.size(), size_t(1));
        const PolicyRule &rule = p.ingress[0];
        QCOMPARE(rule.peers.size(), size_t(2));
        QVERIFY(rule.peers[0].podSelector && rule.peers[0].namespaceSelector
                && !rule.peers[0].ipBlock);
        QCOMPARE(rule.peers[1].ipBlock->cidr.toString(), std::string("10.0.0.0/8"));
        QCOMPARE(rule.peers[1].ipBlock->except.size(), size_t(1));
        QCOMPARE(rule.ports.size(), size_t(3));
        QCOMPARE(std::get<uint16_t>(*rule.ports[0].port), uint16_t(8080));
        QCOMPARE(std::get<std::string>(*rule.ports[1].port), std::string("grpc"));
        QVERIFY(!rule.ports[1].protocol);
        QCOMPARE(rule.ports[1].effectiveProtocol(), Protocol::TCP); // absent = TCP
        QCOMPARE(*rule.ports[2].endPort, uint16_t(5010));
        QCOMPARE(p.egress.size(), size_t(1));
        QVERIFY(p.egress[0].peers.empty() && p.egress[0].ports.empty()); // {}: everything
        QCOMPARE(p.sourceFile, std::string("p.yaml"));
        QCOMPARE(p.sourceLine, 1);
    }

    // What the API server fills in: namespace (left to kubectl apply -n), policyTypes from the
    // rules present; no spec at all denies all ingress (with a warning).
    void defaults()
    {
        PolicyReader reader = read(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-only}
spec:
  podSelector: {}
  egress: [{to: [{podSelector: {}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bare, namespace: shop}
)");
        QCOMPARE(problems(reader), QStringList());
        QCOMPARE(reader.policies().size(), size_t(2));
        const NetworkPolicy &a = reader.policies()[0];
        QCOMPARE(a.ns, std::string("default"));
        QVERIFY(!a.namespaceGiven);
        QVERIFY(!a.policyTypesGiven);
        QVERIFY(a.hasIngressType);
        QVERIFY(a.hasEgressType); // spec.egress has a rule
        QVERIFY(a.podSelector.isEmpty());
        const NetworkPolicy &b = reader.policies()[1];
        QVERIFY(b.hasIngressType && !b.hasEgressType);
        QCOMPARE(strings(reader.warnings()),
                 QStringList{"p.yaml:8: document 2 (shop/bare): has no spec: it selects every pod "
                             "of namespace shop "
                             "and denies all their ingress"});
    }

    // Every problem of a document, each with its line and path, named by document and policy.
    void collectsEveryProblem()
    {
        PolicyReader reader = read(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: Bad_Name, namespace: shop}
spec:
  podSelector: {matchLabels: {enabled: yes}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]
    ports: [{protocol: tcp, port: 0}]
  egres: []
)");
        // In the order the reader meets them: metadata, the unknown key, then spec field by field.
        QCOMPARE(problems(reader),
                 (QStringList{
                     "3: document 1 (shop/Bad_Name): metadata.name: invalid value \"Bad_Name\": a "
                     "name must be a DNS "
                     "subdomain: lowercase letters, digits, '-' and '.', at most 253 characters, "
                     "beginning and ending "
                     "with a letter or digit",
                     "9: document 1 (shop/Bad_Name): spec.egres: unknown field (is it misspelt?)",
                     "5: document 1 (shop/Bad_Name): spec.podSelector.matchLabels[\"enabled\"]: "
                     "must be a string; yes is "
                     "read as a number or a boolean: quote it (\"yes\")",
                     "7: document 1 (shop/Bad_Name): spec.ingress[0].from[0].ipBlock.cidr: invalid "
                     "value \"10.0.0.0/33\": "
                     "must be a CIDR such as 10.0.0.0/16",
                     "8: document 1 (shop/Bad_Name): spec.ingress[0].ports[0].protocol: "
                     "unsupported value \"tcp\": must be "
                     "TCP, UDP or SCTP",
                     "8: document 1 (shop/Bad_Name): spec.ingress[0].ports[0].port: invalid value "
                     "0: must be between 1 and "
                     "65535, inclusive",
                 }));
        // The policy is still returned (the loader refuses the file on any problem).
        QCOMPARE(reader.policies().size(), size_t(1));
    }

    // A NetworkPolicyList's items carry neither kind nor apiVersion; a List's items do.
    void lists()
    {
        PolicyReader reader = read(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicyList
items:
- metadata: {name: a, namespace: shop}
  spec: {podSelector: {}}
- metadata: {name: b, namespace: shop}
  spec: {podSelector: {}}
---
apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: c, namespace: shop}
  spec: {podSelector: {}}
- kind: NetworkPolicy
  metadata: {name: d, namespace: shop}
  spec: {podSelector: {}}
)");
        QStringList ids;
        for (const NetworkPolicy &p : reader.policies())
            ids << QString::fromStdString(p.id());
        QCOMPARE(ids, (QStringList{"shop/a", "shop/b", "shop/c", "shop/d"}));
        QCOMPARE(
            problems(reader),
            QStringList{
                "16: document 2 item 2 (shop/d): apiVersion: is required (networking.k8s.io/v1)"});
    }

    // Other kinds: a non-policy is skipped with a warning; a policy kind Bulkhead does not
    // evaluate is listed (never dropped silently) unless the kind hook reads it.
    void otherKinds()
    {
        const char *yaml = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-all}
spec: {selector: all()}
---
- not an object
)";
        PolicyReader reader = read(yaml);
        QVERIFY(reader.policies().empty());
        QCOMPARE(
            strings(reader.warnings()),
            QStringList{
                "p.yaml:1: document 1: skipped a ConfigMap (only NetworkPolicy objects are read)"});
        QCOMPARE(reader.notEvaluatedPolicies().size(), size_t(1));
        const NotEvaluatedPolicy &n = reader.notEvaluatedPolicies()[0];
        QCOMPARE(n.policy, std::string("deny-all"));
        QCOMPARE(n.kind, std::string("GlobalNetworkPolicy"));
        QCOMPARE(n.apiVersion, std::string("projectcalico.org/v3"));
        QCOMPARE(n.file, std::string("p.yaml"));
        QCOMPARE(n.line, 5);
        QCOMPARE(
            problems(reader),
            QStringList{
                "10: document 3: must be a Kubernetes object (a map with apiVersion and kind)"});

        PolicyReader hooked("p.yaml");
        QStringList offered;
        hooked.setKindHook([&](const YAML::Node &, const std::string &kind) {
            offered << QString::fromStdString(kind);
            return true;
        });
        const std::vector<YAML::Node> documents = YAML::LoadAll(yaml);
        hooked.readObject(documents[1], "document 2");
        QCOMPARE(offered, QStringList{"GlobalNetworkPolicy"});
        QVERIFY(hooked.notEvaluatedPolicies().empty());
    }

    void lines()
    {
        const YAML::Node root = YAML::Load("a: 1\nb:\n  c: 2\n");
        QCOMPARE(YamlReader::line(root["b"]["c"]), 3);
        QCOMPARE(YamlReader::line(YAML::Node()), 0);
    }
};

QTEST_GUILESS_MAIN(tst_PolicyReader)
#include "tst_policyreader.moc"
