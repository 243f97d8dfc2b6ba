#include "policy/policykind.h"
#include "policy/policyloader.h"
#include "testsupport.h"

#include <QtTest>

#include <filesystem>

using namespace bulkhead;

namespace {

// A NetworkPolicy document with `spec` (indented by two spaces already) under a fixed header,
// so that spec's first line is line 7.
std::string policyDoc(const std::string &spec, const std::string &name = "deny",
                      const std::string &ns = "shop")
{
    return "apiVersion: networking.k8s.io/v1\n"
           "kind: NetworkPolicy\n"
           "metadata:\n"
           "  name: "
           + name
           + "\n"
             "  namespace: "
           + ns
           + "\n"
             "spec:\n"
           + spec;
}

QString firstLine(const std::string &message)
{
    return QString::fromStdString(message.substr(0, message.find('\n')));
}

} // namespace

class tst_PolicyLoader : public QObject
{
    Q_OBJECT

private slots:
    void validationError_data();
    void validationError();
    void everyProblemIsReported();
    void fileSizeIsCapped();
    void secondDocumentIsNamed();
    void validPolicyIsAccepted_data();
    void validPolicyIsAccepted();
    void syntaxError();
    void multiDocumentAndLists();
    void otherKindsAreSkipped();
    void kindSupport_data();
    void kindSupport();
    void notEvaluatedKindsAreListed();
    void policyTypesDefaulting_data();
    void policyTypesDefaulting();
    void portsAndProtocolDefaulting();
    void peersAndSelectors();
    void namespaceDefaultsAndDuplicates();
    void missingFile();
    void onlineBoutique();
};

void tst_PolicyLoader::validationError_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message"); // first line of the error message, exactly

    const QString doc1 = "document 1 (shop/deny): ";
    QTest::newRow("protocol ICMP") << "  podSelector: {}\n"
                                      "  ingress:\n"
                                      "  - ports:\n"
                                      "    - protocol: ICMP\n"
                                   << 10
                                   << doc1
                                          + "spec.ingress[0].ports[0].protocol: unsupported value "
                                            "\"ICMP\": must be TCP, UDP or SCTP";
    QTest::newRow("protocol lowercase") << "  podSelector: {}\n"
                                           "  ingress:\n"
                                           "  - ports: [{protocol: tcp, port: 80}]\n"
                                        << 9
                                        << doc1
                                               + "spec.ingress[0].ports[0].protocol: unsupported "
                                                 "value \"tcp\": must be TCP, UDP or SCTP";
    QTest::newRow("port 0") << "  podSelector: {}\n"
                               "  egress:\n"
                               "  - ports:\n"
                               "    - port: 0\n"
                            << 10
                            << doc1
                                   + "spec.egress[0].ports[0].port: invalid value 0: must be "
                                     "between 1 and 65535, inclusive";
    QTest::newRow("port 65536") << "  podSelector: {}\n"
                                   "  ingress:\n"
                                   "  - ports:\n"
                                   "    - port: 65536\n"
                                << 10
                                << doc1
                                       + "spec.ingress[0].ports[0].port: invalid value 65536: must "
                                         "be between 1 and 65535, inclusive";
    QTest::newRow("quoted number as port name")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - ports:\n"
           "    - port: \"80\"\n"
        << 10
        << doc1
               + "spec.ingress[0].ports[0].port: invalid value \"80\": a port name must contain at "
                 "least one letter (a number must not be quoted)";
    QTest::newRow("port name too long")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - ports:\n"
           "    - port: abcdefghijklmnop\n"
        << 10
        << doc1
               + "spec.ingress[0].ports[0].port: invalid value \"abcdefghijklmnop\": a port name "
                 "must be 1 to 15 characters long";
    QTest::newRow("port name uppercase")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - ports:\n"
           "    - port: Http\n"
        << 10
        << doc1
               + "spec.ingress[0].ports[0].port: invalid value \"Http\": a port name may contain "
                 "only lowercase letters, digits and '-'";
    QTest::newRow("port name double dash")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - ports:\n"
           "    - port: my--http\n"
        << 10
        << doc1
               + "spec.ingress[0].ports[0].port: invalid value \"my--http\": a port name must not "
                 "contain '--'";
    QTest::newRow("port name leading dash")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - ports:\n"
           "    - port: -http\n"
        << 10
        << doc1
               + "spec.ingress[0].ports[0].port: invalid value \"-http\": a port name must not "
                 "begin or end with '-'";
    QTest::newRow("endPort with named port")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - ports:\n"
           "    - port: http\n"
           "      endPort: 90\n"
        << 11
        << doc1 + "spec.ingress[0].ports[0].endPort: must not be set when port is a port name";
    QTest::newRow("endPort without port")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - ports:\n"
           "    - endPort: 90\n"
        << 10 << doc1 + "spec.ingress[0].ports[0].endPort: must not be set when port is not set";
    QTest::newRow("endPort below port") << "  podSelector: {}\n"
                                           "  ingress:\n"
                                           "  - ports:\n"
                                           "    - port: 80\n"
                                           "      endPort: 79\n"
                                        << 11
                                        << doc1
                                               + "spec.ingress[0].ports[0].endPort: invalid value "
                                                 "79: must be greater than or equal to port (80)";
    QTest::newRow("endPort above 65535") << "  podSelector: {}\n"
                                            "  ingress:\n"
                                            "  - ports:\n"
                                            "    - port: 80\n"
                                            "      endPort: 70000\n"
                                         << 11
                                         << doc1
                                                + "spec.ingress[0].ports[0].endPort: invalid value "
                                                  "70000: must be between 1 and 65535, inclusive";
    QTest::newRow("empty peer") << "  podSelector: {}\n"
                                   "  ingress:\n"
                                   "  - from:\n"
                                   "    - {}\n"
                                << 10
                                << doc1
                                       + "spec.ingress[0].from[0]: must set at least one of "
                                         "podSelector, namespaceSelector or ipBlock";
    QTest::newRow("ipBlock and podSelector")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - from:\n"
           "    - podSelector: {}\n"
           "    - ipBlock: {cidr: 10.0.0.0/8}\n"
           "      podSelector: {}\n"
        << 11 << doc1 + "spec.ingress[0].from[1]: must not set both ipBlock and podSelector";
    QTest::newRow("ipBlock and namespaceSelector")
        << "  podSelector: {}\n"
           "  egress:\n"
           "  - to:\n"
           "    - ipBlock: {cidr: 10.0.0.0/8}\n"
           "      namespaceSelector: {}\n"
        << 10 << doc1 + "spec.egress[0].to[0]: must not set both ipBlock and namespaceSelector";
    QTest::newRow("cidr missing") << "  podSelector: {}\n"
                                     "  egress:\n"
                                     "  - to:\n"
                                     "    - ipBlock: {except: [10.0.0.0/8]}\n"
                                  << 10 << doc1 + "spec.egress[0].to[0].ipBlock.cidr: is required";
    QTest::newRow("cidr invalid") << "  podSelector: {}\n"
                                     "  egress:\n"
                                     "  - to:\n"
                                     "    - ipBlock:\n"
                                     "        cidr: 10.0.0.300/8\n"
                                  << 11
                                  << doc1
                                         + "spec.egress[0].to[0].ipBlock.cidr: invalid value "
                                           "\"10.0.0.300/8\": must be a CIDR such as 10.0.0.0/16";
    QTest::newRow("cidr without prefix")
        << "  podSelector: {}\n"
           "  egress:\n"
           "  - to:\n"
           "    - ipBlock:\n"
           "        cidr: 10.0.0.1\n"
        << 11
        << doc1
               + "spec.egress[0].to[0].ipBlock.cidr: invalid value \"10.0.0.1\": must be a CIDR "
                 "such as 10.0.0.0/16";
    QTest::newRow("except outside cidr")
        << "  podSelector: {}\n"
           "  egress:\n"
           "  - to:\n"
           "    - ipBlock:\n"
           "        cidr: 10.0.0.0/16\n"
           "        except: [10.0.1.0/24, 10.1.0.0/24]\n"
        << 12
        << doc1
               + "spec.egress[0].to[0].ipBlock.except[1]: invalid value \"10.1.0.0/24\": must be a "
                 "strict subset of cidr (10.0.0.0/16)";
    QTest::newRow("except equal to cidr")
        << "  podSelector: {}\n"
           "  egress:\n"
           "  - to:\n"
           "    - ipBlock:\n"
           "        cidr: 10.0.0.0/16\n"
           "        except:\n"
           "        - 10.0.0.0/16\n"
        << 13
        << doc1
               + "spec.egress[0].to[0].ipBlock.except[0]: invalid value \"10.0.0.0/16\": must be a "
                 "strict subset of cidr (10.0.0.0/16)";
    QTest::newRow("policyTypes unknown")
        << "  podSelector: {}\n"
           "  policyTypes: [Ingress, ingress]\n"
        << 8
        << doc1 + "spec.policyTypes[1]: unsupported value \"ingress\": must be Ingress or Egress";
    QTest::newRow("policyTypes three")
        << "  podSelector: {}\n"
           "  policyTypes: [Ingress, Egress, Ingress]\n"
        << 8 << doc1 + "spec.policyTypes: may not specify more than two policyTypes";
    QTest::newRow("bad operator")
        << "  podSelector:\n"
           "    matchExpressions:\n"
           "    - {key: app, operator: in, values: [a]}\n"
        << 9
        << doc1
               + "spec.podSelector.matchExpressions[0].operator: unsupported value \"in\": must be "
                 "In, NotIn, Exists or DoesNotExist";
    QTest::newRow("In without values") << "  podSelector:\n"
                                          "    matchExpressions:\n"
                                          "    - key: app\n"
                                          "      operator: In\n"
                                       << 9
                                       << doc1
                                              + "spec.podSelector.matchExpressions[0].values: must "
                                                "be given when operator is In or NotIn";
    QTest::newRow("NotIn with empty values")
        << "  podSelector: {}\n"
           "  ingress:\n"
           "  - from:\n"
           "    - namespaceSelector:\n"
           "        matchExpressions:\n"
           "        - {key: team, operator: NotIn, values: []}\n"
        << 12
        << doc1
               + "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: must be "
                 "given when operator is In or NotIn";
    QTest::newRow("Exists with values")
        << "  podSelector:\n"
           "    matchExpressions:\n"
           "    - key: app\n"
           "      operator: Exists\n"
           "      values: [a]\n"
        << 11
        << doc1
               + "spec.podSelector.matchExpressions[0].values: must be empty when operator is "
                 "Exists or DoesNotExist";
    QTest::newRow("bad label key")
        << "  podSelector:\n"
           "    matchLabels:\n"
           "      \"my app\": web\n"
        << 9
        << doc1
               + "spec.podSelector.matchLabels[\"my app\"]: invalid key: a label key must consist "
                 "of alphanumerics, '-', '_' or '.', and begin and end with an alphanumeric";
    QTest::newRow("bad label key prefix")
        << "  podSelector:\n"
           "    matchLabels:\n"
           "      Example.com/app: web\n"
        << 9
        << doc1
               + "spec.podSelector.matchLabels[\"Example.com/app\"]: invalid key: the prefix of a "
                 "label key must be a DNS subdomain (lowercase, e.g. example.com)";
    QTest::newRow("bad label value")
        << "  podSelector:\n"
           "    matchLabels:\n"
           "      app: -web\n"
        << 9
        << doc1
               + "spec.podSelector.matchLabels[\"app\"]: invalid value \"-web\": a label value "
                 "must consist of alphanumerics, '-', '_' or '.', and begin and end with an "
                 "alphanumeric";
    QTest::newRow("label value as number")
        << "  podSelector:\n"
           "    matchLabels:\n"
           "      version: 2\n"
        << 9
        << doc1
               + "spec.podSelector.matchLabels[\"version\"]: must be a string; 2 is read as a "
                 "number or a boolean: quote it (\"2\")";
    QTest::newRow("bad expression value")
        << "  podSelector:\n"
           "    matchExpressions:\n"
           "    - key: app\n"
           "      operator: In\n"
           "      values: [\"a b\"]\n"
        << 11
        << doc1
               + "spec.podSelector.matchExpressions[0].values[0]: invalid value \"a b\": a label "
                 "value must consist of alphanumerics, '-', '_' or '.', and begin and end with an "
                 "alphanumeric";
    QTest::newRow("misspelt field")
        << "  podSelector:\n"
           "    matchLabel:\n"
           "      app: web\n"
        << 8 << doc1 + "spec.podSelector.matchLabel: unknown field (is it misspelt?)";
    QTest::newRow("ingress not a list") << "  podSelector: {}\n"
                                           "  ingress:\n"
                                           "    from: []\n"
                                        << 9 << doc1 + "spec.ingress: must be a list";
    QTest::newRow("port not an integer") << "  podSelector: {}\n"
                                            "  ingress:\n"
                                            "  - ports:\n"
                                            "    - port: 80.5\n"
                                         << 10
                                         << doc1
                                                + "spec.ingress[0].ports[0].port: invalid value "
                                                  "80.5: must be a port number or a port name";
}

void tst_PolicyLoader::validationError()
{
    QFETCH(QString, spec);
    QFETCH(int, line);
    QFETCH(QString, message);
    const auto result = loadPoliciesText(policyDoc(spec.toStdString()), "policies.yaml");
    QVERIFY(!result);
    QCOMPARE(QString::fromStdString(result.error().file), QStringLiteral("policies.yaml"));
    QCOMPARE(result.error().line, line);
    QCOMPARE(firstLine(result.error().message), message);
    QVERIFY2(result.error().message.find('\n') == std::string::npos,
             result.error().message.c_str());
}

void tst_PolicyLoader::everyProblemIsReported()
{
    const std::string text = policyDoc("  podSelector: {}\n"                  // 7
                                       "  policyTypes: [Ingress, Sideways]\n" // 8
                                       "  ingress:\n"                         // 9
                                       "  - from:\n"                          // 10
                                       "    - {}\n"                           // 11
                                       "    ports:\n"                         // 12
                                       "    - {protocol: ICMP, port: 0}\n");  // 13
    const auto result = loadPoliciesText(text, "p.yaml");
    QVERIFY(!result);
    QCOMPARE(result.error().line, 11);
    const std::string expected
        = "p.yaml:11: document 1 (shop/deny): spec.ingress[0].from[0]: must set at least one of "
          "podSelector, namespaceSelector or ipBlock\n"
          "p.yaml:13: document 1 (shop/deny): spec.ingress[0].ports[0].protocol: unsupported value "
          "\"ICMP\": must be TCP, UDP or SCTP\n"
          "p.yaml:13: document 1 (shop/deny): spec.ingress[0].ports[0].port: invalid value 0: must "
          "be between 1 and 65535, inclusive\n"
          "p.yaml:8: document 1 (shop/deny): spec.policyTypes[1]: unsupported value \"Sideways\": "
          "must be Ingress or Egress";
    QCOMPARE(QString::fromStdString(result.error().toString()), QString::fromStdString(expected));
}

void tst_PolicyLoader::secondDocumentIsNamed()
{
    const std::string text = policyDoc("  podSelector: {}\n", "ok") + "---\n"  // line 8
                             + policyDoc("  podSelector: {}\n"                 // 15
                                         "  ingress:\n"                        // 16
                                         "  - from:\n"                         // 17
                                         "    - podSelector: {}\n"             // 18
                                         "    - ipBlock: {cidr: 10.0.0.0/8}\n" // 19
                                         "      podSelector: {}\n");
    const auto result = loadPoliciesText(text, "policies.yaml");
    QVERIFY(!result);
    QCOMPARE(QString::fromStdString(result.error().toString()),
             QStringLiteral("policies.yaml:19: document 2 (shop/deny): spec.ingress[0].from[1]: "
                            "must not set both ipBlock and podSelector"));

    // Inside a List, the item is named too.
    const std::string list = "apiVersion: v1\nkind: List\nitems:\n"
                             "- apiVersion: networking.k8s.io/v1\n"
                             "  kind: NetworkPolicy\n"
                             "  metadata: {name: a, namespace: shop}\n"
                             "  spec: {podSelector: {}}\n"
                             "- apiVersion: networking.k8s.io/v1\n"
                             "  kind: NetworkPolicy\n"
                             "  metadata: {name: b}\n"
                             "  spec: {podSelector: {}, policyTypes: [Both]}\n";
    const auto listResult = loadPoliciesText(list, "list.yaml");
    QVERIFY(!listResult);
    QCOMPARE(QString::fromStdString(listResult.error().toString()),
             QStringLiteral("list.yaml:11: document 1 item 2 (default/b): spec.policyTypes[0]: "
                            "unsupported value \"Both\": must be Ingress or Egress"));
}

void tst_PolicyLoader::validPolicyIsAccepted_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("named port") << "  podSelector: {}\n  ingress:\n  - ports: [{port: http-alt}]\n";
    QTest::newRow("15-char port name")
        << "  podSelector: {}\n  ingress:\n  - ports: [{port: abcdefghijklmn5}]\n";
    QTest::newRow("endPort equal to port")
        << "  podSelector: {}\n  ingress:\n  - ports: [{port: 80, endPort: 80}]\n";
    QTest::newRow("endPort 65535")
        << "  podSelector: {}\n  ingress:\n  - ports: [{port: 1, endPort: 65535}]\n";
    QTest::newRow("SCTP")
        << "  podSelector: {}\n  ingress:\n  - ports: [{protocol: SCTP, port: 3868}]\n";
    QTest::newRow("IPv6 ipBlock") << "  podSelector: {}\n  egress:\n  - to: [{ipBlock: {cidr: "
                                     "'fd00::/64', except: ['fd00::/80']}}]\n";
    QTest::newRow("prefixed label key")
        << "  podSelector:\n    matchLabels: {app.kubernetes.io/name: web, version: \"2\"}\n";
    QTest::newRow("empty label value") << "  podSelector:\n    matchLabels: {tier: \"\"}\n";
    QTest::newRow("DoesNotExist")
        << "  podSelector:\n    matchExpressions: [{key: canary, operator: DoesNotExist}]\n";
    QTest::newRow("null rule and null peer lists")
        << "  podSelector: {}\n  ingress:\n  -\n  egress:\n  - to:\n    ports:\n";
    QTest::newRow("no podSelector") << "  policyTypes: [Ingress]\n";
}

void tst_PolicyLoader::validPolicyIsAccepted()
{
    QFETCH(QString, spec);
    const auto result = loadPoliciesText(policyDoc(spec.toStdString()), "ok.yaml");
    QVERIFY_OK(result);
    QCOMPARE(result->size(), size_t(1));
}

void tst_PolicyLoader::syntaxError()
{
    const std::string text
        = policyDoc("  podSelector: {}\n"
                    "  ingress:\n"
                    "  - from: [ {podSelector: {}\n"); // unterminated flow sequence
    const auto result = loadPoliciesText(text, "broken.yaml");
    QVERIFY(!result);
    QCOMPARE(QString::fromStdString(result.error().file), QStringLiteral("broken.yaml"));
    QVERIFY(result.error().line >= 8);
    QVERIFY2(result.error().message.starts_with("YAML syntax error"),
             result.error().message.c_str());

    const auto tabs = loadPoliciesText("kind: NetworkPolicy\nmetadata:\n\tname: x\n", "tabs.yaml");
    QVERIFY(!tabs);
    QCOMPARE(tabs.error().line, 3);
}

void tst_PolicyLoader::multiDocumentAndLists()
{
    const std::string text = policyDoc("  podSelector: {}\n", "b") + "---\n"
                             + "---\n" // an empty document
                             + "apiVersion: v1\n"
                               "kind: List\n"
                               "items:\n"
                               "- apiVersion: networking.k8s.io/v1\n"
                               "  kind: NetworkPolicy\n"
                               "  metadata: {name: c, namespace: web}\n"
                               "  spec: {podSelector: {}}\n"
                               "- apiVersion: networking.k8s.io/v1\n"
                               "  kind: NetworkPolicy\n"
                               "  metadata: {name: a, namespace: shop}\n"
                               "  spec: {podSelector: {}}\n"
                               "---\n"
                               "apiVersion: networking.k8s.io/v1\n"
                               "kind: NetworkPolicyList\n"
                               "items:\n"
                               "- apiVersion: networking.k8s.io/v1\n"
                               "  kind: NetworkPolicy\n"
                               "  metadata: {name: d, namespace: ops}\n"
                               "  spec: {podSelector: {}}\n";
    std::vector<std::string> warnings;
    const auto result = loadPoliciesText(text, "many.yaml", &warnings);
    QVERIFY_OK(result);
    QStringList ids;
    for (const NetworkPolicy &p : *result)
        ids << QString::fromStdString(p.id());
    QCOMPARE(ids,
             QStringList({"ops/d", "shop/a", "shop/b", "web/c"})); // sorted by (namespace, name)
    QVERIFY(warnings.empty());
    const NetworkPolicy &c = result->back();
    QCOMPARE(QString::fromStdString(c.sourceFile), QStringLiteral("many.yaml"));
    QCOMPARE(c.sourceLine, 13);
}

void tst_PolicyLoader::otherKindsAreSkipped()
{
    const std::string text = "apiVersion: v1\nkind: Service\nmetadata: {name: cart}\nspec: {ports: "
                             "[{port: 80}]}\n---\n"
                             + policyDoc("  podSelector: {}\n") + "---\n"
                             + "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: "
                               "ConfigMap, metadata: {name: x}}\n";
    std::vector<std::string> warnings;
    const auto result = loadPoliciesText(text, "mixed.yaml", &warnings);
    QVERIFY_OK(result);
    QCOMPARE(result->size(), size_t(1));
    QCOMPARE(warnings.size(), size_t(2));
    QCOMPARE(
        QString::fromStdString(warnings[0]),
        QStringLiteral(
            "mixed.yaml:1: document 1: skipped a Service (only NetworkPolicy objects are read)"));
    QCOMPARE(QString::fromStdString(warnings[1]),
             QStringLiteral("mixed.yaml:17: document 3 item 1: skipped a ConfigMap (only "
                            "NetworkPolicy objects are read)"));

    // A document without a kind is not a Kubernetes object at all.
    const auto noKind = loadPoliciesText("metadata: {name: x}\nspec: {}\n", "nokind.yaml");
    QVERIFY(!noKind);
    QCOMPARE(noKind.error().line, 1);
    QCOMPARE(QString::fromStdString(noKind.error().message),
             QStringLiteral(
                 "document 1: has no kind; expected NetworkPolicy, NetworkPolicyList or List"));
}

void tst_PolicyLoader::kindSupport_data()
{
    QTest::addColumn<QString>("apiVersion");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("support");
    const int evaluated = int(PolicyKindSupport::Evaluated), list = int(PolicyKindSupport::List),
              notEvaluated = int(PolicyKindSupport::NotEvaluated),
              notAPolicy = int(PolicyKindSupport::NotAPolicy);
    QTest::newRow("NetworkPolicy") << "networking.k8s.io/v1"
                                   << "NetworkPolicy" << evaluated;
    QTest::newRow("misspelt version: the reader says so") << "networking.k8s.io/v2"
                                                          << "NetworkPolicy" << evaluated;
    QTest::newRow("no apiVersion: the reader says so") << ""
                                                       << "NetworkPolicy" << evaluated;
    QTest::newRow("List") << "v1"
                          << "List" << list;
    QTest::newRow("NetworkPolicyList") << "networking.k8s.io/v1"
                                       << "NetworkPolicyList" << list;
    QTest::newRow("Calico v3 NetworkPolicy") << "projectcalico.org/v3"
                                             << "NetworkPolicy" << notEvaluated;
    QTest::newRow("Calico CRD NetworkPolicy") << "crd.projectcalico.org/v1"
                                              << "NetworkPolicy" << notEvaluated;
    QTest::newRow("Calico GlobalNetworkPolicy") << "projectcalico.org/v3"
                                                << "GlobalNetworkPolicy" << notEvaluated;
    QTest::newRow("Calico GlobalNetworkSet") << "projectcalico.org/v3"
                                             << "GlobalNetworkSet" << notEvaluated;
    QTest::newRow("CiliumNetworkPolicy") << "cilium.io/v2"
                                         << "CiliumNetworkPolicy" << notEvaluated;
    QTest::newRow("CiliumClusterwideNetworkPolicy")
        << "cilium.io/v2"
        << "CiliumClusterwideNetworkPolicy" << notEvaluated;
    QTest::newRow("Antrea ClusterNetworkPolicy") << "crd.antrea.io/v1beta1"
                                                 << "ClusterNetworkPolicy" << notEvaluated;
    QTest::newRow("AdminNetworkPolicy") << "policy.networking.k8s.io/v1alpha1"
                                        << "AdminNetworkPolicy" << notEvaluated;
    QTest::newRow("Istio AuthorizationPolicy") << "security.istio.io/v1"
                                               << "AuthorizationPolicy" << notEvaluated;
    QTest::newRow("unknown vendor's policy") << "example.com/v1"
                                             << "FirewallPolicy" << notEvaluated;
    QTest::newRow("ConfigMap") << "v1"
                               << "ConfigMap" << notAPolicy;
    QTest::newRow("Deployment") << "apps/v1"
                                << "Deployment" << notAPolicy;
}

void tst_PolicyLoader::kindSupport()
{
    QFETCH(QString, apiVersion);
    QFETCH(QString, kind);
    QFETCH(int, support);
    QCOMPARE(int(policyKindSupport(apiVersion.toStdString(), kind.toStdString())), support);
}

void tst_PolicyLoader::notEvaluatedKindsAreListed()
{
    // Calico's own NetworkPolicy has fields a networking.k8s.io one does not: it is listed, not
    // refused field by field.
    const std::string text
        = "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\n"
          "metadata: {name: deny, namespace: shop}\n"
          "spec: {selector: app == 'web', types: [Ingress], ingress: [{action: Deny}]}\n"
          "---\n"
          + policyDoc("  podSelector: {}\n") + "---\n"
          + "apiVersion: v1\nkind: List\nitems:\n"
            "- {apiVersion: cilium.io/v2, kind: CiliumClusterwideNetworkPolicy, metadata: {name: "
            "cw}}\n";
    std::vector<std::string> warnings;
    std::vector<NotEvaluatedPolicy> notEvaluated;
    const auto result = loadPoliciesText(text, "mixed.yaml", &warnings, &notEvaluated);
    QVERIFY_OK(result);
    QCOMPARE(result->size(), size_t(1));
    QVERIFY(warnings.empty());
    QCOMPARE(notEvaluated.size(), size_t(2));
    QCOMPARE(QString::fromStdString(notEvaluated[0].policy), QStringLiteral("shop/deny"));
    QCOMPARE(QString::fromStdString(notEvaluated[0].apiVersion),
             QStringLiteral("projectcalico.org/v3"));
    QCOMPARE(notEvaluated[0].line, 1);
    QCOMPARE(QString::fromStdString(notEvaluated[1].policy), QStringLiteral("cw"));
    QCOMPARE(QString::fromStdString(notEvaluated[1].kind),
             QStringLiteral("CiliumClusterwideNetworkPolicy"));

    // A caller that does not ask for the list gets a warning for each: never dropped silently.
    std::vector<std::string> only;
    QVERIFY(loadPoliciesText(text, "mixed.yaml", &only).has_value());
    QCOMPARE(only.size(), size_t(2));
    QCOMPARE(QString::fromStdString(only[0]),
             QStringLiteral(
                 "mixed.yaml:1: NetworkPolicy shop/deny (projectcalico.org/v3) is not evaluated: "
                 "verdicts leave it out"));

    // A NetworkPolicyList from the API: items without kind and apiVersion take the list's.
    const auto typed
        = loadPoliciesText("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n"
                           "- metadata: {name: a, namespace: shop}\n  spec: {podSelector: {}}\n",
                           "list.yaml");
    QVERIFY_OK(typed);
    QCOMPARE(typed->size(), size_t(1));
    QCOMPARE(QString::fromStdString(typed->front().id()), QStringLiteral("shop/a"));
}

void tst_PolicyLoader::policyTypesDefaulting_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("given");
    QTest::addColumn<bool>("ingressType");
    QTest::addColumn<bool>("egressType");
    QTest::addColumn<bool>("ingressGiven");
    QTest::addColumn<bool>("egressGiven");
    QTest::addColumn<int>("ingressRules");
    QTest::addColumn<int>("egressRules");

    QTest::newRow("nothing") << "  podSelector: {}\n"
                             << false << true << false << false << false << 0 << 0;
    QTest::newRow("ingress: []") << "  podSelector: {}\n  ingress: []\n"
                                 << false << true << false << true << false << 0 << 0;
    QTest::newRow("egress: [] does not add Egress")
        << "  podSelector: {}\n  egress: []\n"
        << false << true << false << false << true << 0 << 0;
    QTest::newRow("egress rule adds Egress") << "  podSelector: {}\n  egress:\n  - {}\n"
                                             << false << true << true << false << true << 0 << 1;
    QTest::newRow("policyTypes: [] is absent")
        << "  podSelector: {}\n  policyTypes: []\n  egress: [{}]\n"
        << false << true << true << false << true << 0 << 1;
    QTest::newRow("Egress only") << "  podSelector: {}\n  policyTypes: [Egress]\n"
                                 << true << false << true << false << false << 0 << 0;
    QTest::newRow("Egress only, ingress rules ignored")
        << "  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n"
        << true << false << true << true << false << 1 << 0;
    QTest::newRow("both")
        << "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{}, {}]\n"
        << true << true << true << true << false << 2 << 0;
}

void tst_PolicyLoader::policyTypesDefaulting()
{
    QFETCH(QString, spec);
    QFETCH(bool, given);
    QFETCH(bool, ingressType);
    QFETCH(bool, egressType);
    QFETCH(bool, ingressGiven);
    QFETCH(bool, egressGiven);
    QFETCH(int, ingressRules);
    QFETCH(int, egressRules);
    const auto result = loadPoliciesText(policyDoc(spec.toStdString()), "p.yaml");
    QVERIFY_OK(result);
    const NetworkPolicy &p = result->front();
    QCOMPARE(p.policyTypesGiven, given);
    QCOMPARE(p.hasIngressType, ingressType);
    QCOMPARE(p.hasEgressType, egressType);
    QCOMPARE(p.ingressGiven, ingressGiven);
    QCOMPARE(p.egressGiven, egressGiven);
    QCOMPARE(int(p.ingress.size()), ingressRules);
    QCOMPARE(int(p.egress.size()), egressRules);
}

void tst_PolicyLoader::portsAndProtocolDefaulting()
{
    const auto result
        = loadPoliciesText(policyDoc("  podSelector: {}\n"
                                     "  ingress:\n"
                                     "  - ports:\n"
                                     "    - {}\n"
                                     "    - port: 80\n"
                                     "    - {port: 8000, endPort: 8080, protocol: UDP}\n"
                                     "    - {port: http, protocol: SCTP}\n"
                                     "    - {protocol: UDP}\n"),
                           "p.yaml");
    QVERIFY_OK(result);
    const std::vector<PolicyPort> &ports = result->front().ingress.at(0).ports;
    QCOMPARE(ports.size(), size_t(5));
    QVERIFY(!ports[0].protocol && !ports[0].port && !ports[0].endPort);
    QCOMPARE(ports[0].effectiveProtocol(), Protocol::TCP);
    QVERIFY(!ports[1].protocol);
    QCOMPARE(ports[1].effectiveProtocol(), Protocol::TCP);
    QCOMPARE(std::get<uint16_t>(*ports[1].port), uint16_t(80));
    QCOMPARE(ports[2].effectiveProtocol(), Protocol::UDP);
    QCOMPARE(std::get<uint16_t>(*ports[2].port), uint16_t(8000));
    QCOMPARE(*ports[2].endPort, uint16_t(8080));
    QCOMPARE(ports[3].effectiveProtocol(), Protocol::SCTP);
    QCOMPARE(QString::fromStdString(std::get<std::string>(*ports[3].port)), QStringLiteral("http"));
    QCOMPARE(ports[4].effectiveProtocol(), Protocol::UDP);
    QVERIFY(!ports[4].port);
}

void tst_PolicyLoader::peersAndSelectors()
{
    const auto result
        = loadPoliciesText(policyDoc("  podSelector:\n"
                                     "    matchLabels: {app: cart}\n"
                                     "    matchExpressions:\n"
                                     "    - {key: tier, operator: NotIn, values: [db, cache]}\n"
                                     "  egress:\n"
                                     "  - to:\n"
                                     "    - namespaceSelector: {matchLabels: {team: a}}\n"
                                     "      podSelector: {}\n"
                                     "    - namespaceSelector: {}\n"
                                     "    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n"),
                           "p.yaml");
    QVERIFY_OK(result);
    const NetworkPolicy &p = result->front();
    QCOMPARE(p.podSelector.matchLabels.at("app"), std::string("cart"));
    QCOMPARE(p.podSelector.matchExpressions.size(), size_t(1));
    QCOMPARE(p.podSelector.matchExpressions[0].op, LabelSelectorRequirement::Operator::NotIn);
    QCOMPARE(p.podSelector.matchExpressions[0].values, (std::vector<std::string>{"db", "cache"}));
    const std::vector<PolicyPeer> &peers = p.egress.at(0).peers;
    QCOMPARE(peers.size(), size_t(3));
    QVERIFY(peers[0].namespaceSelector && peers[0].podSelector && peers[0].podSelector->isEmpty()
            && !peers[0].ipBlock);
    QCOMPARE(peers[0].namespaceSelector->matchLabels.at("team"), std::string("a"));
    QVERIFY(peers[1].namespaceSelector && peers[1].namespaceSelector->isEmpty()
            && !peers[1].podSelector);
    QVERIFY(peers[2].ipBlock && !peers[2].podSelector && !peers[2].namespaceSelector);
    QCOMPARE(peers[2].ipBlock->cidr, *Cidr::parse("10.0.0.0/8"));
    QCOMPARE(peers[2].ipBlock->except, (std::vector<Cidr>{*Cidr::parse("10.1.0.0/16")}));
    QVERIFY(p.egress[0].ports.empty());
}

void tst_PolicyLoader::namespaceDefaultsAndDuplicates()
{
    const std::string text
        = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a}\n"
          "spec: {podSelector: {}, policyTypes: [Ingress]}\n"
          "---\n"
          "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: "
          "default}\n"
          "spec: {podSelector: {}, policyTypes: [Egress]}\n";
    std::vector<std::string> warnings;
    const auto result = loadPoliciesText(text, "dup.yaml", &warnings);
    QVERIFY_OK(result);
    QCOMPARE(result->size(), size_t(1));
    QCOMPARE(QString::fromStdString(result->front().id()), QStringLiteral("default/a"));
    QVERIFY(result->front().hasEgressType); // the later definition wins
    QVERIFY(!result->front().hasIngressType);
    QCOMPARE(warnings.size(), size_t(1));
    QCOMPARE(QString::fromStdString(warnings[0]),
             QStringLiteral("dup.yaml:6: policy default/a is defined again (first at dup.yaml:1); "
                            "the later definition is used"));
}

void tst_PolicyLoader::missingFile()
{
    const auto result = loadPoliciesFile("/nonexistent/policies.yaml");
    QVERIFY(!result);
    QCOMPARE(QString::fromStdString(result.error().file),
             QStringLiteral("/nonexistent/policies.yaml"));
    QCOMPARE(result.error().line, 0);
}

void tst_PolicyLoader::onlineBoutique()
{
    const std::filesystem::path folder
        = std::filesystem::path(BULKHEAD_SHARED_DIR) / "apps/online-boutique/network-policies";
    if (!std::filesystem::is_directory(folder))
        QSKIP("the Online Boutique policies are not in BULKHEAD_SHARED_DIR");
    std::vector<std::string> paths;
    for (const auto &entry : std::filesystem::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("network-policy-") && name.ends_with(".yaml"))
            paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> warnings;
    const auto result = loadPolicyFiles(paths, &warnings);
    QVERIFY_OK(result);
    QCOMPARE(result->size(), size_t(13));
    QVERIFY(warnings.empty());

    QStringList names;
    for (const NetworkPolicy &p : *result) {
        QCOMPARE(QString::fromStdString(p.ns), QStringLiteral("default"));
        QVERIFY(p.policyTypesGiven);
        names << QString::fromStdString(p.name);
    }
    QCOMPARE(names, QStringList({"adservice", "cartservice", "checkoutservice", "currencyservice",
                                 "deny-all", "emailservice", "frontend", "loadgenerator",
                                 "paymentservice", "productcatalogservice", "recommendationservice",
                                 "redis-cart", "shippingservice"}));

    const NetworkPolicy &cart = (*result)[1];
    QCOMPARE(cart.podSelector.matchLabels, (Labels{{"app", "cartservice"}}));
    QVERIFY(cart.hasIngressType && cart.hasEgressType);
    QCOMPARE(cart.ingress.size(), size_t(1));
    QCOMPARE(cart.ingress[0].peers.size(), size_t(2));
    QCOMPARE(cart.ingress[0].peers[0].podSelector->matchLabels, (Labels{{"app", "frontend"}}));
    QCOMPARE(cart.ingress[0].peers[1].podSelector->matchLabels,
             (Labels{{"app", "checkoutservice"}}));
    QVERIFY(!cart.ingress[0].peers[0].namespaceSelector);
    QCOMPARE(cart.ingress[0].ports.size(), size_t(1));
    QCOMPARE(*cart.ingress[0].ports[0].protocol, Protocol::TCP);
    QCOMPARE(std::get<uint16_t>(*cart.ingress[0].ports[0].port), uint16_t(7070));
    QCOMPARE(cart.egress.size(), size_t(1)); // egress: [{}] allows everything
    QVERIFY(cart.egress[0].peers.empty() && cart.egress[0].ports.empty());
    QCOMPARE(QString::fromStdString(cart.sourceFile),
             QString::fromStdString((folder / "network-policy-cartservice.yaml").string()));

    const NetworkPolicy &denyAll = (*result)[4];
    QVERIFY(denyAll.podSelector.isEmpty());
    QVERIFY(denyAll.hasIngressType && denyAll.hasEgressType);
    QVERIFY(denyAll.ingress.empty() && denyAll.egress.empty());
    QVERIFY(!denyAll.ingressGiven && !denyAll.egressGiven);

    const NetworkPolicy &loadgen = (*result)[7];
    QVERIFY(!loadgen.hasIngressType && loadgen.hasEgressType);
    QCOMPARE(loadgen.egress.size(), size_t(1));

    const NetworkPolicy &frontend = (*result)[6];
    QCOMPARE(frontend.ingress.size(), size_t(1));
    QVERIFY(frontend.ingress[0].peers.empty() && frontend.ingress[0].ports.empty());
}

void tst_PolicyLoader::fileSizeIsCapped()
{
    // A sparse file: refused from its size, before a byte is read.
    QTemporaryDir dir;
    const QString path = dir.filePath("huge.yaml");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(qint64(65) << 20));
    file.close();
    const auto loaded = loadPoliciesFile(path.toStdString());
    QVERIFY(!loaded);
    QCOMPARE(
        QString::fromStdString(loaded.error().toString()),
        path + ": the policy file is 65 MiB, larger than the 64 MiB Bulkhead reads in one file");

    const auto folder = loadPoliciesFile(dir.path().toStdString());
    QVERIFY(!folder);
    QCOMPARE(QString::fromStdString(folder.error().message),
             QString("cannot read the policy file: it is a directory"));
}

QTEST_GUILESS_MAIN(tst_PolicyLoader)
#include "tst_policyloader.moc"
