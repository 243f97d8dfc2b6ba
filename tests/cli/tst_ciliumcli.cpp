// bulkhead-cli generate --format cilium end to end on a small HTTP and gRPC app whose capture is
// made here: a load generator calls the frontend over HTTP/1.1 through its Service (keep-alive,
// pipelining, a chunked body), the frontend calls the cart over h2c gRPC (HPACK dynamic table
// across calls), looks up a payment API through a CNAME chain and calls it over TLS, and calls an
// address known only by its TLS server name.
#include <QtTest>

#include "capturewriter.h"
#include "clirun.h"
#include "l7messages.h"
#include "namemessages.h"
#include "packetbuilder.h"

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

const char *const inventoryYaml = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: coredns-1, namespace: kube-system, labels: {k8s-app: kube-dns}}
  spec: {containers: [{name: c, ports: [{name: dns, containerPort: 53, protocol: UDP}]}]}
  status: {podIP: 10.244.0.2}
- apiVersion: v1
  kind: Service
  metadata: {name: kube-dns, namespace: kube-system}
  spec: {clusterIP: 10.96.0.10, selector: {k8s-app: kube-dns}, ports: [{name: dns, port: 53, protocol: UDP, targetPort: 53}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: loadgen-1, namespace: shop, labels: {app: loadgen}}
  status: {podIP: 10.244.1.3}
- apiVersion: v1
  kind: Pod
  metadata: {name: frontend-1, namespace: shop, labels: {app: frontend}}
  spec: {containers: [{name: f, ports: [{name: http, containerPort: 8080}]}]}
  status: {podIP: 10.244.1.4}
- apiVersion: v1
  kind: Service
  metadata: {name: frontend, namespace: shop}
  spec: {clusterIP: 10.96.0.40, selector: {app: frontend}, ports: [{port: 80, targetPort: http}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: cart-1, namespace: shop, labels: {app: cart}}
  spec: {containers: [{name: c, ports: [{name: grpc, containerPort: 7070}]}]}
  status: {podIP: 10.244.1.5}
)";

IpAddress ip(const char *text)
{
    return *IpAddress::parse(text);
}

class Capture
{
public:
    explicit Capture(const QString &path)
        : m_writer(path.toStdString(), LinkType::Ethernet)
    {}
    // A TCP connection: handshake, then each client segment with a short answer.
    void connection(const IpAddress &c, uint16_t cport, const IpAddress &s, uint16_t sport,
                    const std::vector<std::vector<uint8_t>> &segments)
    {
        m_writer.write(m_time += 1000, m_builder.tcp(c, cport, s, sport, tcp::SYN));
        m_writer.write(m_time += 1000, m_builder.tcp(s, sport, c, cport, tcp::SYN | tcp::ACK));
        for (const std::vector<uint8_t> &seg : segments) {
            m_writer.write(m_time += 1000, m_builder.tcpData(c, cport, s, sport, tcp::ACK | tcp::PSH, seg));
            m_writer.write(m_time += 1000, m_builder.tcp(s, sport, c, cport, tcp::ACK, 40));
        }
    }
    void dns(const IpAddress &client, uint16_t cport, const std::vector<uint8_t> &answer)
    {
        m_writer.write(m_time += 1000, m_builder.udp(client, cport, ip("10.96.0.10"), 53, 40));
        m_writer.write(m_time += 1000, m_builder.udpData(ip("10.96.0.10"), 53, client, cport, answer));
    }
    bool close() { return bool(m_writer.close()); }

private:
    CaptureWriter m_writer;
    PacketBuilder m_builder{LinkType::Ethernet};
    int64_t m_time = 1'796'292'000'000'000;
};

} // namespace

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

private:
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
    const IpAddress loadgen = ip("10.244.1.3"), frontend = ip("10.244.1.4"), cart = ip("10.244.1.5");
    const IpAddress frontendVip = ip("10.96.0.40");
    // HTTP/1.1 through the Service: two pipelined GETs in one segment, a chunked POST split over
    // two segments, then a keep-alive GET.
    cap.connection(loadgen, 41000, frontendVip, 80,
                   {bytes("GET /product/OLJCESPC7Z HTTP/1.1\r\nHost: frontend\r\n\r\n"
                          "GET /product/66VCHSJNUP?currency=EUR HTTP/1.1\r\nHost: frontend\r\n\r\n"),
                    bytes("POST /cart HTTP/1.1\r\nHost: frontend\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nquan"),
                    bytes("tity\r\n0\r\n\r\n"),
                    bytes("GET / HTTP/1.1\r\nHost: frontend\r\n\r\n")});
    cap.connection(loadgen, 41001, frontendVip, 80,
                   {bytes("GET /product/9SIQT8TOJO HTTP/1.1\r\nHost: frontend\r\n\r\n")});
    // gRPC over h2c, three calls on one connection.
    H2Client grpc;
    std::vector<std::vector<uint8_t>> calls{grpc.preface()};
    calls.push_back(grpc.request({"POST", "/hipstershop.CartService/GetCart", "cart:7070", true, "u1"}));
    calls.push_back(grpc.request({"POST", "/hipstershop.CartService/AddItem", "cart:7070", true, "u1,p1"}));
    calls.push_back(grpc.request({"POST", "/hipstershop.CartService/GetCart", "cart:7070", true, "u1"}));
    cap.connection(frontend, 42000, cart, 7070, calls);
    // DNS through a CNAME chain, then TLS to the answer.
    cap.dns(frontend, 33000,
            dnsResponse(7, "api.payments.example", 1,
                        {{"api.payments.example", 5, "edge.cdn.example", {}},
                         {"edge.cdn.example", 1, "", ip("203.0.113.7")}}));
    cap.connection(frontend, 43000, ip("203.0.113.7"), 443, {tlsClientHello("api.payments.example")});
    // A server name never seen resolved.
    cap.connection(frontend, 43001, ip("198.51.100.20"), 443, {tlsClientHello("legacy.partner.example")});
    QVERIFY(cap.close());
}

QByteArray TestCiliumCli::generate(const QStringList &extra)
{
    const QString out = path("policies.yaml");
    QFile::remove(out);
    const CliRun run = runCli(QStringList{"generate", "--inventory", m_inventory, "--capture", m_capture,
                                          "--output", out} + extra);
    if (!run.finished || run.exitCode != 0) {
        qWarning() << run.err;
        return {};
    }
    QFile f(out);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QByteArray documentOf(const QByteArray &yaml, const QByteArray &name)
{
    for (const QString &d : QString::fromUtf8(yaml).split(QStringLiteral("---\n"))) {
        const QByteArray doc = d.toUtf8();
        if (doc.contains("  name: " + name + "\n") && doc.contains("  namespace: shop\n"))
            return doc;
    }
    return {};
}

// Bare pods name their policies (frontend-1). The frontend: HTTP rules per method with the
// product ids collapsed (--path-collapse 2), the
// requests behind each; toFQDNs for the payment API with the DNS rule for exactly that name; the
// server name never resolved stays an address.
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
        # GET /product/66VCHSJNUP (1 request)
        # GET /product/9SIQT8TOJO (1 request)
        # GET /product/OLJCESPC7Z (1 request)
        - method: GET
          path: "/product/[^/]+"
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
    const QString schema = QStringLiteral(BULKHEAD_SHARED_DIR "/k8s/ciliumnetworkpolicy-v2-schema.json");
    if (!QFile::exists(schema))
        QSKIP("the shared CiliumNetworkPolicy schema is absent (BULKHEAD_SHARED_DIR)");
    const QByteArray yaml = generate({"--format", "cilium", "--path-collapse", "1", "--fqdn-pattern", "*.payments.example"});
    QVERIFY(yaml.contains("matchPattern: \"*.payments.example\""));
    QProcess p;
    p.start("python3", {BULKHEAD_SOURCE_DIR "/tests/tools/validate_policies.py", schema, path("policies.yaml")});
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
    const CliRun run = runCli({"generate", "--inventory", m_inventory, "--capture", m_capture, "--format", "cilium",
                               "--fqdn-pattern", "api payments", "--output", out});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("--fqdn-pattern \"api payments\""), run.err.constData());
    QVERIFY(!QFile::exists(out));
}

QTEST_GUILESS_MAIN(TestCiliumCli)
#include "tst_ciliumcli.moc"
