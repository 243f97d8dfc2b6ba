#include "policy/generator.h"
#include "testsupport.h"

#include "policy/k8snames.h"
#include "policy/policywriter.h"

#include <QtTest>

#include <algorithm>
#include <set>
#include <tuple>

using namespace bulkhead;
using bulkhead::testing::cidr;
using bulkhead::testing::ip;

namespace {

Workload makeWorkload(const std::string &ns, const std::string &name, Labels labels,
                      std::vector<ContainerPort> ports = {}, const char *address = nullptr)
{
    Workload w;
    w.ns = ns;
    w.name = name;
    w.kind = "Deployment";
    w.labels = std::move(labels);
    w.ports = std::move(ports);
    PodMember pod;
    pod.name = name + "-0";
    if (address)
        pod.addresses.push_back(ip(address));
    w.pods.push_back(pod);
    return w;
}

// A small shop: two app namespaces, the cluster DNS, a declared network and another node.
Inventory shopInventory()
{
    Inventory inv;
    inv.clusterNetworks = {cidr("10.244.0.0/16"), cidr("10.96.0.0/12")};
    inv.workloads.push_back(makeWorkload("kube-system", "coredns",
                                         {{"k8s-app", "kube-dns"}, {"pod-template-hash", "x1"}},
                                         {{"dns", 53, Protocol::UDP},
                                          {"dns-tcp", 53, Protocol::TCP},
                                          {"metrics", 9153, Protocol::TCP}},
                                         "10.244.0.2"));
    inv.workloads.push_back(makeWorkload("shop", "cart", {{"app", "cart"}},
                                         {{"grpc", 7070, Protocol::TCP}}, "10.244.1.2"));
    inv.workloads.push_back(makeWorkload("shop", "checkout", {{"app", "checkout"}},
                                         {{"grpc", 5050, Protocol::TCP}}, "10.244.1.3"));
    inv.workloads.push_back(makeWorkload("shop", "frontend", {{"app", "frontend"}},
                                         {{"http", 8080, Protocol::TCP}}, "10.244.1.4"));
    inv.workloads.push_back(
        makeWorkload("shop", "recommendation", {{"app", "recommendation"}}, {}, "10.244.1.5"));
    inv.workloads.push_back(makeWorkload("shop", "redis", {{"app", "redis"}},
                                         {{"redis", 6379, Protocol::TCP}}, "10.244.1.6"));
    inv.workloads.push_back(makeWorkload("web", "gateway", {{"app", "gateway"}}, {}, "10.244.2.2"));
    inv.externals.push_back(ExternalNetwork{"corp", {cidr("10.0.0.0/8")}});
    inv.nodes.push_back(Node{"node-b", {ip("172.18.0.3")}});
    return inv;
}

int W(const Inventory &inv, const char *ns, const char *name)
{
    const int i = inv.findWorkload(ns, name);
    Q_ASSERT(i >= 0);
    return i;
}

Edge edge(Peer from, Peer to, uint16_t port, Protocol protocol = Protocol::TCP)
{
    Edge e;
    e.from = from;
    e.to = to;
    e.port = port;
    e.protocol = protocol;
    e.evidence.flows = 3;
    e.evidence.packets = 30;
    e.evidence.bytes = 3000;
    e.evidence.firstSeenUs = 1714564800000000; // 2024-05-01T12:00:00Z
    e.evidence.lastSeenUs = 1714564805000000;
    e.evidence.files = {0};
    return e;
}

Peer ext(const char *address)
{
    return Peer{PeerKind::External, -1, ip(address)};
}

std::string selectorText(const LabelSelector &s)
{
    std::string out;
    for (const auto &[k, v] : s.matchLabels)
        out += (out.empty() ? "" : ",") + k + '=' + v;
    for (const LabelSelectorRequirement &r : s.matchExpressions) {
        out += (out.empty() ? "" : ",") + r.key;
        out += r.op == LabelSelectorRequirement::Operator::DoesNotExist ? " DoesNotExist" : " ?";
    }
    return out;
}

// "pod{app=cart}", "ns{...}+pod{...}", "ip{10.0.0.0/8 except 10.244.0.0/16}"
std::string peerText(const PolicyPeer &p)
{
    std::string out;
    if (p.namespaceSelector)
        out += "ns{" + selectorText(*p.namespaceSelector) + "}";
    if (p.podSelector)
        out += (out.empty() ? "" : "+") + std::string("pod{") + selectorText(*p.podSelector) + "}";
    if (p.ipBlock) {
        out += "ip{" + p.ipBlock->cidr.toString();
        for (size_t i = 0; i < p.ipBlock->except.size(); ++i)
            out += (i == 0 ? " except " : ",") + p.ipBlock->except[i].toString();
        out += "}";
    }
    return out;
}

std::string portText(const PolicyPort &p)
{
    std::string out = std::string(protocolName(p.effectiveProtocol())) + '/';
    if (const auto *n = std::get_if<uint16_t>(&*p.port))
        out += std::to_string(*n);
    else
        out += std::get<std::string>(*p.port);
    return out;
}

// "[peer peer] [port port]" per rule, rules joined with " | ".
QString rulesText(const std::vector<PolicyRule> &rules)
{
    QStringList parts;
    for (const PolicyRule &r : rules) {
        std::string s = "[";
        for (size_t i = 0; i < r.peers.size(); ++i)
            s += (i ? " " : "") + peerText(r.peers[i]);
        s += "] [";
        for (size_t i = 0; i < r.ports.size(); ++i)
            s += (i ? " " : "") + portText(r.ports[i]);
        s += "]";
        parts << QString::fromStdString(s);
    }
    return parts.join(QStringLiteral(" | "));
}

const NetworkPolicy *findPolicy(const GenerateResult &r, const std::string &ns,
                                const std::string &name)
{
    for (const NetworkPolicy &p : r.policies) {
        if (p.ns == ns && p.name == name)
            return &p;
    }
    return nullptr;
}

QStringList policyIds(const GenerateResult &r)
{
    QStringList ids;
    for (const NetworkPolicy &p : r.policies)
        ids << QString::fromStdString(p.id());
    return ids;
}

bool hasWarning(const GenerateResult &r, const std::string &part)
{
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [&](const std::string &w) { return w.find(part) != std::string::npos; });
}

} // namespace

class TestGenerator : public QObject
{
    Q_OBJECT

private slots:
    void policySetAndOrder();
    void defaultDeny();
    void workloadPolicyShape();
    void rules_data();
    void rules();
    void unattributedDropped();
    void otherNodeWarned();
    void icmpDropped();
    void declaredNetworkInsideClusterDropped();
    void dnsAll();
    void dnsAllWithoutDns();
    void namedPorts();
    void namedPortsNotSharedInGroup();
    void systemNamespacesIncluded();
    void longName();
    void workloadNamedDefaultDeny();
    void groupedWorkloadsOnePolicy();
    void deterministic();
    void explainComments();
    void zoneGranularity();
    void exactnessByEvaluation_data();
    void exactnessByEvaluation();
};

void TestGenerator::policySetAndOrder()
{
    const Inventory inv = shopInventory();
    const GenerateResult r = generatePolicies(inv, {}, GenerateOptions{});
    // kube-system is not policed by default; order: namespace, then name (default-deny among
    // names).
    QCOMPARE(policyIds(r),
             (QStringList{"shop/cart", "shop/checkout", "shop/default-deny", "shop/frontend",
                          "shop/recommendation", "shop/redis", "web/default-deny", "web/gateway"}));
}

void TestGenerator::defaultDeny()
{
    const GenerateResult r = generatePolicies(shopInventory(), {}, GenerateOptions{});
    const NetworkPolicy *deny = findPolicy(r, "shop", "default-deny");
    QVERIFY(deny);
    QVERIFY(deny->podSelector.isEmpty());
    QVERIFY(deny->hasIngressType && deny->hasEgressType && deny->policyTypesGiven);
    QVERIFY(deny->ingress.empty() && deny->egress.empty());
    QCOMPARE(deny->labels, (Labels{{"app.kubernetes.io/managed-by", "bulkhead"}}));
}

void TestGenerator::workloadPolicyShape()
{
    const GenerateResult r = generatePolicies(shopInventory(), {}, GenerateOptions{});
    const NetworkPolicy *cart = findPolicy(r, "shop", "cart");
    QVERIFY(cart);
    QCOMPARE(cart->podSelector.matchLabels, (Labels{{"app", "cart"}}));
    QVERIFY(cart->hasIngressType && cart->hasEgressType);
    QVERIFY(cart->ingress.empty() && cart->egress.empty()); // no edges: isolated both ways
    QCOMPARE(cart->labels, (Labels{{"app.kubernetes.io/managed-by", "bulkhead"}}));
}

// Each row: the intent edges (built from a code), the policy to look at, expected ingress/egress.
void TestGenerator::rules_data()
{
    QTest::addColumn<int>("scenario");
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("ingress");
    QTest::addColumn<QString>("egress");

    QTest::newRow("same namespace: ingress side") << 1 << "shop"
                                                  << "cart"
                                                  << "[pod{app=frontend}] [TCP/7070]"
                                                  << "";
    QTest::newRow("same namespace: egress side") << 1 << "shop"
                                                 << "frontend"
                                                 << ""
                                                 << "[pod{app=cart}] [TCP/7070]";
    QTest::newRow("cross namespace: one peer, both selectors (ingress)")
        << 2 << "shop"
        << "frontend"
        << "[ns{kubernetes.io/metadata.name=web}+pod{app=gateway}] [TCP/8080]"
        << "";
    QTest::newRow("cross namespace: one peer, both selectors (egress)")
        << 2 << "web"
        << "gateway"
        << ""
        << "[ns{kubernetes.io/metadata.name=shop}+pod{app=frontend}] [TCP/8080]";
    QTest::newRow("external /32 and /128, same ports share a rule")
        << 3 << "shop"
        << "cart"
        << ""
        << "[ip{203.0.113.7/32} ip{2001:db8::1/128}] [TCP/443]";
    QTest::newRow("declared network with cluster networks excepted")
        << 4 << "shop"
        << "cart"
        << ""
        << "[ip{10.0.0.0/8 except 10.96.0.0/12,10.244.0.0/16}] [TCP/443]";
    QTest::newRow("intra-workload edge: itself, both directions") << 5 << "shop"
                                                                  << "redis"
                                                                  << "[pod{app=redis}] [TCP/6379]"
                                                                  << "[pod{app=redis}] [TCP/6379]";
    QTest::newRow("peers grouped only when port sets are equal")
        << 6 << "shop"
        << "cart"
        << "[pod{app=checkout} pod{app=frontend}] [TCP/7070] | [pod{app=recommendation}] [TCP/7070 "
           "TCP/7071]"
        << "";
    QTest::newRow("ports sorted by protocol then number")
        << 7 << "shop"
        << "cart"
        << ""
        << "[ip{203.0.113.7/32}] [TCP/80 TCP/443 UDP/53 SCTP/9]";
    QTest::newRow("egress into a non-policed namespace is written")
        << 8 << "shop"
        << "frontend"
        << ""
        << "[ns{kubernetes.io/metadata.name=kube-system}+pod{k8s-app=kube-dns}] [UDP/53]";
    QTest::newRow("other node as ipBlock /32") << 9 << "shop"
                                               << "frontend"
                                               << "[ip{172.18.0.3/32}] [TCP/8080]"
                                               << "";
}

void TestGenerator::rules()
{
    QFETCH(int, scenario);
    QFETCH(QString, ns);
    QFETCH(QString, policy);
    QFETCH(QString, ingress);
    QFETCH(QString, egress);
    const Inventory inv = shopInventory();
    const Peer cart = Peer::workload(W(inv, "shop", "cart"));
    const Peer frontend = Peer::workload(W(inv, "shop", "frontend"));
    const Peer checkout = Peer::workload(W(inv, "shop", "checkout"));
    const Peer recommendation = Peer::workload(W(inv, "shop", "recommendation"));
    const Peer redis = Peer::workload(W(inv, "shop", "redis"));
    const Peer gateway = Peer::workload(W(inv, "web", "gateway"));
    const Peer coredns = Peer::workload(W(inv, "kube-system", "coredns"));
    std::vector<Edge> edges;
    switch (scenario) {
    case 1: edges = {edge(frontend, cart, 7070)}; break;
    case 2: edges = {edge(gateway, frontend, 8080)}; break;
    case 3:
        edges = {edge(cart, ext("203.0.113.7"), 443), edge(cart, ext("2001:db8::1"), 443)};
        break;
    case 4: edges = {edge(cart, Peer{PeerKind::ExternalNetwork, 0, {}}, 443)}; break;
    case 5: edges = {edge(redis, redis, 6379)}; break;
    case 6:
        edges = {edge(frontend, cart, 7070), edge(checkout, cart, 7070),
                 edge(recommendation, cart, 7070), edge(recommendation, cart, 7071)};
        break;
    case 7:
        edges = {
            edge(cart, ext("203.0.113.7"), 443), edge(cart, ext("203.0.113.7"), 53, Protocol::UDP),
            edge(cart, ext("203.0.113.7"), 9, Protocol::SCTP), edge(cart, ext("203.0.113.7"), 80)};
        break;
    case 8: edges = {edge(frontend, coredns, 53, Protocol::UDP)}; break;
    case 9: edges = {edge(Peer{PeerKind::Node, 0, ip("172.18.0.3")}, frontend, 8080)}; break;
    }
    const GenerateResult r = generatePolicies(inv, edges, GenerateOptions{});
    const NetworkPolicy *p = findPolicy(r, ns.toStdString(), policy.toStdString());
    QVERIFY(p);
    QCOMPARE(rulesText(p->ingress), ingress);
    QCOMPARE(rulesText(p->egress), egress);
    // Every other policy of the scenario stays closed unless it is the other end of an edge.
    for (const NetworkPolicy &other : r.policies) {
        if (other.name == "default-deny")
            QVERIFY(other.ingress.empty() && other.egress.empty());
    }
    QCOMPARE(policyIds(r).size(), 8);
}

void TestGenerator::unattributedDropped()
{
    const Inventory inv = shopInventory();
    const Peer cart = Peer::workload(W(inv, "shop", "cart"));
    const GenerateResult r = generatePolicies(
        inv, {edge(Peer{PeerKind::Unattributed, -1, ip("10.244.9.9")}, cart, 7070)},
        GenerateOptions{});
    QVERIFY(findPolicy(r, "shop", "cart")->ingress.empty());
    QVERIFY(std::find(r.warnings.begin(), r.warnings.end(),
                      "edge from 10.244.9.9 (unattributed, inside the cluster network) dropped: no "
                      "selector can "
                      "express it; denied")
            != r.warnings.end());
    // The same guard holds for a lone "external" address that lies inside the cluster network.
    const GenerateResult r2
        = generatePolicies(inv, {edge(cart, ext("10.244.77.7"), 80)}, GenerateOptions{});
    QVERIFY(findPolicy(r2, "shop", "cart")->egress.empty());
    QVERIFY(
        hasWarning(r2, "edge to 10.244.77.7 (unattributed, inside the cluster network) dropped"));
}

void TestGenerator::otherNodeWarned()
{
    const Inventory inv = shopInventory();
    const Peer frontend = Peer::workload(W(inv, "shop", "frontend"));
    const GenerateResult r = generatePolicies(
        inv, {edge(Peer{PeerKind::Node, 0, ip("172.18.0.3")}, frontend, 8080)}, GenerateOptions{});
    QVERIFY(hasWarning(r, "involves another node, 172.18.0.3: allowed as ipBlock 172.18.0.3/32"));
}

void TestGenerator::icmpDropped()
{
    const Inventory inv = shopInventory();
    const Peer cart = Peer::workload(W(inv, "shop", "cart"));
    const GenerateResult r = generatePolicies(
        inv, {edge(cart, ext("203.0.113.7"), 0, Protocol::ICMP)}, GenerateOptions{});
    QVERIFY(findPolicy(r, "shop", "cart")->egress.empty());
    QVERIFY(hasWarning(r, "a NetworkPolicy cannot express this protocol"));
}

void TestGenerator::declaredNetworkInsideClusterDropped()
{
    Inventory inv = shopInventory();
    inv.externals.push_back(ExternalNetwork{"bogus", {cidr("10.244.5.0/24")}});
    const Peer cart = Peer::workload(W(inv, "shop", "cart"));
    const GenerateResult r = generatePolicies(
        inv, {edge(cart, Peer{PeerKind::ExternalNetwork, 1, {}}, 443)}, GenerateOptions{});
    QVERIFY(findPolicy(r, "shop", "cart")->egress.empty());
    QVERIFY(hasWarning(r, "declared network bogus range 10.244.5.0/24 lies inside the cluster "
                          "network 10.244.0.0/16"));
    // And the nested network is excepted from corp's ipBlock (already covered by 10.244.0.0/16).
    const GenerateResult r2 = generatePolicies(
        inv, {edge(cart, Peer{PeerKind::ExternalNetwork, 0, {}}, 443)}, GenerateOptions{});
    QCOMPARE(rulesText(findPolicy(r2, "shop", "cart")->egress),
             QStringLiteral("[ip{10.0.0.0/8 except 10.96.0.0/12,10.244.0.0/16}] [TCP/443]"));
}

void TestGenerator::dnsAll()
{
    const Inventory inv = shopInventory();
    GenerateOptions options;
    options.dnsAll = true;
    const GenerateResult r = generatePolicies(inv, {}, options);
    const QString dns = QStringLiteral(
        "[ns{kubernetes.io/metadata.name=kube-system}+pod{k8s-app=kube-dns}] [TCP/53 UDP/53]");
    for (const char *name : {"cart", "checkout", "frontend", "recommendation", "redis"})
        QCOMPARE(rulesText(findPolicy(r, "shop", name)->egress), dns);
    QCOMPARE(rulesText(findPolicy(r, "web", "gateway")->egress), dns);
    QVERIFY(!findPolicy(r, "kube-system", "coredns")); // not policed by default

    options.namedPorts = true;
    const GenerateResult named = generatePolicies(inv, {}, options);
    QCOMPARE(rulesText(findPolicy(named, "shop", "cart")->egress),
             QStringLiteral("[ns{kubernetes.io/metadata.name=kube-system}+pod{k8s-app=kube-dns}] "
                            "[TCP/dns-tcp UDP/dns]"));

    // Policing kube-system too: coredns admits everyone on 53, and gets no egress to itself.
    options.namedPorts = false;
    options.includeSystemNamespaces = true;
    const GenerateResult all = generatePolicies(inv, {}, options);
    const NetworkPolicy *coredns = findPolicy(all, "kube-system", "coredns");
    QVERIFY(coredns);
    QVERIFY(coredns->egress.empty());
    QCOMPARE(
        rulesText(coredns->ingress),
        QStringLiteral("[ns{kubernetes.io/metadata.name=shop}+pod{app=cart} "
                       "ns{kubernetes.io/metadata.name=shop}+pod{app=checkout} "
                       "ns{kubernetes.io/metadata.name=shop}+pod{app=frontend} "
                       "ns{kubernetes.io/metadata.name=shop}+pod{app=recommendation} "
                       "ns{kubernetes.io/metadata.name=shop}+pod{app=redis} "
                       "ns{kubernetes.io/metadata.name=web}+pod{app=gateway}] [TCP/53 UDP/53]"));
}

void TestGenerator::dnsAllWithoutDns()
{
    Inventory inv = shopInventory();
    inv.workloads.erase(inv.workloads.begin() + W(inv, "kube-system", "coredns"));
    GenerateOptions options;
    options.dnsAll = true;
    const GenerateResult r = generatePolicies(inv, {}, options);
    QVERIFY(findPolicy(r, "shop", "cart")->egress.empty());
    QVERIFY(hasWarning(r, "--dns all: no cluster DNS workload found"));
}

void TestGenerator::namedPorts()
{
    const Inventory inv = shopInventory();
    const Peer cart = Peer::workload(W(inv, "shop", "cart"));
    const Peer frontend = Peer::workload(W(inv, "shop", "frontend"));
    const Peer recommendation = Peer::workload(W(inv, "shop", "recommendation"));
    GenerateOptions options;
    options.namedPorts = true;
    // 7070 is "grpc" on cart; recommendation declares nothing: its port stays a number.
    const GenerateResult r
        = generatePolicies(inv,
                           {edge(frontend, cart, 7070), edge(frontend, recommendation, 9090),
                            edge(frontend, ext("203.0.113.7"), 443)},
                           options);
    QCOMPARE(rulesText(findPolicy(r, "shop", "cart")->ingress),
             QStringLiteral("[pod{app=frontend}] [TCP/grpc]"));
    QCOMPARE(rulesText(findPolicy(r, "shop", "frontend")->egress),
             QStringLiteral("[pod{app=cart}] [TCP/grpc] | [pod{app=recommendation}] [TCP/9090] | "
                            "[ip{203.0.113.7/32}] [TCP/443]"));
}

void TestGenerator::namedPortsNotSharedInGroup()
{
    // Two workloads no label tells apart, naming different ports "http": the name would open the
    // other's port, so the number is written.
    Inventory inv;
    inv.workloads.push_back(
        makeWorkload("shop", "a", {{"app", "x"}}, {{"http", 8080, Protocol::TCP}}));
    inv.workloads.push_back(
        makeWorkload("shop", "b", {{"app", "x"}}, {{"http", 9090, Protocol::TCP}}));
    inv.workloads.push_back(makeWorkload("shop", "c", {{"app", "c"}}));
    GenerateOptions options;
    options.namedPorts = true;
    const GenerateResult r
        = generatePolicies(inv, {edge(Peer::workload(2), Peer::workload(0), 8080)}, options);
    QCOMPARE(rulesText(findPolicy(r, "shop", "c")->egress),
             QStringLiteral("[pod{app=x}] [TCP/8080]"));
}

void TestGenerator::systemNamespacesIncluded()
{
    const Inventory inv = shopInventory();
    GenerateOptions options;
    options.includeSystemNamespaces = true;
    const GenerateResult r = generatePolicies(inv, {}, options);
    QCOMPARE(policyIds(r),
             (QStringList{"kube-system/coredns", "kube-system/default-deny", "shop/cart",
                          "shop/checkout", "shop/default-deny", "shop/frontend",
                          "shop/recommendation", "shop/redis", "web/default-deny", "web/gateway"}));
    QCOMPARE(findPolicy(r, "kube-system", "coredns")->podSelector.matchLabels,
             (Labels{{"k8s-app", "kube-dns"}}));
}

void TestGenerator::longName()
{
    const std::string name(70, 'a');
    Inventory inv;
    inv.workloads.push_back(makeWorkload("shop", name, {{"app", "long"}}));
    const GenerateResult r = generatePolicies(inv, {}, GenerateOptions{});
    QCOMPARE(r.policies.size(), size_t(2));
    const std::string expected = std::string(54, 'a') + '-' + shortHash(name);
    QCOMPARE(expected.size(), size_t(63));
    QCOMPARE(r.policies[0].name, expected);
    QCOMPARE(r.policies[1].name, std::string("default-deny"));
    QCOMPARE(dns1123Label("Web.Front_End"), std::string("web-front-end"));
    QCOMPARE(dns1123Label(name), expected);
    QCOMPARE(shortHash("a"), std::string("e40c292c")); // FNV-1a 32 of "a"
}

void TestGenerator::workloadNamedDefaultDeny()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("shop", "default-deny", {{"app", "odd"}}));
    const GenerateResult r = generatePolicies(inv, {}, GenerateOptions{});
    QCOMPARE(policyIds(r), (QStringList{"shop/default-deny",
                                        "shop/default-deny-"
                                            + QString::fromStdString(shortHash("default-deny"))}));
    QVERIFY(r.policies[0].podSelector.isEmpty());
    QCOMPARE(r.policies[1].podSelector.matchLabels, (Labels{{"app", "odd"}}));
}

void TestGenerator::groupedWorkloadsOnePolicy()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("shop", "web", {{"app", "web"}}, {}, "10.244.1.1"));
    inv.workloads.push_back(makeWorkload("shop", "web-canary", {{"app", "web"}}, {}, "10.244.1.2"));
    inv.workloads.push_back(makeWorkload("shop", "db", {{"app", "db"}}, {}, "10.244.1.3"));
    const GenerateResult r = generatePolicies(inv,
                                              {edge(Peer::workload(0), Peer::workload(2), 5432),
                                               edge(Peer::workload(1), ext("203.0.113.9"), 443)},
                                              GenerateOptions{});
    QCOMPARE(policyIds(r), (QStringList{"shop/db", "shop/default-deny", "shop/web"}));
    QCOMPARE(rulesText(findPolicy(r, "shop", "web")->egress),
             QStringLiteral("[pod{app=db}] [TCP/5432] | [ip{203.0.113.9/32}] [TCP/443]"));
    QVERIFY(hasWarning(r, "policy shop/web selects shop/web, shop/web-canary together"));
    QVERIFY(hasWarning(r, "wider than the design"));
}

void TestGenerator::deterministic()
{
    const Inventory inv = shopInventory();
    const Peer cart = Peer::workload(W(inv, "shop", "cart"));
    const Peer frontend = Peer::workload(W(inv, "shop", "frontend"));
    const Peer checkout = Peer::workload(W(inv, "shop", "checkout"));
    const Peer gateway = Peer::workload(W(inv, "web", "gateway"));
    std::vector<Edge> edges
        = {edge(frontend, cart, 7070),
           edge(checkout, cart, 7070),
           edge(gateway, frontend, 8080),
           edge(cart, ext("203.0.113.7"), 443),
           edge(cart, Peer{PeerKind::ExternalNetwork, 0, {}}, 443),
           edge(Peer{PeerKind::Unattributed, -1, ip("10.244.9.9")}, cart, 7070)};
    GenerateOptions options;
    options.explain = true;
    options.dnsAll = true;
    const GenerateResult first = generatePolicies(inv, edges, options, {"a.pcap"});
    const std::string bytes = writePoliciesYaml(first.policies);
    for (int round = 0; round < 3; ++round) {
        // Another input order each round (<random> is kept away from moc, which cannot parse
        // <concepts>).
        std::reverse(edges.begin(), edges.end());
        std::rotate(edges.begin(), edges.begin() + 2, edges.end());
        const GenerateResult again = generatePolicies(inv, edges, options, {"a.pcap"});
        QCOMPARE(writePoliciesYaml(again.policies), bytes);
        QCOMPARE(again.warnings, first.warnings);
    }
}

void TestGenerator::explainComments()
{
    const Inventory inv = shopInventory();
    const Peer cart = Peer::workload(W(inv, "shop", "cart"));
    const Peer frontend = Peer::workload(W(inv, "shop", "frontend"));
    GenerateOptions options;
    options.explain = true;
    Edge userAdded = edge(frontend, cart, 7071);
    userAdded.evidence = Evidence{};
    const GenerateResult r
        = generatePolicies(inv, {edge(frontend, cart, 7070), userAdded}, options, {"morning.pcap"});
    const NetworkPolicy *p = findPolicy(r, "shop", "cart");
    QCOMPARE(p->ingress.size(), size_t(1));
    const std::vector<std::string> expected
        = {"shop/frontend -> shop/cart TCP 7070: 3 flows, 30 packets, first seen "
           "2024-05-01T12:00:00Z, last seen "
           "2024-05-01T12:00:05Z, in morning.pcap",
           "shop/frontend -> shop/cart TCP 7071: added by the user, not observed"};
    QCOMPARE(p->ingress[0].comments, expected);
    const GenerateResult quiet
        = generatePolicies(inv, {edge(frontend, cart, 7070)}, GenerateOptions{});
    QVERIFY(findPolicy(quiet, "shop", "cart")->ingress[0].comments.empty());
}

void TestGenerator::zoneGranularity()
{
    Inventory inv;
    const std::string key = "bulkhead.io/sensitivity";
    inv.workloads.push_back(
        makeWorkload("shop", "frontend", {{"app", "frontend"}, {key, "public"}}));
    inv.workloads.push_back(makeWorkload("shop", "cart", {{"app", "cart"}, {key, "restricted"}}));
    inv.workloads.push_back(
        makeWorkload("shop", "payments", {{"app", "payments"}, {key, "restricted"}}));
    inv.workloads.push_back(makeWorkload("shop", "misc", {{"app", "misc"}})); // default zone
    inv.workloads.back().zone = "internal";
    inv.workloads.push_back(makeWorkload("web", "gateway", {{"app", "gateway"}, {key, "public"}}));
    GenerateOptions options;
    options.granularity = GenerateOptions::Granularity::Zone;
    const GenerateResult r = generatePolicies(inv,
                                              {edge(Peer::workload(0), Peer::workload(1), 7070),
                                               edge(Peer::workload(4), Peer::workload(0), 8080),
                                               edge(Peer::workload(3), Peer::workload(2), 9000)},
                                              options);
    QCOMPARE(policyIds(r),
             (QStringList{"shop/default-deny", "shop/zone-public", "shop/zone-restricted",
                          "shop/zone-unlabelled", "web/default-deny", "web/zone-public"}));
    const NetworkPolicy *restricted = findPolicy(r, "shop", "zone-restricted");
    QCOMPARE(selectorText(restricted->podSelector),
             std::string("bulkhead.io/sensitivity=restricted"));
    QCOMPARE(rulesText(restricted->ingress),
             QStringLiteral("[pod{bulkhead.io/sensitivity=public}] [TCP/7070] | "
                            "[pod{bulkhead.io/sensitivity DoesNotExist}] [TCP/9000]"));
    const NetworkPolicy *unlabelled = findPolicy(r, "shop", "zone-unlabelled");
    QCOMPARE(selectorText(unlabelled->podSelector),
             std::string("bulkhead.io/sensitivity DoesNotExist"));
    QVERIFY(!unlabelled->comments.empty());
    QVERIFY(unlabelled->comments[0].find("DoesNotExist") != std::string::npos);
    QVERIFY(unlabelled->comments[0].find("internal") != std::string::npos);
    QCOMPARE(rulesText(findPolicy(r, "shop", "zone-public")->ingress),
             QStringLiteral("[ns{kubernetes.io/metadata.name=web}+pod{bulkhead.io/"
                            "sensitivity=public}] [TCP/8080]"));
    // 3 intended edges; the restricted zone has two workloads, so public->restricted and
    // unlabelled->restricted allow 2 each: 5 combinations.
    QVERIFY(hasWarning(
        r,
        "zone granularity: 6 policies allow 5 (source, destination, protocol, port) combinations"));
}

namespace {

// A minimal Kubernetes NetworkPolicy evaluator for pod-to-pod traffic, independent of the
// generator: does `policies` let pod workload s reach pod workload d on (protocol, port)?
bool peerMatches(const Inventory &inv, const NetworkPolicy &policy, const PolicyPeer &peer,
                 const Workload &w)
{
    if (peer.ipBlock)
        return false; // never for pods (the generator excepts the cluster networks)
    if (peer.namespaceSelector) {
        if (!peer.namespaceSelector->matches(inv.namespaceLabels(w.ns)))
            return false;
    } else if (w.ns != policy.ns) {
        return false;
    }
    return !peer.podSelector || peer.podSelector->matches(w.labels);
}

bool portMatches(const std::vector<PolicyPort> &ports, const Workload &dst, Protocol protocol,
                 uint16_t port)
{
    if (ports.empty())
        return true;
    for (const PolicyPort &p : ports) {
        if (p.effectiveProtocol() != protocol)
            continue;
        if (!p.port)
            return true;
        if (const auto *n = std::get_if<uint16_t>(&*p.port)) {
            if (*n == port)
                return true;
        } else if (const ContainerPort *cp = dst.portNamed(std::get<std::string>(*p.port))) {
            if (cp->port == port && cp->protocol == protocol)
                return true;
        }
    }
    return false;
}

bool sideAllows(const Inventory &inv, const std::vector<NetworkPolicy> &policies,
                const Workload &self, const Workload &other, const Workload &dst, Protocol protocol,
                uint16_t port, bool ingress)
{
    bool isolated = false;
    for (const NetworkPolicy &p : policies) {
        if (p.ns != self.ns || !p.podSelector.matches(self.labels))
            continue;
        if (!(ingress ? p.hasIngressType : p.hasEgressType))
            continue;
        isolated = true;
        for (const PolicyRule &r : ingress ? p.ingress : p.egress) {
            const bool peerOk
                = r.peers.empty()
                  || std::any_of(r.peers.begin(), r.peers.end(), [&](const PolicyPeer &pp) {
                         return peerMatches(inv, p, pp, other);
                     });
            if (peerOk && portMatches(r.ports, dst, protocol, port))
                return true;
        }
    }
    return !isolated;
}

uint32_t nextRandom(uint32_t &state)
{
    state = state * 1664525u + 1013904223u;
    return state >> 8;
}

} // namespace

void TestGenerator::exactnessByEvaluation_data()
{
    QTest::addColumn<uint32_t>("seed");
    QTest::addColumn<bool>("namedPorts");
    for (uint32_t seed : {1u, 2u, 3u, 4u, 5u, 6u})
        QTest::newRow(
            qPrintable(QStringLiteral("seed %1%2").arg(seed).arg(seed % 2 ? " named" : "")))
            << seed << (seed % 2 == 1);
}

// The guarantee, checked by evaluating the output: every intent edge between pods is allowed and
// no other (source, destination, protocol, port) is, over every pair of workloads and every port
// in play (including ports declared but never used).
void TestGenerator::exactnessByEvaluation()
{
    QFETCH(uint32_t, seed);
    QFETCH(bool, namedPorts);
    uint32_t state = seed;
    Inventory inv;
    const char *namespaces[] = {"shop", "web", "data"};
    const char *apps[] = {"cart", "web", "db", "cache"};
    const std::vector<uint16_t> portPool = {80, 443, 5432, 6379, 7070, 8080};
    for (const char *ns : namespaces) {
        for (const char *app : apps) {
            for (const char *version : {"v1", "v2"}) {
                if (nextRandom(state) % 3 == 0)
                    continue;
                std::vector<ContainerPort> ports;
                for (uint16_t p : portPool) {
                    if (nextRandom(state) % 3 == 0)
                        ports.push_back({nextRandom(state) % 2 ? "p" + std::to_string(p) : "", p,
                                         Protocol::TCP});
                }
                Labels labels = {{"app", app},
                                 {"version", version},
                                 {"pod-template-hash", std::to_string(nextRandom(state))}};
                if (nextRandom(state) % 2)
                    labels["tier"] = nextRandom(state) % 2 ? "front" : "back";
                inv.workloads.push_back(
                    makeWorkload(ns, std::string(app) + '-' + version, labels, ports));
            }
        }
    }
    const int n = static_cast<int>(inv.workloads.size());
    QVERIFY(n > 4);
    std::set<std::tuple<int, int, uint16_t>> intent;
    std::vector<Edge> edges;
    for (int i = 0; i < n * 2; ++i) {
        const int a = static_cast<int>(nextRandom(state) % static_cast<uint32_t>(n));
        const int b = static_cast<int>(nextRandom(state) % static_cast<uint32_t>(n));
        const uint16_t port = portPool[nextRandom(state) % portPool.size()];
        if (intent.insert({a, b, port}).second)
            edges.push_back(edge(Peer::workload(a), Peer::workload(b), port));
    }
    GenerateOptions options;
    options.namedPorts = namedPorts;
    const GenerateResult r = generatePolicies(inv, edges, options);
    QVERIFY2(!hasWarning(r, "cannot be told apart"),
             "every workload here has a distinguishing label");
    for (int a = 0; a < n; ++a) {
        for (int b = 0; b < n; ++b) {
            for (uint16_t port : portPool) {
                const Workload &src = inv.workloads[static_cast<size_t>(a)];
                const Workload &dst = inv.workloads[static_cast<size_t>(b)];
                const bool allowed
                    = sideAllows(inv, r.policies, src, dst, dst, Protocol::TCP, port, false)
                      && sideAllows(inv, r.policies, dst, src, dst, Protocol::TCP, port, true);
                const bool expected = intent.contains({a, b, port});
                QVERIFY2(allowed == expected,
                         (src.id() + " -> " + dst.id() + " TCP " + std::to_string(port)
                          + (expected ? " is intended but denied" : " is allowed but not intended"))
                             .c_str());
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
