// bulkhead-cli end to end at the edge of the pod network (docs/node-boundary.md,
// docs/unsupported-kinds.md): host-network DaemonSets and the kubelet on one node address,
// NodePort with both traffic policies, a rollout that renames a port's number, a selector-less
// Service with an EndpointSlice, a raw PodList, and policy files with Calico and Cilium kinds.
// Inventories and captures are made here.
#include <QtTest>

#include "capturewriter.h"
#include "clirun.h"
#include "packetbuilder.h"
#include "testsupport.h"

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

// Two nodes. node1 (192.168.1.10) runs web and the old api pod; node2 (192.168.1.11) runs
// prometheus, the new api pod and db. node-exporter (9100) and cilium-agent (9962) run on the
// host network of both. The kubelet (10250) is no pod.
const char *const inventoryYaml = R"(apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: node1}, status: {addresses: [{type: InternalIP, address: 192.168.1.10}]}}
- {apiVersion: v1, kind: Node, metadata: {name: node2}, status: {addresses: [{type: InternalIP, address: 192.168.1.11}]}}
- apiVersion: v1
  kind: Pod
  metadata: {name: node-exporter-a, namespace: kube-system, labels: {app: node-exporter},
             ownerReferences: [{kind: DaemonSet, name: node-exporter, controller: true}]}
  spec: {hostNetwork: true, containers: [{name: e, ports: [{name: metrics, containerPort: 9100}]}]}
  status: {podIP: 192.168.1.10, hostIP: 192.168.1.10}
- apiVersion: v1
  kind: Pod
  metadata: {name: node-exporter-b, namespace: kube-system, labels: {app: node-exporter},
             ownerReferences: [{kind: DaemonSet, name: node-exporter, controller: true}]}
  spec: {hostNetwork: true, containers: [{name: e, ports: [{name: metrics, containerPort: 9100}]}]}
  status: {podIP: 192.168.1.11, hostIP: 192.168.1.11}
- apiVersion: v1
  kind: Pod
  metadata: {name: cilium-a, namespace: kube-system, labels: {k8s-app: cilium},
             ownerReferences: [{kind: DaemonSet, name: cilium, controller: true}]}
  spec: {hostNetwork: true, containers: [{name: agent, ports: [{name: prometheus, containerPort: 9962}]}]}
  status: {podIP: 192.168.1.10, hostIP: 192.168.1.10}
- apiVersion: v1
  kind: Pod
  metadata: {name: cilium-b, namespace: kube-system, labels: {k8s-app: cilium},
             ownerReferences: [{kind: DaemonSet, name: cilium, controller: true}]}
  spec: {hostNetwork: true, containers: [{name: agent, ports: [{name: prometheus, containerPort: 9962}]}]}
  status: {podIP: 192.168.1.11, hostIP: 192.168.1.11}
- apiVersion: v1
  kind: Pod
  metadata: {name: prometheus-0, namespace: monitoring, labels: {app: prometheus}}
  spec: {containers: [{name: p, ports: [{containerPort: 9090}]}]}
  status: {podIP: 10.244.2.5, hostIP: 192.168.1.11}
- apiVersion: v1
  kind: Pod
  metadata: {name: web-1, namespace: shop, labels: {app: web}}
  spec: {containers: [{name: w, ports: [{name: http, containerPort: 8080}]}]}
  status: {podIP: 10.244.1.5, hostIP: 192.168.1.10}
- apiVersion: v1
  kind: Pod
  metadata: {name: api-7d9f-a, namespace: shop, labels: {app: api, pod-template-hash: 7d9f},
             ownerReferences: [{kind: ReplicaSet, name: api-7d9f, controller: true}]}
  spec: {containers: [{name: api, ports: [{name: http, containerPort: 8080}]}]}
  status: {podIP: 10.244.1.20, hostIP: 192.168.1.10}
- apiVersion: v1
  kind: Pod
  metadata: {name: api-5c6b-a, namespace: shop, labels: {app: api, pod-template-hash: 5c6b},
             ownerReferences: [{kind: ReplicaSet, name: api-5c6b, controller: true}]}
  spec: {containers: [{name: api, ports: [{name: http, containerPort: 8081}]}]}
  status: {podIP: 10.244.2.21, hostIP: 192.168.1.11}
- apiVersion: v1
  kind: Pod
  metadata: {name: db-0, namespace: shop, labels: {app: db}}
  status: {podIP: 10.244.2.40, hostIP: 192.168.1.11}
- apiVersion: v1
  kind: Service
  metadata: {name: api, namespace: shop}
  spec: {clusterIP: 10.96.0.20, selector: {app: api}, ports: [{port: 80, targetPort: http}]}
- apiVersion: v1
  kind: Service
  metadata: {name: web-cluster, namespace: shop}
  spec: {type: NodePort, clusterIP: 10.96.0.21, selector: {app: web}, externalTrafficPolicy: Cluster,
         ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}
- apiVersion: v1
  kind: Service
  metadata: {name: web-local, namespace: shop}
  spec: {type: LoadBalancer, clusterIP: 10.96.0.22, selector: {app: web}, externalTrafficPolicy: Local,
         ports: [{port: 443, targetPort: 8080, nodePort: 30081}]}
  status: {loadBalancer: {ingress: [{ip: 198.51.100.9}]}}
- apiVersion: v1
  kind: Service
  metadata: {name: legacy-db, namespace: shop}
  spec: {clusterIP: 10.96.0.30, ports: [{name: pg, port: 5432}]}
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata: {name: legacy-db-x1, namespace: shop, labels: {kubernetes.io/service-name: legacy-db}}
  addressType: IPv4
  endpoints: [{addresses: [10.244.2.40]}, {addresses: [172.16.5.5]}]
  ports: [{name: pg, port: 5432, protocol: TCP}]
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {name: shop, namespace: shop}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings, namespace: shop}
)";

using bulkhead::testing::writeText;

// One TCP conversation (handshake, request, answer) per call.
class Conversations
{
public:
    explicit Conversations(const QString &path)
        : m_writer(path.toStdString(), LinkType::Ethernet)
    {
    }
    void session(const char *client, uint16_t clientPort, const char *server, uint16_t serverPort)
    {
        const IpAddress c = *IpAddress::parse(client);
        const IpAddress s = *IpAddress::parse(server);
        m_writer.write(m_time += 1000, m_builder.tcp(c, clientPort, s, serverPort, tcp::SYN));
        m_writer.write(m_time += 1000,
                       m_builder.tcp(s, serverPort, c, clientPort, tcp::SYN | tcp::ACK));
        m_writer.write(m_time += 1000, m_builder.tcp(c, clientPort, s, serverPort, tcp::ACK, 100));
        m_writer.write(m_time += 1000, m_builder.tcp(s, serverPort, c, clientPort, tcp::ACK, 200));
    }
    bool close() { return bool(m_writer.close()); }

private:
    CaptureWriter m_writer;
    PacketBuilder m_builder{LinkType::Ethernet};
    int64_t m_time = 1'700'000'000'000'000;
};

QSet<QString> edgeSet(const QJsonArray &edges)
{
    QSet<QString> out;
    for (const QJsonValue &e : edges)
        out << QStringLiteral("%1 -> %2 %3/%4")
                   .arg(e["from"].toString(), e["to"].toString(), e["protocol"].toString())
                   .arg(e["port"].toInt());
    return out;
}

// The policy documents of a multi-document YAML, keyed "ns/name", as text.
QMap<QString, QString> policyDocuments(const QByteArray &yaml)
{
    QMap<QString, QString> out;
    for (const QString &doc : QString::fromUtf8(yaml).split(QStringLiteral("\n---\n"))) {
        const QRegularExpression name(
            QStringLiteral("\n  name: ([^\n]+)\n  namespace: ([^\n]+)\n"));
        const auto m = name.match(doc);
        if (m.hasMatch())
            out[m.captured(2) + '/' + m.captured(1)] = doc;
    }
    return out;
}

} // namespace

class tst_NodeEdge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void attributionAtTheNodeBoundary();
    void generatedRulesUseIpBlocksForHostNetworkPeers();
    void rawPodList();
    void unsupportedPolicyKinds();
    void blastRadiusWithPoliciesAndIpBlockOption();

private:
    QStringList inputs() const
    {
        return {"--inventory", m_dir.filePath("inventory.yaml"), "--capture",
                m_dir.filePath("edge.pcap")};
    }
    QTemporaryDir m_dir;
};

void tst_NodeEdge::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (qEnvironmentVariableIsSet("BULKHEAD_KEEP_TEST_FILES")) { // to try the commands by hand
        m_dir.setAutoRemove(false);
        qInfo("inputs kept in %s", qPrintable(m_dir.path()));
    }
    writeText(m_dir.filePath("inventory.yaml"), inventoryYaml);
    Conversations c(m_dir.filePath("edge.pcap"));
    c.session("10.244.2.5", 40001, "192.168.1.10",
              9100); // prometheus scrapes node-exporter on node1
    c.session("10.244.2.5", 40002, "192.168.1.10", 9962);  // ... and the cilium agent on node1
    c.session("10.244.1.5", 40003, "192.168.1.11", 10250); // web calls the kubelet of node2
    c.session("192.168.1.10", 50000, "10.244.1.5", 8080);  // node1's kubelet probes web (own node)
    c.session("192.168.1.10", 50001, "10.244.2.5",
              9100); // a process of node1 calls prometheus on 9100
    c.session("203.0.113.7", 50002, "192.168.1.11",
              30080); // NodePort, externalTrafficPolicy Cluster
    c.session("203.0.113.8", 50003, "198.51.100.9",
              443);                                   // load balancer, externalTrafficPolicy Local
    c.session("10.244.1.5", 40004, "10.96.0.20", 80); // web -> api Service during the rollout
    c.session("10.244.1.5", 40005, "10.96.0.30", 5432); // web -> selector-less legacy-db
    QVERIFY(c.close());
}

void tst_NodeEdge::attributionAtTheNodeBoundary()
{
    const CliRun run = runCli(QStringList{"flows"} + inputs() + QStringList{"--format", "json"});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(run.out).object();
    const QSet<QString> expected = {
        // Declared host-network ports are their workloads', not whichever sorts last.
        "monitoring/prometheus-0 -> kube-system/node-exporter TCP/9100",
        "monitoring/prometheus-0 -> kube-system/cilium TCP/9962",
        // The kubelet is the node's.
        "shop/web-1 -> 192.168.1.11 TCP/10250",
        // A process of node1 calling a pod on 9100 is the node, not node-exporter.
        "192.168.1.10 -> monitoring/prometheus-0 TCP/9100",
        // NodePort, Cluster: the backend sees the node that received it (SNAT).
        "192.168.1.11 -> shop/web-1 TCP/8080",
        // Load balancer, Local: the client's address is kept.
        "203.0.113.8 -> shop/web-1 TCP/8080",
        // A named targetPort across a rollout: both pods' numbers.
        "shop/web-1 -> shop/api TCP/8080",
        "shop/web-1 -> shop/api TCP/8081",
        // A Service without a selector: its EndpointSlice's addresses.
        "shop/web-1 -> shop/db-0 TCP/5432",
        "shop/web-1 -> 172.16.5.5 TCP/5432",
    };
    QCOMPARE(edgeSet(root["edges"].toArray()), expected);
    // The kubelet's probe of web on its own node is left out, though two host-network
    // workloads share node1's address.
    int ownNode = 0;
    for (const QJsonValue &f : root["flows"].toArray())
        ownNode += f["ownNode"].toBool();
    QCOMPARE(ownNode, 1);
    const QString warnings = QJsonDocument(root["warnings"].toArray()).toJson();
    QVERIFY2(warnings.contains("4 pod(s) of 2 workload(s) use the host network"),
             qPrintable(warnings));
    // An Ingress is read (its backends are internet-facing hints); a ConfigMap is not.
    QVERIFY2(
        warnings.contains("skipped 1 object(s) of kinds Bulkhead does not read: ConfigMap (1)"),
        qPrintable(warnings));
    QVERIFY(!warnings.contains("Ingress"));
    QVERIFY2(warnings.contains("(pods of two versions, as in a rollout)"), qPrintable(warnings));
}

void tst_NodeEdge::generatedRulesUseIpBlocksForHostNetworkPeers()
{
    const QString out = m_dir.filePath("policies.yaml");
    const CliRun run = runCli(QStringList{"generate"} + inputs() + QStringList{"--output", out});
    QCOMPARE(run.exitCode, 0);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray yaml = file.readAll();
    const QMap<QString, QString> docs = policyDocuments(yaml);
    // Host-network workloads get no policy of their own (none could isolate them).
    QVERIFY2(!yaml.contains("node-exporter\n") && !yaml.contains("name: cilium"), yaml.constData());
    // Prometheus reaches node-exporter and the agent by their node addresses, with the port.
    QVERIFY(docs.contains("monitoring/prometheus-0"));
    const QString prometheus = docs["monitoring/prometheus-0"];
    const QString byNodeAddresses = QStringLiteral("  - to:\n"
                                                   "    - ipBlock:\n"
                                                   "        cidr: 192.168.1.10/32\n"
                                                   "    - ipBlock:\n"
                                                   "        cidr: 192.168.1.11/32\n"
                                                   "    ports:\n"
                                                   "    - protocol: TCP\n"
                                                   "      port: %1");
    QVERIFY2(prometheus.contains(byNodeAddresses.arg(9100)), qPrintable(prometheus));
    QVERIFY2(prometheus.contains(byNodeAddresses.arg(9962)), qPrintable(prometheus));
    QVERIFY2(!prometheus.contains("node-exporter") && !prometheus.contains("cilium"),
             qPrintable(prometheus));
    // node1's own process calling prometheus on 9100 is the node's, as an ipBlock.
    QVERIFY2(
        prometheus.contains("  ingress:\n  - from:\n    - ipBlock:\n        cidr: 192.168.1.10/32\n"
                            "    ports:\n    - protocol: TCP\n      port: 9100\n"),
        qPrintable(prometheus));
    // web: the rollout's two ports to api, the NodePort's node and the load balancer's client.
    const QString web = docs["shop/web-1"];
    QVERIFY2(web.contains("          app: api\n    ports:\n    - protocol: TCP\n      port: 8080\n"
                          "    - protocol: TCP\n      port: 8081\n"),
             qPrintable(web));
    // In: the node that forwarded the NodePort (Cluster) and the load balancer's client (Local).
    QVERIFY2(web.contains(
                 "  ingress:\n  - from:\n    - ipBlock:\n        cidr: 192.168.1.11/32\n"
                 "    - ipBlock:\n        cidr: 203.0.113.8/32\n    ports:\n    - protocol: TCP\n"
                 "      port: 8080\n"),
             qPrintable(web));
    // Out: the selector-less Service's endpoints (a pod and an outside address), the other kubelet.
    QVERIFY2(
        web.contains("          app: db\n    - ipBlock:\n        cidr: 172.16.5.5/32\n    ports:\n"
                     "    - protocol: TCP\n      port: 5432\n"),
        qPrintable(web));
    QVERIFY2(
        web.contains(
            "        cidr: 192.168.1.11/32\n    ports:\n    - protocol: TCP\n      port: 10250\n"),
        qPrintable(web));

    // The generated policies, checked against the same evidence, break nothing.
    const CliRun check = runCli(QStringList{"check"} + inputs()
                                + QStringList{"--policies", out, "--format", "json"});
    QCOMPARE(check.exitCode, 0);
    const QJsonObject summary = QJsonDocument::fromJson(check.out).object()["summary"].toObject();
    QCOMPARE(summary["breaks"].toInt(), 0);
    QCOMPARE(summary["notEvaluated"].toInt(), 0);
}

void tst_NodeEdge::rawPodList()
{
    // `kubectl get --raw /api/v1/pods` and `/api/v1/services`: typed lists whose items carry no
    // kind.
    const QString inventory = m_dir.filePath("raw.json");
    writeText(inventory, R"({"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": [
  {"metadata": {"name": "a-1", "namespace": "shop", "labels": {"app": "a"}},
   "status": {"podIP": "10.244.1.5", "hostIP": "192.168.1.10"}},
  {"metadata": {"name": "b-1", "namespace": "shop", "labels": {"app": "b"}},
   "spec": {"containers": [{"name": "b", "ports": [{"containerPort": 8080}]}]},
   "status": {"podIP": "10.244.1.6", "hostIP": "192.168.1.10"}}]}
)");
    const QString capture = m_dir.filePath("raw.pcap");
    {
        Conversations c(capture);
        c.session("10.244.1.5", 40000, "10.244.1.6", 8080);
        QVERIFY(c.close());
    }
    const CliRun run
        = runCli({"flows", "--inventory", inventory, "--capture", capture, "--format", "json"});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(edgeSet(QJsonDocument::fromJson(run.out).object()["edges"].toArray()),
             QSet<QString>{"shop/a-1 -> shop/b-1 TCP/8080"});
}

void tst_NodeEdge::unsupportedPolicyKinds()
{
    const QString policies = m_dir.filePath("mixed.yaml");
    writeText(policies, R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all, namespace: shop}
spec: {podSelector: {}, ingress: [{}], egress: [{}], policyTypes: [Ingress, Egress]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: calico-deny, namespace: shop}
spec:
  selector: app == 'web'
  types: [Ingress]
  ingress: [{action: Deny}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cilium-l7, namespace: shop}
spec: {endpointSelector: {matchLabels: {app: api}}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: global-deny}
spec: {selector: all()}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: notes, namespace: shop}
)");
    // Not evaluated: exit 2, listed in the JSON, never a parse failure. The CiliumNetworkPolicy is
    // evaluated (docs/cilium.md "Reviewing CiliumNetworkPolicy", "Blast radius under Cilium").
    const CliRun json = runCli(QStringList{"check"} + inputs()
                               + QStringList{"--policies", policies, "--format", "json"});
    QCOMPARE(json.exitCode, 2);
    QVERIFY2(!json.err.contains("unknown field"), json.err.constData());
    QVERIFY2(json.err.contains(
                 "2 of the given policies (GlobalNetworkPolicy, NetworkPolicy) were not evaluated"),
             json.err.constData());
    const QJsonObject root = QJsonDocument::fromJson(json.out).object();
    const QJsonArray notEvaluated = root["notEvaluated"].toArray();
    QCOMPARE(notEvaluated.size(), 2);
    QCOMPARE(notEvaluated[0]["policy"].toString(), QString("shop/calico-deny"));
    QCOMPARE(notEvaluated[0]["kind"].toString(), QString("NetworkPolicy"));
    QCOMPARE(notEvaluated[0]["apiVersion"].toString(), QString("projectcalico.org/v3"));
    QCOMPARE(notEvaluated[0]["line"].toInt(), 6);
    QCOMPARE(notEvaluated[1]["policy"].toString(), QString("global-deny"));
    QCOMPARE(notEvaluated[1]["kind"].toString(), QString("GlobalNetworkPolicy"));
    QCOMPARE(root["summary"]["notEvaluated"].toInt(), 2);
    QCOMPARE(root["summary"]["breaks"].toInt(),
             0); // allow-all breaks nothing; the Cilium policy has no rules
    // The ConfigMap is no policy: a warning, not a verdict left out.
    QVERIFY2(json.err.contains("skipped a ConfigMap"), json.err.constData());

    // The table lists them too; --ignore-unsupported accepts verdicts without them.
    const CliRun table = runCli(QStringList{"check"} + inputs()
                                + QStringList{"--policies", policies, "--ignore-unsupported"});
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.contains("Not evaluated: policies of kinds Bulkhead does not evaluate (2)"),
             table.out.constData());
    QVERIFY2(table.out.contains("shop/calico-deny"), table.out.constData());
    QVERIFY2(table.out.contains(", 2 not evaluated (the verdicts leave them out)"),
             table.out.constData());

    // blast-radius reads the CiliumNetworkPolicy as check does: the other two are listed.
    const CliRun blast = runCli(QStringList{"blast-radius"} + inputs()
                                + QStringList{"--policies", policies, "--format", "json"});
    QCOMPARE(blast.exitCode, 2);
    QVERIFY2(blast.err.contains(
                 "2 of the given policies (GlobalNetworkPolicy, NetworkPolicy) were not evaluated"),
             blast.err.constData());
    const QJsonObject blastRoot = QJsonDocument::fromJson(blast.out).object();
    QCOMPARE(blastRoot["notEvaluated"].toArray().size(), 2);
    QCOMPARE(blastRoot["cilium"]["policies"].toInt(), 1);
}

void tst_NodeEdge::blastRadiusWithPoliciesAndIpBlockOption()
{
    // web may reach api only through an ipBlock of api's pod addresses: whether it does depends
    // on the CNI's reading of ipBlock, which --ipblock-matches-pods chooses.
    const QString policies = m_dir.filePath("ipblock.yaml");
    writeText(policies, R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.244.0.0/16}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicyList
items:
- metadata: {name: deny-db, namespace: shop}
  spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: cluster-wide}
spec: {selector: all()}
)");
    const QStringList base
        = QStringList{"blast-radius"} + inputs()
          + QStringList{"--policies", policies, "--workload", "shop/web-1", "--format", "json"};
    const CliRun strict = runCli(base + QStringList{"--ignore-unsupported"});
    QCOMPARE(strict.exitCode, 0);
    const QJsonObject strictRoot = QJsonDocument::fromJson(strict.out).object();
    QCOMPARE(strictRoot["workloads"][0]["reach"].toArray().size(), 0);
    QCOMPARE(strictRoot["notEvaluated"].toArray().size(), 1);
    QCOMPARE(strictRoot["notEvaluated"][0]["kind"].toString(), QString("GlobalNetworkPolicy"));

    const CliRun podIps
        = runCli(base + QStringList{"--ignore-unsupported", "--ipblock-matches-pods"});
    QCOMPARE(podIps.exitCode, 0);
    QStringList reach;
    for (const QJsonValue &v :
         QJsonDocument::fromJson(podIps.out).object()["workloads"][0]["reach"].toArray())
        reach << v.toString();
    // Every pod in 10.244.0.0/16 but db (deny-db, read from a NetworkPolicyList without item
    // kinds), then, through prometheus (not isolated), the host-network agents, which no policy
    // isolates.
    QCOMPARE(reach, (QStringList{"kube-system/cilium", "kube-system/node-exporter",
                                 "monitoring/prometheus-0", "shop/api"}));

    const CliRun refused = runCli(base);
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("GlobalNetworkPolicy"), refused.err.constData());
}

QTEST_GUILESS_MAIN(tst_NodeEdge)
#include "tst_nodeedge.moc"
