#include "policy/ciliumgenerator.h"

#include "l7/pathcollapse.h"
#include "policy/ciliumwriter.h"
#include "policy/generator.h"

#include <QtTest>

using namespace bulkhead;

namespace {

IpAddress ip(const char *text)
{
    return *IpAddress::parse(text);
}

Cidr cidr(const char *text)
{
    return *Cidr::parse(text);
}

int addWorkload(Inventory &inv, const char *ns, const char *name, Labels labels,
                std::vector<ContainerPort> ports, const char *address)
{
    Workload w;
    w.ns = ns;
    w.name = name;
    w.kind = "Deployment";
    w.labels = std::move(labels);
    w.ports = std::move(ports);
    PodMember pod;
    pod.name = std::string(name) + "-0";
    pod.addresses.push_back(ip(address));
    w.pods.push_back(pod);
    inv.workloads.push_back(w);
    return static_cast<int>(inv.workloads.size() - 1);
}

Edge edge(Peer from, Peer to, uint16_t port, Protocol protocol = Protocol::TCP)
{
    Edge e;
    e.from = from;
    e.to = to;
    e.port = port;
    e.protocol = protocol;
    e.evidence.flows = 1;
    e.evidence.packets = 10;
    e.evidence.files = {0};
    return e;
}

Peer ext(const char *address)
{
    return Peer{PeerKind::External, -1, ip(address)};
}

// A small app: a gateway calls the shop's frontend over HTTP; checkout calls the cluster DNS, a
// payment API seen resolved, a name seen only as a TLS server name, an address with no name, and
// the API server.
struct Shop
{
    Inventory inv;
    std::vector<Edge> edges;
    int dns = -1, frontend = -1, checkout = -1, gateway = -1;

    Shop()
    {
        inv.clusterNetworks = {cidr("10.244.0.0/16"), cidr("10.96.0.0/12")};
        dns = addWorkload(inv, "kube-system", "coredns", {{"k8s-app", "kube-dns"}},
                          {{"dns", 53, Protocol::UDP}}, "10.244.0.2");
        checkout = addWorkload(inv, "shop", "checkout", {{"app", "checkout"}},
                               {{"grpc", 5050, Protocol::TCP}}, "10.244.1.3");
        frontend = addWorkload(inv, "shop", "frontend", {{"app", "frontend"}},
                               {{"http", 8080, Protocol::TCP}}, "10.244.1.4");
        gateway = addWorkload(inv, "web", "gateway", {{"app", "gateway"}}, {}, "10.244.2.2");
        EndpointSet api;
        api.ns = "default";
        api.service = "kubernetes";
        api.addresses = {ip("172.18.0.10")};
        inv.endpointSets.push_back(api);
        edges.push_back(edge(Peer::workload(gateway), Peer::workload(frontend), 8080));
        edges.push_back(edge(Peer::workload(frontend), Peer::workload(checkout), 5050));
        edges.push_back(edge(Peer::workload(checkout), Peer::workload(dns), 53, Protocol::UDP));
        edges.push_back(edge(Peer::workload(checkout), ext("203.0.113.7"), 443));
        edges.push_back(edge(Peer::workload(checkout), ext("203.0.113.8"), 443));
        edges.push_back(edge(Peer::workload(checkout), ext("198.51.100.9"), 443));
        edges.push_back(edge(Peer::workload(checkout), ext("192.0.2.50"), 443));
        edges.push_back(edge(Peer::workload(checkout), ext("172.18.0.10"), 6443));
    }

    CiliumOptions options() const
    {
        CiliumOptions o;
        o.externalNames = {{ip("203.0.113.7"), {"api.payments.example"}},
                           {ip("203.0.113.8"), {"eu.payments.example"}},
                           {ip("198.51.100.9"), {"tls.only.example"}}};
        o.resolvedNames = {"api.payments.example", "eu.payments.example"};
        const auto req = [&](const char *method, const char *path, uint64_t count) {
            HttpRequestSeen r;
            r.clientWorkload = gateway;
            r.serverWorkload = frontend;
            r.port = 8080;
            r.method = method;
            r.path = path;
            r.count = count;
            return r;
        };
        o.requests
            = {req("GET", "/users/1234", 2), req("GET", "/users/5678", 1), req("POST", "/cart", 1)};
        o.pathCollapse = 1;
        return o;
    }

    std::vector<CiliumNetworkPolicy> cilium(const CiliumOptions &o) const
    {
        const GenerateResult np = generatePolicies(inv, edges, GenerateOptions{});
        return toCiliumPolicies(inv, np.policies, o).policies;
    }
};

const CiliumNetworkPolicy *find(const std::vector<CiliumNetworkPolicy> &ps, const char *ns,
                                const char *name)
{
    for (const CiliumNetworkPolicy &p : ps) {
        if (p.ns == ns && p.name == name)
            return &p;
    }
    return nullptr;
}

} // namespace

class TestCiliumGenerator : public QObject
{
    Q_OBJECT

private slots:
    void checkoutEgress();
    void frontendHttpRules();
    void defaultDeny();
    void fqdnPatternFlag();
    void noDnsEgressKeepsAddresses();
    void deterministic();
    void collapse_data();
    void collapse();
    void queryRules_data();
    void queryRules();
    void patternMatches_data();
    void patternMatches();
    void schemaValid();
};

// Names seen resolved become toFQDNs with the DNS rule for exactly those names; a TLS-only name
// and an unnamed address stay CIDRs (said in a comment); the API server is the kube-apiserver
// entity.
void TestCiliumGenerator::checkoutEgress()
{
    const Shop shop;
    const auto policies = shop.cilium(shop.options());
    const CiliumNetworkPolicy *p = find(policies, "shop", "checkout");
    QVERIFY(p);
    const std::string expected = R"(apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: checkout
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: bulkhead
spec:
  endpointSelector:
    matchLabels:
      app: checkout
  enableDefaultDeny:
    ingress: true
    egress: true
  ingress:
  - fromEndpoints:
    - matchLabels:
        app: frontend
        "k8s:io.kubernetes.pod.namespace": shop
    toPorts:
    - ports:
      - port: "5050"
        protocol: TCP
  egress:
  # rules.dns: the lookups that toFQDNs needs, and no other
  - toEndpoints:
    - matchLabels:
        k8s-app: kube-dns
        "k8s:io.kubernetes.pod.namespace": kube-system
    toPorts:
    - ports:
      - port: "53"
        protocol: UDP
      rules:
        dns:
        - matchName: api.payments.example
        - matchName: eu.payments.example
  # kube-apiserver: 172.18.0.10 is an endpoint of Service default/kubernetes
  - toEntities:
    - kube-apiserver
    toPorts:
    - ports:
      - port: "6443"
        protocol: TCP
  # 192.0.2.50 by address: no name was seen for it
  # 198.51.100.9 (tls.only.example) by address: the name was never seen resolved (a TLS server name only)
  - toCIDR:
    - 192.0.2.50/32
    - 198.51.100.9/32
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
  # 203.0.113.7 answered for api.payments.example
  # 203.0.113.8 answered for eu.payments.example
  - toFQDNs:
    - matchName: api.payments.example
    - matchName: eu.payments.example
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
)";
    QCOMPARE(writeCiliumPolicyYaml(*p), expected);
}

// The gateway's requests to the frontend: GET on /users/<id> collapsed (threshold 1), POST /cart,
// with the requests behind each rule as comments.
void TestCiliumGenerator::frontendHttpRules()
{
    const Shop shop;
    const auto policies = shop.cilium(shop.options());
    const CiliumNetworkPolicy *p = find(policies, "shop", "frontend");
    QVERIFY(p);
    const std::string yaml = writeCiliumPolicyYaml(*p);
    const std::string ingress = R"(  ingress:
  - fromEndpoints:
    - matchLabels:
        app: gateway
        "k8s:io.kubernetes.pod.namespace": web
    toPorts:
    - ports:
      - port: "8080"
        protocol: TCP
      rules:
        http:
        # GET /users/1234 (2 requests)
        # GET /users/5678 (1 request)
        - method: GET
          path: "/users/[^/]+"
        # POST /cart (1 request)
        - method: POST
          path: /cart
  egress:
)";
    QVERIFY2(yaml.find(ingress) != std::string::npos, yaml.c_str());

    // Without collapsing: one rule per path.
    CiliumOptions o = shop.options();
    o.pathCollapse = 0;
    const auto literal = shop.cilium(o);
    const CiliumPortRule &port = find(literal, "shop", "frontend")->ingress.at(0).ports.at(0);
    QCOMPARE(port.http.size(), size_t(3));
    QCOMPARE(port.http[0].path, std::string("/users/1234"));
    QCOMPARE(port.http[1].path, std::string("/users/5678"));
    QCOMPARE(port.http[2].method, std::string("POST"));

    // No requests seen: no layer-7 rule at all (e.g. TLS on that port).
    o.requests.clear();
    const auto none = shop.cilium(o);
    QVERIFY(!find(none, "shop", "frontend")->ingress.at(0).ports.at(0).hasHttp);
}

void TestCiliumGenerator::defaultDeny()
{
    const Shop shop;
    const auto policies = shop.cilium(shop.options());
    const CiliumNetworkPolicy *p = find(policies, "web", "default-deny");
    QVERIFY(p);
    QCOMPARE(writeCiliumPolicyYaml(*p), std::string(R"(apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: default-deny
  namespace: web
  labels:
    app.kubernetes.io/managed-by: bulkhead
spec:
  endpointSelector: {}
  enableDefaultDeny:
    ingress: true
    egress: true
  ingress:
  - {}
  egress:
  - {}
)"));
}

void TestCiliumGenerator::fqdnPatternFlag()
{
    const Shop shop;
    CiliumOptions o = shop.options();
    o.fqdnPatterns = {"*.payments.example"};
    const auto policies = shop.cilium(o);
    const CiliumNetworkPolicy *p = find(policies, "shop", "checkout");
    QVERIFY(p);
    const std::string yaml = writeCiliumPolicyYaml(*p);
    QVERIFY2(
        yaml.find("      rules:\n        dns:\n        - matchPattern: \"*.payments.example\"\n  #")
            != std::string::npos,
        yaml.c_str());
    QVERIFY2(yaml.find("  - toFQDNs:\n    - matchPattern: \"*.payments.example\"\n    toPorts:")
                 != std::string::npos,
             yaml.c_str());
    QVERIFY(yaml.find("matchName") == std::string::npos);
}

// Without egress to the cluster DNS, toFQDNs could never learn an address: the names stay CIDRs.
void TestCiliumGenerator::noDnsEgressKeepsAddresses()
{
    Shop shop;
    shop.edges.erase(shop.edges.begin() + 2); // checkout -> DNS
    const auto policies = shop.cilium(shop.options());
    const CiliumNetworkPolicy *p = find(policies, "shop", "checkout");
    QVERIFY(p);
    const std::string yaml = writeCiliumPolicyYaml(*p);
    QVERIFY2(yaml.find("- toFQDNs:") == std::string::npos, yaml.c_str());
    QVERIFY(yaml.find("rules:") == std::string::npos);
    QVERIFY2(yaml.find("# 203.0.113.7 (api.payments.example) by address: the policy has no egress "
                       "to the cluster DNS")
                 != std::string::npos,
             yaml.c_str());
    QVERIFY(yaml.find("- 203.0.113.7/32") != std::string::npos);
}

void TestCiliumGenerator::deterministic()
{
    const Shop shop;
    QCOMPARE(writeCiliumPoliciesYaml(shop.cilium(shop.options())),
             writeCiliumPoliciesYaml(shop.cilium(shop.options())));
}

void TestCiliumGenerator::collapse_data()
{
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<QStringList>("patterns");
    QTest::newRow("two ids, threshold 1")
        << QStringList{"/users/1234", "/users/5678"} << 1 << QStringList{"/users/[^/]+"};
    QTest::newRow("two ids, threshold 2") << QStringList{"/users/1234", "/users/5678"} << 2
                                          << QStringList{"/users/1234", "/users/5678"};
    QTest::newRow("subtrees merged") << QStringList{"/u/1/orders", "/u/2/orders", "/u/3/cart", "/u"}
                                     << 2 << QStringList{"/u", "/u/[^/]+/cart", "/u/[^/]+/orders"};
    QTest::newRow("query cut, dots escaped")
        << QStringList{"/a.b?x=1", "/a.b?x=2"} << 1 << QStringList{"/a\\.b"};
    QTest::newRow("grpc methods") << QStringList{"/hipstershop.CartService/GetCart",
                                                 "/hipstershop.CartService/AddItem"}
                                  << 5
                                  << QStringList{"/hipstershop\\.CartService/AddItem",
                                                 "/hipstershop\\.CartService/GetCart"};
    QTest::newRow("root and trailing slash kept")
        << QStringList{"/", "/x/", "/x/1", "/x/2"} << 1 << QStringList{"/", "/x/", "/x/[^/]+"};
    QTest::newRow("absolute form")
        << QStringList{"http://h.example/p/q"} << 1 << QStringList{"/p/q"};
    QTest::newRow("never") << QStringList{"/a/1", "/a/2", "/a/3"} << 0
                           << QStringList{"/a/1", "/a/2", "/a/3"};
}

void TestCiliumGenerator::collapse()
{
    QFETCH(QStringList, paths);
    QFETCH(int, threshold);
    QFETCH(QStringList, patterns);
    std::vector<std::string> in;
    for (const QString &p : paths)
        in.push_back(p.toStdString());
    QStringList got;
    for (const CollapsedPath &c : collapsePaths(in, threshold))
        got << QString::fromStdString(c.pattern);
    QCOMPARE(got, patterns);
}

void TestCiliumGenerator::queryRules_data()
{
    // "METHOD PATH COUNT WITH-QUERY [SAMPLE]" per request kind of gateway -> frontend:8080.
    QTest::addColumn<QStringList>("requests");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<QStringList>("rules"); // "METHOD PATH-REGEX"
    QTest::addColumn<QString>("comment");   // the first rule's first comment
    QTest::newRow("no query: exact") << QStringList{"GET /users/1 2 0"} << 3
                                     << QStringList{"GET /users/1"} << "GET /users/1 (2 requests)";
    QTest::newRow("all with a query")
        << QStringList{"GET /users/1 2 2 page=2"} << 3 << QStringList{"GET /users/1[?].*"}
        << "GET /users/1 (2 requests, all with a query, e.g. ?page=2)";
    QTest::newRow("one request, with a query")
        << QStringList{"GET /a 1 1 x=1"} << 3 << QStringList{"GET /a[?].*"}
        << "GET /a (1 request, with a query, e.g. ?x=1)";
    QTest::newRow("mixed") << QStringList{"GET /users/1 3 1 page=2"} << 3
                           << QStringList{"GET /users/1([?].*)?"}
                           << "GET /users/1 (3 requests, 1 with a query, e.g. ?page=2)";
    QTest::newRow("an empty query is a query")
        << QStringList{"GET /a 1 1 -"} << 3 << QStringList{"GET /a[?].*"}
        << "GET /a (1 request, with a query, e.g. ?)";
    QTest::newRow("collapsed, some paths with a query")
        << QStringList{"GET /users/1 1 0", "GET /users/2 1 1 v=1"} << 1
        << QStringList{"GET /users/[^/]+([?].*)?"} << "GET /users/1 (1 request)";
    QTest::newRow("collapsed, every path with a query")
        << QStringList{"GET /users/1 1 1 v=1", "GET /users/2 2 2 v=2"} << 1
        << QStringList{"GET /users/[^/]+[?].*"}
        << "GET /users/1 (1 request, with a query, e.g. ?v=1)";
    QTest::newRow("per method") << QStringList{"GET /a 1 1 q", "POST /a 4 0", "PUT /a 2 1 q"} << 3
                                << QStringList{"GET /a[?].*", "POST /a", "PUT /a([?].*)?"}
                                << "GET /a (1 request, with a query, e.g. ?q)";
    QTest::newRow("escaped literal, then the query")
        << QStringList{"POST /pkg.Svc/Get 1 1 a"} << 3 << QStringList{"POST /pkg\\.Svc/Get[?].*"}
        << "POST /pkg.Svc/Get (1 request, with a query, e.g. ?a)";
}

// A query string in Envoy's :path: the path regex takes it in exactly when some request behind
// the rule carried one.
void TestCiliumGenerator::queryRules()
{
    QFETCH(QStringList, requests);
    QFETCH(int, threshold);
    QFETCH(QStringList, rules);
    QFETCH(QString, comment);
    const Shop shop;
    CiliumOptions o = shop.options();
    o.requests.clear();
    for (const QString &line : requests) {
        const QStringList f = line.split(' ');
        HttpRequestSeen r;
        r.clientWorkload = shop.gateway;
        r.serverWorkload = shop.frontend;
        r.port = 8080;
        r.method = f[0].toStdString();
        r.path = f[1].toStdString();
        r.count = f[2].toULongLong();
        const uint64_t withQuery = f[3].toULongLong();
        if (withQuery > 0)
            r.queries.add(f[4] == "-" ? std::string() : f[4].toStdString(), withQuery);
        o.requests.push_back(std::move(r));
    }
    o.pathCollapse = threshold;
    const auto policies = shop.cilium(o);
    const CiliumPortRule &port = find(policies, "shop", "frontend")->ingress.at(0).ports.at(0);
    QStringList got;
    for (const CiliumHttpRule &h : port.http)
        got << QString::fromStdString(h.method + ' ' + h.path);
    QCOMPARE(got, rules);
    QCOMPARE(QString::fromStdString(port.http.at(0).comments.at(0)), comment);
}

void TestCiliumGenerator::patternMatches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("matches");
    QTest::newRow("one label") << "*.example.com"
                               << "api.example.com" << true;
    QTest::newRow("not two labels") << "*.example.com"
                                    << "a.b.example.com" << false;
    QTest::newRow("not the apex") << "*.example.com"
                                  << "example.com" << false;
    QTest::newRow("trailing dot, case") << "API.*.com."
                                        << "api.example.com" << true;
    QTest::newRow("inside a label") << "api-*.example.com"
                                    << "api-eu.example.com" << true;
    QTest::newRow("other domain") << "*.example.com"
                                  << "api.example.org" << false;
}

void TestCiliumGenerator::patternMatches()
{
    QFETCH(QString, pattern);
    QFETCH(QString, name);
    QFETCH(bool, matches);
    QCOMPARE(fqdnPatternMatches(pattern.toStdString(), name.toStdString()), matches);
}

// Every generated object validates against the CiliumNetworkPolicy CRD's schema.
void TestCiliumGenerator::schemaValid()
{
    const QString schema
        = QStringLiteral(BULKHEAD_SHARED_DIR "/k8s/ciliumnetworkpolicy-v2-schema.json");
    if (!QFile::exists(schema))
        QSKIP("the shared CiliumNetworkPolicy schema is absent (BULKHEAD_SHARED_DIR)");
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP("python3 is not installed");
    const Shop shop;
    CiliumOptions withPattern = shop.options();
    withPattern.fqdnPatterns = {"*.payments.example"};
    // Query strings: "/users/[^/]+([?].*)?" and "/cart[?].*".
    withPattern.requests[0].queries.add("page=2");
    withPattern.requests[2].queries.add("");
    std::string text = writeCiliumPoliciesYaml(shop.cilium(shop.options())) + "---\n"
                       + writeCiliumPoliciesYaml(shop.cilium(withPattern));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("cilium.yaml"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(text.data(), static_cast<qint64>(text.size()));
    out.close();
    QProcess validator;
    validator.start(
        python,
        {QStringLiteral(BULKHEAD_SOURCE_DIR "/tests/tools/validate_policies.py"), schema, file});
    QVERIFY(validator.waitForFinished(60000));
    const QByteArray report = validator.readAllStandardOutput() + validator.readAllStandardError();
    if (report.contains("No module named"))
        QSKIP("python3-jsonschema or python3-yaml is not installed");
    QVERIFY2(validator.exitCode() == 0,
             (report + "\n" + QByteArray::fromStdString(text)).constData());
    QVERIFY2(report.contains("10 document(s) checked, all valid"), report.constData());
}

QTEST_GUILESS_MAIN(TestCiliumGenerator)
#include "tst_ciliumgenerator.moc"
