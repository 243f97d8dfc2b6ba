// QtTest first: Qt 6.4's moc cannot parse <concepts> when <compare> is the first standard header
// it meets (through analysis/peer.h).
#include <QtTest>

#include "evaluatortables.h"
#include "review/ciliumevaluator.h"
#include "testsupport.h"

#include "analysis/analysis.h"
#include "policy/policyloader.h"
#include "review/ciliumcheck.h"
#include "review/reviewjson.h"

using namespace bulkhead;
using bulkhead::testing::makeWorkload;
using bulkhead::testing::peerOf;

// Cilium's semantics as docs/cilium.md "Reviewing CiliumNetworkPolicy" states them, row by row:
// selectors and the namespace they imply, ports (range, ANY, named), default deny and
// enableDefaultDeny, deny rules over both APIs, the union with NetworkPolicies, entities, CIDRs,
// clusterwide policies, what cannot be decided, and rules.http against requests.

namespace {

// Nodes n1 192.168.0.1 and n2 192.168.0.2; kube-system/agent on the host network of n2; shop/web
// with a pod on each node; ext/legacy a host outside Kubernetes; the API server at 192.168.0.10.
Inventory cluster()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("kube-system", "agent", {{"app", "agent"}},
                                         {{"192.168.0.2", "192.168.0.2"}},
                                         {{"metrics", 10250, Protocol::TCP}}, true));
    inv.workloads.push_back(
        makeWorkload("ops", "monitor", {{"app", "monitor"}}, {{"10.0.2.10", "192.168.0.2"}}, {}));
    inv.workloads.push_back(
        makeWorkload("shop", "cart", {{"app", "cart"}}, {{"10.0.1.20", "192.168.0.1"}},
                     {{"grpc", 7070, Protocol::TCP}, {"metrics", 9090, Protocol::TCP}}));
    inv.workloads.push_back(
        makeWorkload("shop", "db", {{"app", "db"}}, {{"10.0.1.30", "192.168.0.2"}},
                     {{"pg", 5432, Protocol::TCP}, {"mdns", 5353, Protocol::UDP}}));
    inv.workloads.push_back(makeWorkload("shop", "frontend", {{"app", "frontend"}},
                                         {{"10.0.1.10", "192.168.0.1"}},
                                         {{"http", 8080, Protocol::TCP}}));
    inv.workloads.push_back(
        makeWorkload("shop", "web", {{"app", "web"}},
                     {{"10.0.1.40", "192.168.0.1"}, {"10.0.1.41", "192.168.0.2"}},
                     {{"http", 8080, Protocol::TCP}}));
    Workload legacy = makeWorkload("ext", "legacy", {}, {{"172.16.0.5", "172.16.0.5"}},
                                   {{"", 5432, Protocol::TCP}});
    legacy.kind = "Host";
    inv.workloads.push_back(std::move(legacy));
    inv.namespaces["shop"] = {{"env", "prod"}};
    inv.namespaces["ops"] = {{"team", "ops"}};
    inv.namespaces["kube-system"] = {};
    inv.nodes.push_back(Node{"n1", {*IpAddress::parse("192.168.0.1")}});
    inv.nodes.push_back(Node{"n2", {*IpAddress::parse("192.168.0.2")}});
    EndpointSet api;
    api.ns = "default";
    api.service = "kubernetes";
    api.addresses.push_back(*IpAddress::parse("192.168.0.10"));
    inv.endpointSets.push_back(api);
    inv.clusterNetworks.push_back(*Cidr::parse("10.0.0.0/16"));
    return inv;
}

// A workload "ns/name", a node's address, "?ADDRESS" for an unattributed one, else an external.
// A CiliumNetworkPolicy of namespace shop in flow style.
QString cnp(const QString &name, const QString &selector, const QString &rules)
{
    return QStringLiteral(
               "---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\n"
               "metadata: {name: %1, namespace: shop}\nspec: {endpointSelector: %2, %3}\n")
        .arg(name, selector, rules);
}

const QString kCart = "{matchLabels: {app: cart}}";
const QString kFrontend = "{matchLabels: {app: frontend}}";

} // namespace

class TestCiliumEvaluator : public QObject
{
    Q_OBJECT

private slots:
    void decisions_data();
    void decisions();
    void http_data();
    void http();
    void httpQuery_data();
    void httpQuery();
    void cidrMatchMode_data();
    void cidrMatchMode();
};

void TestCiliumEvaluator::decisions_data()
{
    QTest::addColumn<QString>("policies");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<int>("port");         // negative: UDP
    QTest::addColumn<QString>("expected"); // allowed, denied, undecided
    QTest::addColumn<QString>("reason");   // a part of the verdict's reason, or empty

    const QString fromFrontend = cnp("cart", kCart,
                                     "ingress: [{fromEndpoints: [{matchLabels: {app: frontend}}], "
                                     "toPorts: [{ports: [{port: \"7070\", protocol: TCP}]}]}]");
    QTest::newRow("not selected: allowed") << fromFrontend << "shop/frontend"
                                           << "shop/db" << 5432 << "allowed"
                                           << "";
    QTest::newRow("endpoints and port") << fromFrontend << "shop/frontend"
                                        << "shop/cart" << 7070 << "allowed"
                                        << "allowed by shop/cart ingress[0]";
    QTest::newRow("other port")
        << fromFrontend << "shop/frontend"
        << "shop/cart" << 9090 << "denied"
        << "shop/cart is default-deny for ingress (shop/cart); no rule allows it";
    QTest::newRow("namespace implied")
        << cnp("cart", kCart, "ingress: [{fromEndpoints: [{matchLabels: {app: monitor}}]}]")
        << "ops/monitor"
        << "shop/cart" << 7070 << "denied"
        << "";
    QTest::newRow("namespace label")
        << cnp("cart", kCart,
               "ingress: [{fromEndpoints: [{matchLabels: "
               "{\"k8s:io.cilium.k8s.namespace.labels.team\": ops}}]}]")
        << "ops/monitor"
        << "shop/cart" << 7070 << "allowed"
        << "";
    QTest::newRow("pod namespace")
        << cnp("cart", kCart,
               "ingress: [{fromEndpoints: [{matchLabels: {\"k8s:io.kubernetes.pod.namespace\": "
               "ops, \"any:app\": monitor}}]}]")
        << "ops/monitor"
        << "shop/cart" << 7070 << "allowed"
        << "";
    QTest::newRow("matchExpressions")
        << cnp("cart", kCart,
               "ingress: [{fromEndpoints: [{matchExpressions: [{key: app, operator: In, values: "
               "[frontend, monitor]}, "
               "{key: io.kubernetes.pod.namespace, operator: Exists}]}]}]")
        << "ops/monitor"
        << "shop/cart" << 7070 << "allowed"
        << "";
    const QString portsOnly
        = cnp("cart", kCart, "ingress: [{toPorts: [{ports: [{port: \"7070\"}]}]}]");
    QTest::newRow("ports alone: every peer") << portsOnly << "ops/monitor"
                                             << "shop/cart" << 7070 << "allowed"
                                             << "";
    QTest::newRow("ports alone: that port") << portsOnly << "ops/monitor"
                                            << "shop/cart" << 9090 << "denied"
                                            << "";
    QTest::newRow("empty rule") << cnp("cart", kCart, "ingress: [{}]") << "shop/frontend"
                                << "shop/cart" << 7070 << "denied"
                                << "";
    QTest::newRow("no rules: no default deny")
        << cnp("cart", kCart, "ingress: []") << "shop/frontend"
        << "shop/cart" << 7070 << "allowed"
        << "";
    const QString range
        = cnp("cart", kCart,
              "ingress: [{toPorts: [{ports: [{port: \"9000\", endPort: 9100, protocol: TCP}]}]}]");
    QTest::newRow("endPort inside") << range << "shop/frontend"
                                    << "shop/cart" << 9090 << "allowed"
                                    << "";
    QTest::newRow("endPort outside") << range << "shop/frontend"
                                     << "shop/cart" << 7070 << "denied"
                                     << "";
    const QString any = cnp("db", "{matchLabels: {app: db}}",
                            "ingress: [{toPorts: [{ports: [{port: \"5353\", protocol: ANY}]}]}]");
    QTest::newRow("ANY: UDP") << any << "shop/frontend"
                              << "shop/db" << -5353 << "allowed"
                              << "";
    QTest::newRow("ANY: TCP") << any << "shop/frontend"
                              << "shop/db" << 5353 << "allowed"
                              << "";
    QTest::newRow("named port") << cnp(
        "cart", kCart, "ingress: [{toPorts: [{ports: [{port: grpc, protocol: TCP}]}]}]")
                                << "shop/frontend"
                                << "shop/cart" << 7070 << "allowed"
                                << "";
    const QString deny = cnp("cart", kCart,
                             "ingress: [{fromEntities: [all]}], ingressDeny: [{fromEndpoints: "
                             "[{matchLabels: {app: frontend}}], "
                             "toPorts: [{ports: [{port: \"7070\"}]}]}]");
    QTest::newRow("deny wins")
        << deny << "shop/frontend"
        << "shop/cart" << 7070 << "denied"
        << "denied by shop/cart ingressDeny[0] (a deny rule wins over every allow)";
    QTest::newRow("deny: other port") << deny << "shop/frontend"
                                      << "shop/cart" << 9090 << "allowed"
                                      << "";
    const QString npAll = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: "
                          "{name: np-cart, namespace: shop}\n"
                          "spec: {podSelector: {matchLabels: {app: cart}}, ingress: [{}]}\n";
    QTest::newRow("deny wins over a NetworkPolicy")
        << npAll
               + cnp("deny", kCart,
                     "ingressDeny: [{fromEndpoints: [{matchLabels: {app: frontend}}]}]")
        << "shop/frontend"
        << "shop/cart" << 7070 << "denied"
        << "denied by shop/deny ingressDeny[0]";
    QTest::newRow("deny alone is default deny")
        << cnp("deny", kCart, "ingressDeny: [{fromEndpoints: [{matchLabels: {app: frontend}}]}]")
        << "shop/db"
        << "shop/cart" << 7070 << "denied"
        << "no rule allows it";
    const QString npFrontend = "---\napiVersion: networking.k8s.io/v1\nkind: "
                               "NetworkPolicy\nmetadata: {name: np-cart, namespace: shop}\n"
                               "spec: {podSelector: {matchLabels: {app: cart}}, ingress: [{from: "
                               "[{podSelector: {matchLabels: {app: frontend}}}], "
                               "ports: [{port: 7070}]}]}\n";
    const QString unionSet = npFrontend
                             + cnp("cart", kCart,
                                   "ingress: [{fromEndpoints: [{matchLabels: "
                                   "{\"k8s:io.kubernetes.pod.namespace\": ops}}]}]");
    QTest::newRow("union: NetworkPolicy rule") << unionSet << "shop/frontend"
                                               << "shop/cart" << 7070 << "allowed"
                                               << "allowed by shop/np-cart ingress[0]";
    QTest::newRow("union: Cilium rule") << unionSet << "ops/monitor"
                                        << "shop/cart" << 9090 << "allowed"
                                        << "allowed by shop/cart ingress[0]";
    QTest::newRow("union: neither") << unionSet << "shop/frontend"
                                    << "shop/cart" << 9090 << "denied"
                                    << "default-deny for ingress (shop/cart, shop/np-cart)";
    QTest::newRow("enableDefaultDeny false")
        << cnp("cart", kCart,
               "enableDefaultDeny: {ingress: false}, ingress: [{fromEndpoints: [{matchLabels: "
               "{app: frontend}}]}]")
        << "ops/monitor"
        << "shop/cart" << 7070 << "allowed"
        << "not default-deny for ingress";
    const QString world = cnp("fe", kFrontend, "egress: [{toEntities: [world]}]");
    QTest::newRow("world: external") << world << "shop/frontend"
                                     << "203.0.113.5" << 443 << "allowed"
                                     << "";
    QTest::newRow("world: host outside Kubernetes") << world << "shop/frontend"
                                                    << "ext/legacy" << 5432 << "allowed"
                                                    << "";
    QTest::newRow("world: not a pod") << world << "shop/frontend"
                                      << "shop/cart" << 7070 << "denied"
                                      << "";
    QTest::newRow("world: not a node") << world << "shop/frontend"
                                       << "192.168.0.2" << 10250 << "denied"
                                       << "";
    QTest::newRow("world: unattributed")
        << world << "shop/frontend"
        << "?10.0.9.9" << 80 << "undecided"
        << "10.0.9.9 is inside the cluster networks but no workload of the inventory";
    const QString clusterEntity = cnp("fe", kFrontend, "egress: [{toEntities: [cluster]}]");
    QTest::newRow("cluster: pod") << clusterEntity << "shop/frontend"
                                  << "shop/cart" << 7070 << "allowed"
                                  << "";
    QTest::newRow("cluster: node") << clusterEntity << "shop/frontend"
                                   << "192.168.0.2" << 10250 << "allowed"
                                   << "";
    QTest::newRow("cluster: host-network pod") << clusterEntity << "shop/frontend"
                                               << "kube-system/agent" << 10250 << "allowed"
                                               << "";
    QTest::newRow("cluster: external") << clusterEntity << "shop/frontend"
                                       << "203.0.113.5" << 443 << "denied"
                                       << "";
    const QString host = cnp("fe", kFrontend, "egress: [{toEntities: [host]}]");
    const QString remote = cnp("fe", kFrontend, "egress: [{toEntities: [remote-node]}]");
    QTest::newRow("host: own node") << host << "shop/frontend"
                                    << "192.168.0.1" << 10250 << "allowed"
                                    << "";
    QTest::newRow("host: other node") << host << "shop/frontend"
                                      << "192.168.0.2" << 10250 << "denied"
                                      << "";
    QTest::newRow("remote-node: other node") << remote << "shop/frontend"
                                             << "192.168.0.2" << 10250 << "allowed"
                                             << "";
    QTest::newRow("remote-node: host-network pod elsewhere")
        << remote << "shop/frontend"
        << "kube-system/agent" << 10250 << "allowed"
        << "";
    QTest::newRow("remote-node: own node") << remote << "shop/frontend"
                                           << "192.168.0.1" << 10250 << "denied"
                                           << "";
    QTest::newRow("host: pods on both nodes")
        << cnp("web", "{matchLabels: {app: web}}", "egress: [{toEntities: [host]}]") << "shop/web"
        << "192.168.0.1" << 10250 << "undecided"
        << "192.168.0.1 is the node of some pods of shop/web and not of others";
    QTest::newRow("host-network pod: no endpoint selector")
        << cnp("fe", kFrontend,
               "egress: [{toEndpoints: [{matchLabels: {app: agent, io.kubernetes.pod.namespace: "
               "kube-system}}]}]")
        << "shop/frontend"
        << "kube-system/agent" << 10250 << "denied"
        << "";
    const QString api = cnp("fe", kFrontend, "egress: [{toEntities: [kube-apiserver]}]");
    QTest::newRow("kube-apiserver") << api << "shop/frontend"
                                    << "192.168.0.10" << 6443 << "allowed"
                                    << "";
    QTest::newRow("kube-apiserver: another address") << api << "shop/frontend"
                                                     << "203.0.113.5" << 6443 << "denied"
                                                     << "";
    const QString cidr
        = cnp("fe", kFrontend,
              "egress: [{toCIDRSet: [{cidr: 203.0.113.0/24, except: [203.0.113.128/25]}]}, "
              "{toCIDR: [10.0.0.0/8, 192.168.0.0/16]}]");
    QTest::newRow("CIDR") << cidr << "shop/frontend"
                          << "203.0.113.5" << 443 << "allowed"
                          << "allowed by shop/fe egress[0]";
    QTest::newRow("CIDR except") << cidr << "shop/frontend"
                                 << "203.0.113.200" << 443 << "denied"
                                 << "";
    QTest::newRow("CIDR: never a pod") << cidr << "shop/frontend"
                                       << "shop/cart" << 7070 << "denied"
                                       << "";
    QTest::newRow("CIDR: never a node") << cidr << "shop/frontend"
                                        << "192.168.0.2" << 10250 << "denied"
                                        << "";
    QTest::newRow("CIDR: unattributed inside") << cidr << "shop/frontend"
                                               << "?10.0.9.9" << 80 << "undecided"
                                               << "";
    const QString ccnp = "---\napiVersion: cilium.io/v2\nkind: "
                         "CiliumClusterwideNetworkPolicy\nmetadata: {name: cart-in}\n"
                         "spec: {endpointSelector: {matchLabels: {app: cart}}, ingress: "
                         "[{fromEndpoints: [{matchLabels: {app: monitor}}]}]}\n";
    QTest::newRow("clusterwide: every namespace")
        << ccnp << "ops/monitor"
        << "shop/cart" << 7070 << "allowed"
        << "allowed by CiliumClusterwideNetworkPolicy/cart-in ingress[0]";
    QTest::newRow("clusterwide: others") << ccnp << "shop/frontend"
                                         << "shop/cart" << 7070 << "denied"
                                         << "";
    const QString isolated = cnp("cart", kCart, "ingress: [{}]");
    QTest::newRow("own node: allow-localhost") << isolated << "192.168.0.1"
                                               << "shop/cart" << 9090 << "allowed"
                                               << "from the node that hosts the pod";
    QTest::newRow("other node") << isolated << "192.168.0.2"
                                << "shop/cart" << 9090 << "denied"
                                << "";
    // A host-network pod has its node's identity: allow-localhost lets it in on that node.
    QTest::newRow("host-network pod on the pod's node: allow-localhost")
        << cnp("db", "{matchLabels: {app: db}}", "ingress: [{}]") << "kube-system/agent"
        << "shop/db" << 5432 << "allowed"
        << "from a host-network workload on the node that hosts the pod";
    QTest::newRow("host-network pod on another node") << isolated << "kube-system/agent"
                                                      << "shop/cart" << 9090 << "denied"
                                                      << "";
    QTest::newRow("host-network pod on the node of some pods")
        << cnp("web", "{matchLabels: {app: web}}", "ingress: [{}]") << "kube-system/agent"
        << "shop/web" << 8080 << "undecided"
        << "allow-localhost lets it into some pods: kube-system/agent is the node of some pods of "
           "shop/web";
    QTest::newRow("unattributed: endpoints")
        << cnp("cart", kCart, "ingress: [{fromEndpoints: [{}]}]") << "?10.0.9.9"
        << "shop/cart" << 7070 << "undecided"
        << "cannot decide";
    QTest::newRow("unattributed: all")
        << cnp("cart", kCart, "ingress: [{fromEntities: [all]}]") << "?10.0.9.9"
        << "shop/cart" << 7070 << "allowed"
        << "";
}

void TestCiliumEvaluator::decisions()
{
    QFETCH(QString, policies);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(int, port);
    QFETCH(QString, expected);
    QFETCH(QString, reason);
    const Inventory inv = cluster();
    std::vector<std::string> warnings;
    auto set = loadPolicySetText(policies.toStdString(), "table.yaml", &warnings, nullptr, true);
    QVERIFY_OK(set);
    QVERIFY(!set->ciliumPolicies.empty());
    const CiliumEvaluator evaluator(inv, set->networkPolicies, set->ciliumPolicies, {});
    const Protocol protocol = port < 0 ? Protocol::UDP : Protocol::TCP;
    const uint16_t number = static_cast<uint16_t>(std::abs(port));
    const Peer a = peerOf(inv, from), b = peerOf(inv, to);
    const CiliumVerdict v = evaluator.evaluate(a, b, protocol, number);
    QCOMPARE(QString::fromUtf8(ciliumDecisionName(v.decision)), expected);
    QCOMPARE(evaluator.decide(a, b, protocol, number), v.decision);
    if (!reason.isEmpty())
        QVERIFY2(QString::fromStdString(v.reason).contains(reason), v.reason.c_str());
}

void TestCiliumEvaluator::http_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("client");
    QTest::addColumn<bool>("enforced");
    QTest::addColumn<bool>("allowed");

    QTest::newRow("method and path") << "GET"
                                     << "/users/12"
                                     << "api.example"
                                     << "shop/frontend" << true << true;
    QTest::newRow("method alternative") << "HEAD"
                                        << "/users/7"
                                        << "api.example"
                                        << "shop/frontend" << true << true;
    QTest::newRow("other method") << "POST"
                                  << "/users/12"
                                  << "api.example"
                                  << "shop/frontend" << true << false;
    QTest::newRow("path is matched whole") << "GET"
                                           << "/users/12/orders"
                                           << "api.example"
                                           << "shop/frontend" << true << false;
    QTest::newRow("prefix is not enough") << "GET"
                                          << "/v2/users/12"
                                          << "api.example"
                                          << "shop/frontend" << true << false;
    QTest::newRow("host") << "GET"
                          << "/users/12"
                          << "other.example"
                          << "shop/frontend" << true << false;
    QTest::newRow("second rule, any method and host") << "DELETE"
                                                      << "/health"
                                                      << ""
                                                      << "shop/frontend" << true << true;
    // shop/web has a layer-4 rule to the same port: every request.
    QTest::newRow("layer-4 rule for that peer") << "POST"
                                                << "/anything"
                                                << ""
                                                << "shop/web" << false << true;
}

void TestCiliumEvaluator::http()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, host);
    QFETCH(QString, client);
    QFETCH(bool, enforced);
    QFETCH(bool, allowed);
    const Inventory inv = cluster();
    const QString policies
        = cnp("cart", kCart,
              "ingress: [{fromEndpoints: [{matchLabels: {app: frontend}}], toPorts: [{ports: "
              "[{port: \"7070\"}], "
              "rules: {http: [{method: \"GET|HEAD\", path: \"/users/[0-9]+\", host: "
              "\"api\\\\.example\"}, "
              "{path: /health}]}}]}, "
              "{fromEndpoints: [{matchLabels: {app: web}}], toPorts: [{ports: [{port: grpc, "
              "protocol: TCP}]}]}, "
              "{fromEndpoints: [{matchLabels: {app: web}}], toPorts: [{ports: [{port: \"7070\"}], "
              "rules: {http: [{path: /only}]}}]}]");
    auto set = loadPolicySetText(policies.toStdString(), "http.yaml", nullptr, nullptr, true);
    QVERIFY_OK(set);
    const CiliumEvaluator evaluator(inv, set->networkPolicies, set->ciliumPolicies, {});
    HttpRequestSeen r;
    r.clientWorkload = inv.findWorkload(client.toStdString());
    r.serverWorkload = inv.findWorkload("shop/cart");
    r.port = 7070;
    r.method = method.toStdString();
    r.path = path.toStdString();
    r.host = host.toStdString();
    r.count = 1;
    const CiliumHttpVerdict v = evaluator.httpVerdict(r, PolicyDirection::Ingress);
    QCOMPARE(v.enforced, enforced);
    QCOMPARE(v.allowed, allowed);
    if (enforced)
        QCOMPARE(v.rules, std::vector<std::string>{"shop/cart ingress[0]"});
    // The client's egress is not default-deny: nothing to enforce there.
    QVERIFY(!evaluator.httpVerdict(r, PolicyDirection::Egress).enforced);
}

// Envoy matches `path` against the whole :path, query string included: `check` tries the path
// alone (requests without a query) and path?query for each query sample.
void TestCiliumEvaluator::httpQuery_data()
{
    QTest::addColumn<QString>("path");        // the rule's regex
    QTest::addColumn<int>("without");         // requests of GET /users/4 without a query
    QTest::addColumn<QStringList>("queries"); // one request with each
    QTest::addColumn<QStringList>("breaks");  // "TARGET REQUESTS"
    QTest::newRow("a query the exact rule refuses")
        << "/users/[0-9]+" << 0 << QStringList{"x=1"} << QStringList{"/users/4?x=1 1"};
    QTest::newRow("the query allowed")
        << "/users/[0-9]+(\\?.*)?" << 0 << QStringList{"x=1"} << QStringList{};
    QTest::newRow("as generate writes it")
        << "/users/[0-9]+([?].*)?" << 2 << QStringList{"x=1", "", "a=b/c"} << QStringList{};
    QTest::newRow("a query required, one request without")
        << "/users/[0-9]+[?].*" << 2 << QStringList{"x=1"} << QStringList{"/users/4 2"};
    QTest::newRow("only some queries")
        << "/users/4([?]page=[0-9]+)?" << 1 << QStringList{"page=2", "page=x", "q=1"}
        << QStringList{"/users/4?page=x 3", "/users/4?q=1 3"};
    QTest::newRow("a collapsed segment takes a slashless query in")
        << "/users/[^/]+" << 0 << QStringList{"x=1", "x=/"} << QStringList{"/users/4?x=/ 2"};
}

void TestCiliumEvaluator::httpQuery()
{
    QFETCH(QString, path);
    QFETCH(int, without);
    QFETCH(QStringList, queries);
    QFETCH(QStringList, breaks);
    const Inventory inv = cluster();
    const QString policies = cnp("cart", kCart,
                                 "ingress: [{fromEndpoints: [{matchLabels: {app: frontend}}], "
                                 "toPorts: [{ports: [{port: \"7070\"}], rules: {http: [{method: "
                                 "GET, path: '"
                                     + path + "'}]}}]}]");
    auto set = loadPolicySetText(policies.toStdString(), "http.yaml", nullptr, nullptr, true);
    QVERIFY_OK(set);
    const CiliumEvaluator evaluator(inv, set->networkPolicies, set->ciliumPolicies, {});
    Analysis analysis;
    HttpRequestSeen r;
    r.clientWorkload = inv.findWorkload("shop/frontend");
    r.serverWorkload = inv.findWorkload("shop/cart");
    r.port = 7070;
    r.method = "GET";
    r.path = "/users/4";
    r.count = static_cast<uint64_t>(without + queries.size());
    for (const QString &q : queries)
        r.queries.add(q.toStdString());
    analysis.httpRequests.push_back(r);
    const CiliumCheckResult result = checkCilium(inv, analysis, evaluator);
    QCOMPARE(result.httpRequests, r.count);
    QStringList got;
    for (const HttpBreak &b : result.httpBreaks) {
        QCOMPARE(b.side, std::string("ingress"));
        got << QString::fromStdString(b.target + ' ' + std::to_string(b.requests));
    }
    QCOMPARE(got, breaks);
    if (!breaks.isEmpty()) {
        const nlohmann::json j = ciliumCheckJson(inv, result)["l7Breaks"][0];
        QCOMPARE(QString::fromStdString(j["target"].get<std::string>()),
                 breaks[0].section(' ', 0, 0));
        QCOMPARE(j["path"].get<std::string>(), std::string("/users/4"));
        QCOMPARE(j["query"].is_null(), !breaks[0].contains('?'));
    }
}

// policy-cidr-match-mode: by default neither CIDR rules nor NetworkPolicy ipBlocks match a node or
// a host-network pod under Cilium; with `nodes` they do. A NetworkPolicy rule without peers
// reaches them either way.
void TestCiliumEvaluator::cidrMatchMode_data()
{
    QTest::addColumn<QString>("policies");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("nodesMode");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("reason");

    const QString npBlock
        = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: fe, namespace: "
          "shop}\n"
          "spec: {podSelector: {matchLabels: {app: frontend}}, policyTypes: [Egress], "
          "egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16}}]}]}\n";
    QTest::newRow("NetworkPolicy ipBlock, node")
        << npBlock << "192.168.0.2" << false << "denied"
        << "no rule allows it: a NetworkPolicy ipBlock covers 192.168.0.2, a node "
           "address: Cilium matches it only under policy-cidr-match-mode=nodes";
    QTest::newRow("NetworkPolicy ipBlock, node, nodes mode")
        << npBlock << "192.168.0.2" << true << "allowed"
        << "allowed by shop/fe egress[0]";
    QTest::newRow("NetworkPolicy ipBlock, host-network pod")
        << npBlock << "kube-system/agent" << false << "denied"
        << "";
    QTest::newRow("NetworkPolicy ipBlock, host-network pod, nodes mode")
        << npBlock << "kube-system/agent" << true << "allowed"
        << "";
    const QString npAll
        = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: fe, namespace: "
          "shop}\n"
          "spec: {podSelector: {matchLabels: {app: frontend}}, policyTypes: [Egress], "
          "egress: [{ports: [{port: 10250}]}]}\n";
    QTest::newRow("NetworkPolicy every peer, node") << npAll << "192.168.0.2" << false << "allowed"
                                                    << "";
    const QString cidr = cnp("fe", kFrontend, "egress: [{toCIDR: [192.168.0.0/16]}]");
    QTest::newRow("CIDR, node") << cidr << "192.168.0.2" << false << "denied"
                                << "";
    QTest::newRow("CIDR, node, nodes mode") << cidr << "192.168.0.2" << true << "allowed"
                                            << "";
    QTest::newRow("CIDR, host-network pod, nodes mode")
        << cidr << "kube-system/agent" << true << "allowed"
        << "";
    QTest::newRow("CIDR, pod, nodes mode")
        << cnp("fe", kFrontend, "egress: [{toCIDR: [10.0.0.0/8]}]") << "shop/cart" << true
        << "denied"
        << "";
}

void TestCiliumEvaluator::cidrMatchMode()
{
    QFETCH(QString, policies);
    QFETCH(QString, to);
    QFETCH(bool, nodesMode);
    QFETCH(QString, expected);
    QFETCH(QString, reason);
    const Inventory inv = cluster();
    auto set = loadPolicySetText(policies.toStdString(), "mode.yaml", nullptr, nullptr, true);
    QVERIFY_OK(set);
    const CiliumEvaluator evaluator(inv, set->networkPolicies, set->ciliumPolicies, {}, {},
                                    nodesMode);
    const CiliumVerdict v
        = evaluator.evaluate(peerOf(inv, "shop/frontend"), peerOf(inv, to), Protocol::TCP, 10250);
    QCOMPARE(QString::fromUtf8(ciliumDecisionName(v.decision)), expected);
    if (!reason.isEmpty())
        QVERIFY2(QString::fromStdString(v.reason).contains(reason), v.reason.c_str());
}

QTEST_GUILESS_MAIN(TestCiliumEvaluator)
#include "tst_ciliumevaluator.moc"
