// bulkhead-cli generate --format cilium, and check of the CiliumNetworkPolicies it writes, end to
// end on a small HTTP and gRPC app whose capture is made here: a load generator calls the frontend
// over HTTP/1.1 through its Service (keep-alive, pipelining, a chunked body), the frontend calls
// the cart over h2c gRPC (HPACK dynamic table across calls), looks up a payment API through a CNAME
// chain and calls it over TLS, and calls an address known only by its TLS server name.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "ciliumshop.h"
#include "clirun.h"
#include "l7messages.h"
#include "namemessages.h"

using namespace bulkhead;
using namespace bulkhead::testing;
using namespace bulkhead::testing::shop;

class TestCiliumCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void frontendPolicy();
    void cartPolicy();
    void schemaValid();
    void networkPolicyByDefault();
    void badPattern();
    void checkRoundTrip();
    void checkNarrowedPath();
    void checkQueryStrings();
    void checkRemovedGrpcMethod();
    void checkRemovedPort();
    void checkNames_data();
    void checkNames();
    void checkMalformed_data();
    void checkMalformed();
    void checkWithClusterPolicy();
    void explain();
    void refusedOptions();

private:
    // `check --format json` of these policies (written to a file) on the app's capture.
    QJsonObject check(const QByteArray &policies, int expectedExit);
    // The generated CiliumNetworkPolicies (--path-collapse 2) with one text replaced.
    QByteArray editedCilium(const QByteArray &from, const QByteArray &to);
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QByteArray generate(const QStringList &extra);
    QTemporaryDir m_dir;
    QString m_inventory, m_capture;
};

void TestCiliumCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_inventory = path("inventory.yaml");
    QFile inv(m_inventory);
    QVERIFY(inv.open(QIODevice::WriteOnly));
    inv.write(inventoryYaml);
    inv.close();

    m_capture = path("app.pcap");
    Capture cap(m_capture);
    const IpAddress loadgen = ip("10.244.1.3"), frontend = ip("10.244.1.4"),
                    cart = ip("10.244.1.5");
    const IpAddress frontendVip = ip("10.96.0.40");
    // HTTP/1.1 through the Service: two pipelined GETs in one segment, a chunked POST split over
    // two segments, then a keep-alive GET.
    cap.connection(
        loadgen, 41000, frontendVip, 80,
        {bytes("GET /product/OLJCESPC7Z HTTP/1.1\r\nHost: frontend\r\n\r\n"
               "GET /product/66VCHSJNUP?currency=EUR HTTP/1.1\r\nHost: frontend\r\n\r\n"),
         bytes("POST /cart HTTP/1.1\r\nHost: frontend\r\nTransfer-Encoding: "
               "chunked\r\n\r\n8\r\nquan"),
         bytes("tity\r\n0\r\n\r\n"), bytes("GET / HTTP/1.1\r\nHost: frontend\r\n\r\n")});
    cap.connection(loadgen, 41001, frontendVip, 80,
                   {bytes("GET /product/9SIQT8TOJO HTTP/1.1\r\nHost: frontend\r\n\r\n")});
    // gRPC over h2c, three calls on one connection.
    H2Client grpc;
    std::vector<std::vector<uint8_t>> calls{grpc.preface()};
    calls.push_back(
        grpc.request({"POST", "/hipstershop.CartService/GetCart", "cart:7070", true, "u1"}));
    calls.push_back(
        grpc.request({"POST", "/hipstershop.CartService/AddItem", "cart:7070", true, "u1,p1"}));
    calls.push_back(
        grpc.request({"POST", "/hipstershop.CartService/GetCart", "cart:7070", true, "u1"}));
    cap.connection(frontend, 42000, cart, 7070, calls);
    // DNS through a CNAME chain, then TLS to the answer.
    cap.dns(frontend, 33000,
            dnsResponse(7, "api.payments.example", 1,
                        {{"api.payments.example", 5, "edge.cdn.example", {}},
                         {"edge.cdn.example", 1, "", ip("203.0.113.7")}}));
    cap.connection(frontend, 43000, ip("203.0.113.7"), 443,
                   {tlsClientHello("api.payments.example")});
    // A server name never seen resolved.
    cap.connection(frontend, 43001, ip("198.51.100.20"), 443,
                   {tlsClientHello("legacy.partner.example")});
    QVERIFY(cap.close());
}

QByteArray TestCiliumCli::generate(const QStringList &extra)
{
    const QString out = path("policies.yaml");
    QFile::remove(out);
    const CliRun run = runCli(
        QStringList{"generate", "--inventory", m_inventory, "--capture", m_capture, "--output", out}
        + extra);
    if (!run.finished || run.exitCode != 0) {
        qWarning() << run.err;
        return {};
    }
    QFile f(out);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Bare pods name their policies (frontend-1). The frontend: HTTP rules per method with the
// product ids collapsed (--path-collapse 2), one of them requested with a query string (so the
// query is optional after the pattern), the requests behind each; toFQDNs for the payment API with
// the DNS rule for exactly that name; the server name never resolved stays an address.
void TestCiliumCli::frontendPolicy()
{
    const QByteArray yaml = generate({"--format", "cilium", "--path-collapse", "2"});
    QVERIFY(!yaml.isEmpty());
    const QByteArray doc = documentOf(yaml, "frontend-1");
    const QByteArray expected = R"(apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: frontend-1
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: bulkhead
spec:
  endpointSelector:
    matchLabels:
      app: frontend
  enableDefaultDeny:
    ingress: true
    egress: true
  ingress:
  - fromEndpoints:
    - matchLabels:
        app: loadgen
        "k8s:io.kubernetes.pod.namespace": shop
    toPorts:
    - ports:
      - port: "8080"
        protocol: TCP
      rules:
        http:
        # GET / (1 request)
        - method: GET
          path: /
        # GET /product/66VCHSJNUP (1 request, with a query, e.g. ?currency=EUR)
        # GET /product/9SIQT8TOJO (1 request)
        # GET /product/OLJCESPC7Z (1 request)
        - method: GET
          path: "/product/[^/]+([?].*)?"
        # POST /cart (1 request)
        - method: POST
          path: /cart
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
  - toEndpoints:
    - matchLabels:
        app: cart
        "k8s:io.kubernetes.pod.namespace": shop
    toPorts:
    - ports:
      - port: "7070"
        protocol: TCP
  # 198.51.100.20 (legacy.partner.example) by address: the name was never seen resolved (a TLS server name only)
  - toCIDR:
    - 198.51.100.20/32
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
  # 203.0.113.7 answered for api.payments.example
  - toFQDNs:
    - matchName: api.payments.example
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
)";
    QCOMPARE(QString::fromUtf8(doc), QString::fromUtf8(expected));
}

// The cart: the gRPC methods the frontend called over h2c, each a literal path.
void TestCiliumCli::cartPolicy()
{
    const QByteArray yaml = generate({"--format", "cilium"});
    const QByteArray doc = documentOf(yaml, "cart-1");
    const QByteArray ingress = R"(  ingress:
  - fromEndpoints:
    - matchLabels:
        app: frontend
        "k8s:io.kubernetes.pod.namespace": shop
    toPorts:
    - ports:
      - port: "7070"
        protocol: TCP
      rules:
        http:
        # POST /hipstershop.CartService/AddItem (1 request)
        - method: POST
          path: "/hipstershop\\.CartService/AddItem"
        # POST /hipstershop.CartService/GetCart (2 requests)
        - method: POST
          path: "/hipstershop\\.CartService/GetCart"
  egress:
  - {}
)";
    QVERIFY2(doc.endsWith(ingress), doc.constData());
}

void TestCiliumCli::schemaValid()
{
    const QString schema
        = QStringLiteral(BULKHEAD_SHARED_DIR "/k8s/ciliumnetworkpolicy-v2-schema.json");
    if (!QFile::exists(schema))
        QSKIP("the shared CiliumNetworkPolicy schema is absent (BULKHEAD_SHARED_DIR)");
    const QByteArray yaml = generate(
        {"--format", "cilium", "--path-collapse", "1", "--fqdn-pattern", "*.payments.example"});
    QVERIFY(yaml.contains("matchPattern: \"*.payments.example\""));
    QProcess p;
    p.start("python3", {BULKHEAD_SOURCE_DIR "/tests/tools/validate_policies.py", schema,
                        path("policies.yaml")});
    QVERIFY(p.waitForFinished(60000));
    const QByteArray report = p.readAllStandardOutput() + p.readAllStandardError();
    if (report.contains("No module named"))
        QSKIP("python3-jsonschema or python3-yaml is not installed");
    QVERIFY2(p.exitCode() == 0, report.constData());
    QVERIFY2(report.contains("4 document(s) checked, all valid"), report.constData());
}

void TestCiliumCli::networkPolicyByDefault()
{
    const QByteArray yaml = generate({});
    QVERIFY(yaml.startsWith("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"));
    QVERIFY(!yaml.contains("cilium"));
}

void TestCiliumCli::badPattern()
{
    const QString out = path("bad.yaml");
    const CliRun run
        = runCli({"generate", "--inventory", m_inventory, "--capture", m_capture, "--format",
                  "cilium", "--fqdn-pattern", "api payments", "--output", out});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("--fqdn-pattern \"api payments\""), run.err.constData());
    QVERIFY(!QFile::exists(out));
}

QJsonObject TestCiliumCli::check(const QByteArray &policies, int expectedExit)
{
    const QString file = path("review.yaml");
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(policies);
    f.close();
    const CliRun run = runCli({"check", "--inventory", m_inventory, "--capture", m_capture,
                               "--policies", file, "--format", "json"});
    if (run.exitCode != expectedExit) {
        qWarning() << "exit" << run.exitCode << run.err;
        return {};
    }
    return QJsonDocument::fromJson(run.out).object();
}

QByteArray TestCiliumCli::editedCilium(const QByteArray &from, const QByteArray &to)
{
    QByteArray yaml = generate({"--format", "cilium", "--path-collapse", "2"});
    if (!yaml.contains(from))
        return {};
    return yaml.replace(from, to);
}

QStringList excessRows(const QJsonObject &report)
{
    QStringList rows;
    for (const QJsonValue &e : report["excess"].toArray()) {
        const QJsonObject o = e.toObject();
        rows << o["from"].toString() + " -> " + o["to"].toString() + ' ' + o["protocol"].toString()
                    + '/' + QString::number(o["port"].toInt());
    }
    return rows;
}

// The acid test: what `generate --format cilium` writes, reviewed on the same inputs, breaks
// nothing at layer 3/4 or 7 and allows no more than the NetworkPolicy round trip does.
void TestCiliumCli::checkRoundTrip()
{
    const QJsonObject np = check(generate({}), 0);
    QCOMPARE(np["summary"].toObject()["breaks"].toInt(), 0);
    const QStringList npExcess = excessRows(np);
    QCOMPARE(npExcess, QStringList{"kube-system/coredns-1 -> kube-system/coredns-1 UDP/53"});

    for (const QStringList &options :
         {QStringList{"--path-collapse", "1"}, QStringList{"--path-collapse", "2"},
          QStringList{"--path-collapse", "3"},
          QStringList{"--fqdn-pattern", "*.payments.example", "--path-collapse", "0"}}) {
        const QJsonObject cnp = check(generate(QStringList{"--format", "cilium"} + options), 0);
        const QJsonObject summary = cnp["summary"].toObject();
        QCOMPARE(summary["observedEdges"].toInt(), 5);
        QCOMPARE(summary["breaks"].toInt(), 0);
        QCOMPARE(summary["l7Breaks"].toInt(), 0);
        QCOMPARE(summary["undecided"].toInt(), 0);
        // Every request of the capture was checked at layer 7: five HTTP/1.1, three gRPC.
        QCOMPARE(summary["httpRequests"].toInt(), 8);
        QCOMPARE(excessRows(cnp), npExcess);
    }
}

// GET /product/66VCHSJNUP?currency=EUR: Envoy matches the path regex against the path with its
// query. Each product literal (--path-collapse 0), the one requested with a query takes it in and
// check passes it; the rule written as the path alone (what generate wrote before queries were
// kept) refuses that very request, and check says so with the full target.
void TestCiliumCli::checkQueryStrings()
{
    const QByteArray yaml = generate({"--format", "cilium", "--path-collapse", "0"});
    QVERIFY(yaml.contains("        # GET /product/66VCHSJNUP (1 request, with a query, e.g. "
                          "?currency=EUR)\n        - method: GET\n          path: "
                          "\"/product/66VCHSJNUP[?].*\"\n"));
    QVERIFY(yaml.contains("        - method: GET\n          path: /product/9SIQT8TOJO\n"));
    const QJsonObject generated = check(yaml, 0);
    QCOMPARE(generated["summary"].toObject()["l7Breaks"].toInt(), 0);
    QCOMPARE(generated["summary"].toObject()["httpRequests"].toInt(), 8);

    QByteArray pathOnly = yaml;
    pathOnly.replace("path: \"/product/66VCHSJNUP[?].*\"", "path: /product/66VCHSJNUP");
    const QJsonObject report = check(pathOnly, 1);
    const QJsonArray l7 = report["l7Breaks"].toArray();
    QCOMPARE(l7.size(), 1);
    const QJsonObject b = l7[0].toObject();
    QCOMPARE(b["method"].toString(), QString("GET"));
    QCOMPARE(b["path"].toString(), QString("/product/66VCHSJNUP"));
    QCOMPARE(b["query"].toString(), QString("currency=EUR"));
    QCOMPARE(b["target"].toString(), QString("/product/66VCHSJNUP?currency=EUR"));
    QCOMPARE(b["requests"].toInt(), 1);
    QCOMPARE(b["side"].toString(), QString("ingress"));

    const CliRun run = runCli({"check", "--inventory", m_inventory, "--capture", m_capture,
                               "--policies", path("review.yaml")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(
        QString::fromUtf8(run.out).contains(QRegularExpression(
            "shop/loadgen-1 +shop/frontend-1 +TCP/8080 +GET +/product/66VCHSJNUP\\?currency=EUR "
            "+1 +ingress +shop/frontend-1 ingress\\[0\\]")),
        run.out.constData());
}

// One HTTP rule narrowed from /product/[^/]+ to one product: the two other products' requests
// are layer-7 breaks on the frontend's ingress, each with its method, path and count.
void TestCiliumCli::checkNarrowedPath()
{
    const QByteArray yaml
        = editedCilium("path: \"/product/[^/]+([?].*)?\"", "path: /product/OLJCESPC7Z");
    QVERIFY(!yaml.isEmpty());
    const QJsonObject report = check(yaml, 1);
    QCOMPARE(report["summary"].toObject()["breaks"].toInt(), 0);
    const QJsonArray l7 = report["l7Breaks"].toArray();
    QCOMPARE(l7.size(), 2);
    QStringList rows;
    for (const QJsonValue &v : l7) {
        const QJsonObject b = v.toObject();
        rows << b["from"].toString() + " -> " + b["to"].toString() + ':'
                    + QString::number(b["port"].toInt()) + ' ' + b["method"].toString() + ' '
                    + b["path"].toString() + " x" + QString::number(b["requests"].toInt()) + ' '
                    + b["side"].toString() + ' ' + jsonStrings(b["policies"]).join(',') + ' '
                    + jsonStrings(b["rules"]).join(',');
    }
    QCOMPARE(rows, (QStringList{"shop/loadgen-1 -> shop/frontend-1:8080 GET /product/66VCHSJNUP x1 "
                                "ingress shop/frontend-1 shop/frontend-1 ingress[0]",
                                "shop/loadgen-1 -> shop/frontend-1:8080 GET /product/9SIQT8TOJO x1 "
                                "ingress shop/frontend-1 shop/frontend-1 ingress[0]"}));

    // The table says the same.
    QFile f(path("review.yaml"));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(yaml);
    f.close();
    const CliRun run = runCli({"check", "--inventory", m_inventory, "--capture", m_capture,
                               "--policies", path("review.yaml")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(
        run.out.contains(
            "Layer-7 breaks: observed HTTP requests no rules.http matches (2; 8 requests checked)"),
        run.out.constData());
    QVERIFY2(QString::fromUtf8(run.out).contains(QRegularExpression(
                 "shop/loadgen-1 +shop/frontend-1 +TCP/8080 +GET +/product/9SIQT8TOJO +1 +ingress "
                 "+shop/frontend-1 ingress\\[0\\]")),
             run.out.constData());
    QVERIFY(run.out.contains("5 observed edges, 0 break, 2 layer-7 break, 0 undecided, 1 excess"));

    // With the NetworkPolicies as well (another file), their layer-4 rule lets the loader's every
    // request through: Cilium enforces both kinds as one union.
    const QString np = path("review-np.yaml");
    QFile g(np);
    QVERIFY(g.open(QIODevice::WriteOnly | QIODevice::Truncate));
    g.write(generate({}));
    g.close();
    const CliRun both
        = runCli({"check", "--inventory", m_inventory, "--capture", m_capture, "--policies",
                  path("review.yaml"), "--policies", np, "--format", "json"});
    QCOMPARE(both.exitCode, 0);
    const QJsonObject summary = QJsonDocument::fromJson(both.out).object()["summary"].toObject();
    QCOMPARE(summary["l7Breaks"].toInt(), 0);
    QCOMPARE(summary["breaks"].toInt(), 0);
}

// The GetCart method left out of the cart's rules: its two calls break, AddItem does not.
void TestCiliumCli::checkRemovedGrpcMethod()
{
    const QByteArray yaml
        = editedCilium("        # POST /hipstershop.CartService/GetCart (2 requests)\n"
                       "        - method: POST\n"
                       "          path: \"/hipstershop\\\\.CartService/GetCart\"\n",
                       "");
    QVERIFY(!yaml.isEmpty());
    const QJsonObject report = check(yaml, 1);
    const QJsonArray l7 = report["l7Breaks"].toArray();
    QCOMPARE(l7.size(), 1);
    const QJsonObject b = l7[0].toObject();
    QCOMPARE(b["from"].toString(), "shop/frontend-1");
    QCOMPARE(b["to"].toString(), "shop/cart-1");
    QCOMPARE(b["port"].toInt(), 7070);
    QCOMPARE(b["method"].toString(), "POST");
    QCOMPARE(b["path"].toString(), "/hipstershop.CartService/GetCart");
    QCOMPARE(b["requests"].toInt(), 2);
    QCOMPARE(jsonStrings(b["policies"]), QStringList{"shop/cart-1"});
}

// The frontend's egress port to the cart removed: exactly that edge breaks, on the egress side;
// its gRPC calls are part of the break, not checked at layer 7.
void TestCiliumCli::checkRemovedPort()
{
    const QByteArray cartRule
        = "        app: cart\n        \"k8s:io.kubernetes.pod.namespace\": shop\n    toPorts:\n"
          "    - ports:\n      - port: \"7070\"\n        protocol: TCP\n";
    const QByteArray yaml = editedCilium(
        cartRule, "        app: cart\n        \"k8s:io.kubernetes.pod.namespace\": shop\n"
                  "    toPorts:\n    - ports:\n      - port: \"7071\"\n        protocol: TCP\n");
    QVERIFY(!yaml.isEmpty());
    const QJsonObject report = check(yaml, 1);
    const QJsonArray breaks = report["breaks"].toArray();
    QCOMPARE(breaks.size(), 1);
    const QJsonObject b = breaks[0].toObject();
    QCOMPARE(b["from"].toString(), "shop/frontend-1");
    QCOMPARE(b["to"].toString(), "shop/cart-1");
    QCOMPARE(b["protocol"].toString(), "TCP");
    QCOMPARE(b["port"].toInt(), 7070);
    QCOMPARE(b["flows"].toInt(), 1);
    QCOMPARE(b["side"].toString(), "egress");
    QCOMPARE(b["reason"].toString(), "shop/frontend-1 is default-deny for egress "
                                     "(shop/default-deny, shop/frontend-1); no rule allows it");
    const QJsonObject summary = report["summary"].toObject();
    QCOMPARE(summary["l7Breaks"].toInt(), 0);
    QCOMPARE(summary["httpRequests"].toInt(), 5);
}

// toFQDNs against the names the capture saw: a name seen resolved for the address (through a
// CNAME chain) matches by matchName or matchPattern; another name, or a name seen only as a TLS
// server name, leaves the egress a break with the reason.
void TestCiliumCli::checkNames_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("reason"); // empty: no break

    const QByteArray fqdn = "  - toFQDNs:\n    - matchName: api.payments.example\n";
    QTest::newRow("pattern") << fqdn
                             << QByteArray(
                                    "  - toFQDNs:\n    - matchPattern: \"*.payments.example\"\n")
                             << QString();
    QTest::newRow("pattern across labels")
        << fqdn << QByteArray("  - toFQDNs:\n    - matchPattern: \"*.example\"\n")
        << "203.0.113.7 answered for api.payments.example, which no toFQDNs of shop/frontend-1 "
           "egress[3] matches";
    QTest::newRow("other name") << fqdn
                                << QByteArray("  - toFQDNs:\n    - matchName: api.other.example\n")
                                << "203.0.113.7 answered for api.payments.example, which no "
                                   "toFQDNs of shop/frontend-1 egress[3] matches";
    QTest::newRow("TLS name only")
        << QByteArray("  - toCIDR:\n    - 198.51.100.20/32\n")
        << QByteArray("  - toFQDNs:\n    - matchName: legacy.partner.example\n")
        << "198.51.100.20 is known only as legacy.partner.example, never seen resolved (toFQDNs "
           "learns addresses from DNS lookups)";
}

void TestCiliumCli::checkNames()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, reason);
    const QByteArray yaml = editedCilium(from, to);
    QVERIFY(!yaml.isEmpty());
    const QJsonObject report = check(yaml, reason.isEmpty() ? 0 : 1);
    const QJsonArray breaks = report["breaks"].toArray();
    if (reason.isEmpty()) {
        QCOMPARE(report["summary"].toObject()["breaks"].toInt(), 0);
        return;
    }
    QCOMPARE(breaks.size(), 1);
    QCOMPARE(breaks[0].toObject()["from"].toString(), "shop/frontend-1");
    QCOMPARE(breaks[0].toObject()["port"].toInt(), 443);
    QVERIFY2(breaks[0].toObject()["reason"].toString().endsWith("no rule allows it: " + reason),
             qPrintable(breaks[0].toObject()["reason"].toString()));
}

// What `check` cannot honour, or what Cilium refuses: exit 2, the file and line of the field and
// its path, nothing on stdout.
void TestCiliumCli::checkMalformed_data()
{
    QTest::addColumn<QByteArray>("rule"); // an ingress rule of a policy for the cart
    QTest::addColumn<QString>("message"); // expected in stderr
    QTest::addColumn<int>("line");        // of the first problem, in "FILE:LINE: "

    QTest::newRow("fromRequires") << QByteArray(
        "  - fromRequires:\n    - matchLabels: {env: prod}\n")
                                  << "spec.ingress[0].fromRequires: is not evaluated by check"
                                  << 10;
    QTest::newRow("icmps")
        << QByteArray("  - icmps:\n    - fields: [{type: 8}]\n")
        << "spec.ingress[0].icmps: is not evaluated by check (ICMP is not reviewed)" << 10;
    QTest::newRow("kafka") << QByteArray("  - toPorts:\n    - ports: [{port: \"9092\"}]\n      "
                                         "rules:\n        kafka: [{topic: t}]\n")
                           << "spec.ingress[0].toPorts[0].rules.kafka: is not evaluated by check"
                           << 13;
    QTest::newRow("headers")
        << QByteArray("  - toPorts:\n    - ports: [{port: \"80\"}]\n      rules:\n        http:\n  "
                      "      - headers: [\"X-A: b\"]\n")
        << "spec.ingress[0].toPorts[0].rules.http[0].headers: is not evaluated by check" << 14;
    QTest::newRow("mixed peers") << QByteArray(
        "  - fromEndpoints: [{}]\n    fromCIDR: [10.0.0.0/8]\n")
                                 << "spec.ingress[0]: must set only one of fromEndpoints, "
                                    "fromEntities, fromCIDR, fromCIDRSet"
                                 << 10;
    QTest::newRow("entity") << QByteArray("  - fromEntities: [internet]\n")
                            << "spec.ingress[0].fromEntities[0]: unsupported value \"internet\""
                            << 10;
    QTest::newRow("port as number")
        << QByteArray("  - toPorts:\n    - ports: [{port: 80}]\n")
        << "spec.ingress[0].toPorts[0].ports[0].port: must be a string" << 11;
    QTest::newRow("bad regex")
        << QByteArray("  - toPorts:\n    - ports: [{port: \"80\"}]\n      rules:\n        http: "
                      "[{path: \"/a(\"}]\n")
        << "spec.ingress[0].toPorts[0].rules.http[0].path: invalid regular expression \"/a(\""
        << 13;
    QTest::newRow("misspelt") << QByteArray("  - fromEndpoint: [{}]\n")
                              << "spec.ingress[0].fromEndpoint: unknown field (is it misspelt?)"
                              << 10;
    QTest::newRow("label source") << QByteArray(
        "  - fromEndpoints: [{matchLabels: {\"reserved:host\": \"\"}}]\n")
                                  << "is not evaluated by check (label source \"reserved:\"" << 10;
    QTest::newRow("CIDR") << QByteArray("  - fromCIDRSet: [{cidr: 10.0.0.0/33}]\n")
                          << "spec.ingress[0].fromCIDRSet[0].cidr: invalid CIDR \"10.0.0.0/33\""
                          << 10;
}

void TestCiliumCli::checkMalformed()
{
    QFETCH(QByteArray, rule);
    QFETCH(QString, message);
    QFETCH(int, line);
    const QByteArray yaml = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  "
                            "name: cart\n  namespace: shop\n"
                            "spec:\n  endpointSelector:\n    matchLabels: {app: cart}\n  ingress:\n"
                            + rule;
    const QString file = path("malformed.yaml");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(yaml);
    f.close();
    const CliRun run
        = runCli({"check", "--inventory", m_inventory, "--capture", m_capture, "--policies", file});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(QRegularExpression("^bulkhead-cli: " + QRegularExpression::escape(file) + ':'
                                + QString::number(line)
                                + ": document 1 "
                                  "\\(CiliumNetworkPolicy shop/cart\\): ")
                 .match(QString::fromUtf8(run.err))
                 .hasMatch(),
             run.err.constData());
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
}

// Cilium does not enforce the cluster tiers: a review of both kinds together is refused.
void TestCiliumCli::checkWithClusterPolicy()
{
    const QByteArray yaml
        = generate({"--format", "cilium"})
          + "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
            "metadata: {name: deny-all}\nspec:\n  tier: Admin\n  priority: 10\n"
            "  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    from: [{namespaces: "
            "{}}]\n";
    const QString file = path("both.yaml");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(yaml);
    f.close();
    const CliRun run
        = runCli({"check", "--inventory", m_inventory, "--capture", m_capture, "--policies", file});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("Cilium does not enforce the cluster tiers"), run.err.constData());
}

// --explain with Cilium policies: each side's decision and why, exit 1 when denied.
void TestCiliumCli::explain()
{
    const QString file = path("explain.yaml");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(generate({"--format", "cilium"}));
    f.close();
    const QStringList inputs{"check",   "--inventory", m_inventory, "--capture",
                             m_capture, "--policies",  file,        "--explain"};
    const CliRun allowed = runCli(inputs + QStringList{"shop/frontend-1", "203.0.113.7", "443"});
    QCOMPARE(allowed.exitCode, 0);
    QCOMPARE(QString::fromUtf8(allowed.out),
             "shop/frontend-1 -> 203.0.113.7 TCP/443\n"
             "Egress of shop/frontend-1: allowed (allowed by shop/frontend-1 egress[3])\n"
             "Ingress of 203.0.113.7: allowed (no Cilium endpoint: no policy applies)\n"
             "Verdict: allowed\n");
    const CliRun denied = runCli(inputs + QStringList{"shop/frontend-1", "203.0.113.8", "443"});
    QCOMPARE(denied.exitCode, 1);
    QVERIFY2(
        denied.out.contains(
            "Egress of shop/frontend-1: denied (shop/frontend-1 is default-deny for egress "
            "(shop/default-deny, shop/frontend-1); no rule allows it: no DNS name was seen for "
            "203.0.113.8 (toFQDNs matches names))\n"),
        denied.out.constData());
    QVERIFY(denied.out.endsWith("Verdict: denied\n"));
}

// Options that mean nothing under Cilium are refused, not ignored.
void TestCiliumCli::refusedOptions()
{
    const QString cilium = path("options-cilium.yaml");
    QFile f(cilium);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(generate({"--format", "cilium"}));
    f.close();
    const CliRun pods = runCli({"check", "--inventory", m_inventory, "--capture", m_capture,
                                "--policies", cilium, "--ipblock-matches-pods"});
    QCOMPARE(pods.exitCode, 2);
    QVERIFY(pods.out.isEmpty());
    QVERIFY2(pods.err.contains(
                 "--ipblock-matches-pods: under Cilium an ipBlock never matches pod addresses"),
             pods.err.constData());

    const QString np = path("options-np.yaml");
    QFile g(np);
    QVERIFY(g.open(QIODevice::WriteOnly | QIODevice::Truncate));
    g.write(generate({}));
    g.close();
    const CliRun nodes = runCli({"check", "--inventory", m_inventory, "--capture", m_capture,
                                 "--policies", np, "--cilium-cidr-match-nodes"});
    QCOMPARE(nodes.exitCode, 2);
    QVERIFY2(
        nodes.err.contains("--cilium-cidr-match-nodes: no CiliumNetworkPolicy in the given files"),
        nodes.err.constData());
}

QTEST_GUILESS_MAIN(TestCiliumCli)
#include "tst_ciliumcli.moc"
