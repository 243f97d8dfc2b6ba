// A namespace as the peer of an added edge ("ns:NAME"): the design holds one edge per workload
// of the namespace, the generated policy names the namespace (namespaceSelector, no podSelector)
// on exactly the edge's port, the evaluator agrees with the design edge for edge, blast radius
// counts the namespace's workloads, and the Cilium form selects the namespace only.
#include "analysis/analysis.h"
#include "design/decisionnetworks.h"
#include "design/intent.h"
#include "policy/ciliumgenerator.h"
#include "policy/ciliumwriter.h"
#include "policy/generator.h"
#include "policy/policywriter.h"
#include "review/blastradius.h"
#include "review/evaluator.h"
#include "testsupport.h"
#include "zones/zones.h"

#include <QtTest>

#include <set>
#include <tuple>

using namespace bulkhead;
using bulkhead::testing::cidr;
using bulkhead::testing::ip;

namespace {

Workload makeWorkload(const std::string &ns, const std::string &name, const char *address,
                      std::vector<ContainerPort> ports = {})
{
    Workload w;
    w.ns = ns;
    w.name = name;
    w.kind = "Deployment";
    w.labels = {{"app", name}};
    w.ports = std::move(ports);
    PodMember pod;
    pod.name = name + "-0";
    pod.addresses.push_back(ip(address));
    w.pods.push_back(pod);
    return w;
}

// boutique (frontend, cart), monitoring (prometheus, grafana), other (batch), and an empty
// namespace "audit" that only a Namespace object declares.
Inventory inventory()
{
    Inventory inv;
    inv.clusterNetworks = {cidr("10.244.0.0/16")};
    inv.workloads.push_back(
        makeWorkload("boutique", "cart", "10.244.1.2", {{"grpc", 7070, Protocol::TCP}}));
    inv.workloads.push_back(
        makeWorkload("boutique", "frontend", "10.244.1.3", {{"http", 8080, Protocol::TCP}}));
    inv.workloads.push_back(makeWorkload("monitoring", "grafana", "10.244.2.2"));
    inv.workloads.push_back(
        makeWorkload("monitoring", "prometheus", "10.244.2.3", {{"web", 9090, Protocol::TCP}}));
    inv.workloads.push_back(makeWorkload("other", "batch", "10.244.3.2"));
    inv.namespaces["audit"] = {};
    return inv;
}

Intent intentOf(const Inventory &inv, const Decisions &decisions)
{
    Zones zones;
    zones.levels = {{"internal", ""}};
    zones.defaultLevel = "internal";
    return computeIntent(inv, zones, Analysis{}, decisions);
}

GenerateResult generate(const Inventory &inv, const Intent &intent)
{
    GenerateOptions options;
    options.namespaceEdges = intent.namespaceEdges;
    return generatePolicies(inv, intent.edges, options);
}

std::vector<std::string> edgeTexts(const Inventory &inv, const std::vector<Edge> &edges)
{
    std::vector<std::string> out;
    for (const Edge &e : edges)
        out.push_back(edgeRefText(edgeRef(inv, e)));
    return out;
}

const char *const expectedFrontend = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend
  namespace: boutique
  labels:
    app.kubernetes.io/managed-by: bulkhead
spec:
  podSelector:
    matchLabels:
      app: frontend
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
    ports:
    - protocol: TCP
      port: 8080
)";

const char *const expectedCart = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cart
  namespace: boutique
  labels:
    app.kubernetes.io/managed-by: bulkhead
spec:
  podSelector:
    matchLabels:
      app: cart
  policyTypes:
  - Ingress
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
    ports:
    - protocol: TCP
      port: 9090
)";

// The document of `yaml` that holds "name: NAME\n  namespace: NS".
std::string documentOf(const std::string &yaml, const std::string &ns, const std::string &name)
{
    const std::string marker = "  name: " + name + "\n  namespace: " + ns + "\n";
    const size_t at = yaml.find(marker);
    if (at == std::string::npos)
        return {};
    const size_t begin = yaml.rfind("apiVersion:", at);
    const size_t end = yaml.find("\n---\n", at);
    return yaml.substr(begin, end == std::string::npos ? std::string::npos : end + 1 - begin);
}

} // namespace

class tst_NamespacePeer : public QObject
{
    Q_OBJECT

private slots:
    void names()
    {
        QCOMPARE(namespaceOfPeerName("ns:monitoring"), std::string_view("monitoring"));
        QCOMPARE(namespaceOfPeerName("monitoring/prometheus"), std::string_view());
        QCOMPARE(namespaceOfPeerName("world"), std::string_view());
        QCOMPARE(namespacePeerName("monitoring"), std::string("ns:monitoring"));
        QVERIFY(!isDecisionPeerName("ns:monitoring")); // not a network: no ipBlock for it
        const Inventory inv = inventory();
        QCOMPARE(inventoryNamespaces(inv),
                 (std::vector<std::string>{"audit", "boutique", "monitoring", "other"}));
        QVERIFY(inventoryHasNamespace(inv, "audit"));
        QVERIFY(!inventoryHasNamespace(inv, "nosuch"));
        QVERIFY(!inventoryHasNamespace(inv, ""));
    }

    // Both directions: the design holds one edge per workload of monitoring, the policies name
    // the namespace on the edge's port only, and the namespace's own policies allow their side.
    void bothDirections()
    {
        const Inventory inv = inventory();
        Decisions decisions;
        decisions.added.push_back(
            EdgeRef{"ns:monitoring", "boutique/frontend", Protocol::TCP, 8080});
        decisions.added.push_back(EdgeRef{"boutique/cart", "ns:monitoring", Protocol::TCP, 9090});
        const Intent intent = intentOf(inv, decisions);
        QVERIFY2(intent.warnings.empty(),
                 intent.warnings.empty() ? "" : intent.warnings.front().c_str());
        QCOMPARE(edgeTexts(inv, intent.edges),
                 (std::vector<std::string>{"boutique/cart -> monitoring/grafana TCP/9090",
                                           "boutique/cart -> monitoring/prometheus TCP/9090",
                                           "monitoring/grafana -> boutique/frontend TCP/8080",
                                           "monitoring/prometheus -> boutique/frontend TCP/8080"}));
        QCOMPARE(intent.namespaceEdges.size(), size_t(2));

        const GenerateResult generated = generate(inv, intent);
        const std::string yaml = writePoliciesYaml(generated.policies);
        QCOMPARE(documentOf(yaml, "boutique", "frontend"), std::string(expectedFrontend));
        QCOMPARE(documentOf(yaml, "boutique", "cart"), std::string(expectedCart));
        // The namespace's side, workload by workload: prometheus admits cart on 9090 and may
        // reach frontend on 8080.
        const std::string prometheus = documentOf(yaml, "monitoring", "prometheus");
        QVERIFY2(prometheus.find("podSelector:\n        matchLabels:\n          app: cart\n")
                     != std::string::npos,
                 prometheus.c_str());
        QVERIFY(prometheus.find("app: frontend") != std::string::npos);
        QVERIFY(yaml.find("kubernetes.io/metadata.name: monitoring") != std::string::npos);

        // The evaluator agrees with the design on every (source, destination, port) among the
        // workloads, over every port any of them declares or the edges name.
        const PolicyEvaluator evaluator(inv, generated.policies);
        std::set<std::tuple<int, int, uint16_t>> designed;
        for (const Edge &e : intent.edges)
            designed.emplace(e.from.index, e.to.index, e.port);
        int allowedCount = 0;
        for (int from = 0; from < static_cast<int>(inv.workloads.size()); ++from) {
            for (int to = 0; to < static_cast<int>(inv.workloads.size()); ++to) {
                for (uint16_t port :
                     {uint16_t(7070), uint16_t(8080), uint16_t(8081), uint16_t(9090)}) {
                    const bool allowed = evaluator.allows(Peer::workload(from), Peer::workload(to),
                                                          Protocol::TCP, port);
                    const bool expected = designed.contains({from, to, port});
                    QVERIFY2(allowed == expected,
                             (inv.workloads[static_cast<size_t>(from)].id() + " -> "
                              + inv.workloads[static_cast<size_t>(to)].id() + " "
                              + std::to_string(port))
                                 .c_str());
                    allowedCount += allowed;
                }
                QVERIFY(!evaluator.allows(Peer::workload(from), Peer::workload(to), Protocol::UDP,
                                          8080));
            }
        }
        QCOMPARE(allowedCount, 4);

        // Blast radius: frontend is reached by both monitoring workloads, cart reaches both.
        const ReachGraph graph = reachFromEdges(inv, intent.edges);
        Zones zones;
        zones.levels = {{"internal", ""}};
        zones.defaultLevel = "internal";
        const int frontend = inv.findWorkload("boutique/frontend");
        const int cart = inv.findWorkload("boutique/cart");
        QCOMPARE(computeBlastRadius(inv, zones, graph, frontend).reachedBy,
                 (std::vector<int>{cart, inv.findWorkload("monitoring/grafana"),
                                   inv.findWorkload("monitoring/prometheus")}));
        QCOMPARE(computeBlastRadius(inv, zones, graph, cart).direct,
                 (std::vector<int>{inv.findWorkload("monitoring/grafana"),
                                   inv.findWorkload("monitoring/prometheus")}));

        // Cilium: the namespace alone, no pod labels.
        const CiliumResult cilium = toCiliumPolicies(inv, generated.policies, CiliumOptions{});
        const std::string ciliumYaml = writeCiliumPoliciesYaml(cilium.policies);
        QVERIFY2(ciliumYaml.find(
                     "  ingress:\n  - fromEndpoints:\n    - matchLabels:\n"
                     "        \"k8s:io.kubernetes.pod.namespace\": monitoring\n    toPorts:\n")
                     != std::string::npos,
                 ciliumYaml.c_str());
        QVERIFY(ciliumYaml.find(
                    "  egress:\n  - toEndpoints:\n    - matchLabels:\n"
                    "        \"k8s:io.kubernetes.pod.namespace\": monitoring\n    toPorts:\n")
                != std::string::npos);
    }

    // A Namespace object without workloads is a valid peer: the policy names it, nothing is
    // reached today.
    void emptyNamespace()
    {
        const Inventory inv = inventory();
        Decisions decisions;
        decisions.added.push_back(EdgeRef{"ns:audit", "boutique/frontend", Protocol::TCP, 8080});
        const Intent intent = intentOf(inv, decisions);
        QVERIFY(intent.warnings.empty());
        QVERIFY(intent.edges.empty());
        QCOMPARE(intent.namespaceEdges.size(), size_t(1));
        const std::string yaml = writePoliciesYaml(generate(inv, intent).policies);
        QVERIFY(yaml.find("kubernetes.io/metadata.name: audit") != std::string::npos);
        QVERIFY(reachFromEdges(inv, intent.edges)
                    .in[static_cast<size_t>(inv.findWorkload("boutique/frontend"))]
                    .empty());
    }

    void unknownNamespace()
    {
        const Inventory inv = inventory();
        Decisions decisions;
        decisions.added.push_back(EdgeRef{"ns:nosuch", "boutique/frontend", Protocol::TCP, 8080});
        QCOMPARE(unknownNamespaceDecision(inv, decisions),
                 std::string("added edge ns:nosuch -> boutique/frontend TCP/8080: no namespace "
                             "\"nosuch\" in the inventory"));
        const Intent intent = intentOf(inv, decisions);
        QCOMPARE(intent.warnings,
                 (std::vector<std::string>{
                     "added edge ns:nosuch -> boutique/frontend TCP/8080 is ignored: no namespace "
                     "\"nosuch\" in the inventory"}));
        QVERIFY(intent.edges.empty());
        decisions.added = {EdgeRef{"ns:monitoring", "ns:boutique", Protocol::TCP, 80}};
        QVERIFY(unknownNamespaceDecision(inv, decisions).empty());
        QCOMPARE(intentOf(inv, decisions).warnings,
                 (std::vector<std::string>{
                     "added edge ns:monitoring -> ns:boutique TCP/80 is ignored: a namespace "
                     "peer needs a workload at the other end"}));
    }

    // A denial keeps its meaning: it removes the workload edges it names. Denying one workload of
    // the namespace leaves the others allowed one by one (a namespaceSelector cannot leave it out);
    // denying the namespace edge removes it whole.
    void denials()
    {
        const Inventory inv = inventory();
        Decisions decisions;
        decisions.added.push_back(
            EdgeRef{"ns:monitoring", "boutique/frontend", Protocol::TCP, 8080});
        decisions.denied.push_back(
            EdgeRef{"monitoring/grafana", "boutique/frontend", Protocol::TCP, 8080});
        Intent intent = intentOf(inv, decisions);
        QCOMPARE(edgeTexts(inv, intent.edges),
                 (std::vector<std::string>{"monitoring/prometheus -> boutique/frontend TCP/8080"}));
        QVERIFY(intent.namespaceEdges.empty());
        QCOMPARE(intent.warnings,
                 (std::vector<std::string>{
                     "added edge ns:monitoring -> boutique/frontend TCP/8080 is allowed "
                     "workload by workload, not as a namespace: monitoring/grafana -> "
                     "boutique/frontend TCP/8080 is denied or blocked by a zone rule"}));
        const GenerateResult generated = generate(inv, intent);
        for (const NetworkPolicy &policy : generated.policies) {
            for (const PolicyRule &rule : policy.ingress) {
                for (const PolicyPeer &peer : rule.peers)
                    QVERIFY(!peer.namespaceSelector || peer.podSelector); // no whole namespace
            }
        }
        const std::string yaml = writePoliciesYaml(generated.policies);
        const std::string frontend = documentOf(yaml, "boutique", "frontend");
        QVERIFY2(frontend.find("app: prometheus") != std::string::npos, frontend.c_str());
        QVERIFY(frontend.find("app: grafana") == std::string::npos);

        decisions.denied = {EdgeRef{"ns:monitoring", "boutique/frontend", Protocol::TCP, 8080}};
        intent = intentOf(inv, decisions);
        QVERIFY(intent.edges.empty());
        QVERIFY(intent.namespaceEdges.empty());
        QCOMPARE(intent.denied.size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(tst_NamespacePeer)
#include "tst_namespacepeer.moc"
