#include "inventory/inventoryloader.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace bulkhead;
using bulkhead::testing::ip;

namespace {

// A pod object as `kubectl get pods -o yaml` prints it (the fields Bulkhead reads), indented for
// a List's items (itemIndent spaces before "- ").
std::string pod(const std::string &name, const std::string &ns, const std::string &ownerKind,
                const std::string &ownerName, const std::string &labels, const std::string &ip,
                const std::string &hostIp = "192.168.1.10")
{
    std::string s = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: " + name
                    + "\n    namespace: " + ns + "\n    labels: " + labels + "\n";
    if (!ownerKind.empty())
        s += "    ownerReferences:\n    - {apiVersion: apps/v1, kind: " + ownerKind
             + ", name: " + ownerName + ", controller: true, uid: x}\n";
    s += "  spec:\n    containers:\n    - name: main\n      ports:\n      - {containerPort: 8080, "
         "name: http}\n";
    s += "  status:\n    phase: Running\n    hostIP: " + hostIp + "\n";
    if (!ip.empty())
        s += "    podIP: " + ip + "\n";
    return s;
}

std::string list(const std::string &items)
{
    return "apiVersion: v1\nkind: List\nitems:\n" + items;
}

std::string controller(const std::string &kind, const std::string &name, const std::string &ns,
                       const std::string &ownerKind = {}, const std::string &ownerName = {})
{
    std::string s = "- apiVersion: apps/v1\n  kind: " + kind + "\n  metadata:\n    name: " + name
                    + "\n    namespace: " + ns + "\n";
    if (!ownerKind.empty())
        s += "    ownerReferences:\n    - {kind: " + ownerKind + ", name: " + ownerName
             + ", controller: true}\n";
    return s;
}

Inventory load(const std::string &text, const std::string &file = "inventory.yaml")
{
    auto inventory = loadInventoryText(text, file);
    if (!inventory)
        qWarning("%s", inventory.error().toString().c_str());
    return inventory ? std::move(*inventory) : Inventory{};
}

bool hasWarning(const Inventory &inventory, const std::string &part, int line = -1)
{
    for (const InventoryWarning &w : inventory.warnings) {
        if (w.message.find(part) != std::string::npos && (line < 0 || w.line == line))
            return true;
    }
    return false;
}

std::string writeFile(const QTemporaryDir &dir, const std::string &name, const std::string &text)
{
    const std::string path = dir.path().toStdString() + '/' + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

} // namespace

class tst_InventoryLoader : public QObject
{
    Q_OBJECT

private slots:
    void kubectlList();
    void ownerResolution_data();
    void ownerResolution();
    void multiDocument();
    void dualStack();
    void namedPortsAndTargetPorts();
    void sidecarPorts();
    void pendingPod();
    void hostNetworkPodsShareTheNodeAddress();
    void apiListItemsWithoutKind();
    void servicesAtTheEdgeAndEndpoints();
    void templateOnlyController();
    void unknownKindsCounted();
    void nativeInventory();
    void mixedFile();
    void mergeTwoFiles();
    void addressConflict();
    void addressConflictWithinAFile();
    void serviceBackends();
    void errors_data();
    void errors();
    void notAnInventory_data();
    void notAnInventory();
    void unreadableFile();
    void hostileYaml_data();
    void hostileYaml();
    void hostileYamlStreamed_data();
    void hostileYamlStreamed();
    void onlineBoutiqueManifests();
};

void tst_InventoryLoader::kubectlList()
{
    const std::string text = list(
        "- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: shop\n    labels: {team: "
        "web}\n"
        + controller("ReplicaSet", "cart-7d4f8b9c6", "shop", "Deployment", "cart")
        + pod("cart-7d4f8b9c6-b", "shop", "ReplicaSet", "cart-7d4f8b9c6",
              "{app: cart, pod-template-hash: 7d4f8b9c6}", "10.244.2.7", "192.168.1.11")
        + pod("cart-7d4f8b9c6-a", "shop", "ReplicaSet", "cart-7d4f8b9c6",
              "{app: cart, pod-template-hash: 7d4f8b9c6, extra: first}", "10.244.1.5")
        + "- apiVersion: v1\n  kind: Service\n  metadata: {name: cart, namespace: shop}\n  spec:\n"
          "    clusterIP: 10.96.0.20\n    selector: {app: cart}\n    ports:\n    - {name: grpc, "
          "port: 7070, targetPort: 8080}\n"
          "- apiVersion: v1\n  kind: Node\n  metadata: {name: node-a}\n  status:\n    addresses:\n"
          "    - {type: InternalIP, address: 192.168.1.10}\n    - {type: Hostname, address: "
          "node-a}\n");
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(1));
    const Workload &cart = inv.workloads[0];
    QCOMPARE(cart.id(), std::string("shop/cart"));
    QCOMPARE(cart.kind, std::string("Deployment"));
    // Labels come from the first pod by name (-a), not the first seen (-b).
    QCOMPARE(cart.labels.at("extra"), std::string("first"));
    QCOMPARE(cart.pods.size(), size_t(2));
    QCOMPARE(cart.pods[0].name, std::string("cart-7d4f8b9c6-a"));
    QCOMPARE(cart.pods[0].addresses, std::vector<IpAddress>{ip("10.244.1.5")});
    QCOMPARE(*cart.pods[1].hostIp, ip("192.168.1.11"));
    QCOMPARE(cart.ports, (std::vector<ContainerPort>{{"http", 8080, Protocol::TCP}}));
    QCOMPARE(cart.sourceFile, std::string("inventory.yaml"));
    QCOMPARE(cart.sourceLine, 33); // the "- apiVersion" line of pod -a

    QCOMPARE(inv.services.size(), size_t(1));
    QCOMPARE(inv.services[0].clusterIps, std::vector<IpAddress>{ip("10.96.0.20")});
    QCOMPARE(inv.services[0].backends, std::vector<size_t>{0});

    // node-a from its Node object; 192.168.1.11 only from a pod's hostIP, named by its address.
    QCOMPARE(inv.nodes.size(), size_t(2));
    QCOMPARE(inv.nodes[0].name, std::string("192.168.1.11"));
    QCOMPARE(inv.nodes[1].name, std::string("node-a"));
    QCOMPARE(inv.nodes[1].addresses, std::vector<IpAddress>{ip("192.168.1.10")});

    QCOMPARE(inv.namespaces.at("shop").at("team"), std::string("web"));
    QCOMPARE(inv.sourceFiles, std::vector<std::string>{"inventory.yaml"});
}

void tst_InventoryLoader::ownerResolution_data()
{
    QTest::addColumn<QString>("items");
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QString>("kind");

    QTest::newRow("ReplicaSet object -> Deployment")
        << QString::fromStdString(controller("ReplicaSet", "web-5c6b", "shop", "Deployment", "web")
                                  + pod("web-5c6b-x1", "shop", "ReplicaSet", "web-5c6b",
                                        "{app: web, pod-template-hash: 5c6b}", "10.0.0.1"))
        << "shop/web"
        << "Deployment";
    QTest::newRow("no ReplicaSet object: strip the pod-template-hash")
        << QString::fromStdString(pod("web-5c6b-x1", "shop", "ReplicaSet", "web-5c6b",
                                      "{app: web, pod-template-hash: 5c6b}", "10.0.0.1"))
        << "shop/web"
        << "Deployment";
    QTest::newRow("no ReplicaSet object, name without the hash") << QString::fromStdString(pod(
        "odd-x1", "shop", "ReplicaSet", "odd", "{app: odd, pod-template-hash: 5c6b}", "10.0.0.1"))
                                                                 << "shop/odd"
                                                                 << "ReplicaSet";
    QTest::newRow("StatefulSet") << QString::fromStdString(
        pod("db-0", "data", "StatefulSet", "db", "{app: db}", "10.0.0.2"))
                                 << "data/db"
                                 << "StatefulSet";
    QTest::newRow("DaemonSet") << QString::fromStdString(
        pod("agent-q7", "kube-system", "DaemonSet", "agent", "{app: agent}", "10.0.0.3"))
                               << "kube-system/agent"
                               << "DaemonSet";
    QTest::newRow("Job object -> CronJob") << QString::fromStdString(
        controller("CronJob", "backup", "ops")
        + controller("Job", "backup-28512345", "ops", "CronJob", "backup")
        + pod("backup-28512345-abc", "ops", "Job", "backup-28512345", "{job: backup}", "10.0.0.4"))
                                           << "ops/backup"
                                           << "CronJob";
    QTest::newRow("no Job object: the CronJob names its jobs") << QString::fromStdString(
        controller("CronJob", "backup", "ops")
        + pod("backup-28512345-abc", "ops", "Job", "backup-28512345", "{job: backup}", "10.0.0.4"))
                                                               << "ops/backup"
                                                               << "CronJob";
    QTest::newRow("Job on its own") << QString::fromStdString(
        pod("migrate-abc", "ops", "Job", "migrate", "{job: migrate}", "10.0.0.5"))
                                    << "ops/migrate"
                                    << "Job";
    QTest::newRow("bare pod") << QString::fromStdString(
        pod("debug", "default", "", "", "{run: debug}", "10.0.0.6"))
                              << "default/debug"
                              << "Pod";
    QTest::newRow("static pod (owned by its Node)") << QString::fromStdString(
        pod("etcd-node-a", "kube-system", "Node", "node-a", "{component: etcd}", "10.0.0.7"))
                                                    << "kube-system/etcd-node-a"
                                                    << "Pod";
    QTest::newRow("no namespace: default") << QString::fromStdString(
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: lonely}\n  status: {podIP: "
        "10.0.0.8}\n") << "default/lonely"
                                           << "Pod";
}

void tst_InventoryLoader::ownerResolution()
{
    QFETCH(QString, items);
    QFETCH(QString, workload);
    QFETCH(QString, kind);
    const Inventory inv = load(list(items.toStdString()));
    QCOMPARE(inv.workloads.size(), size_t(1));
    QCOMPARE(QString::fromStdString(inv.workloads[0].id()), workload);
    QCOMPARE(QString::fromStdString(inv.workloads[0].kind), kind);
    QCOMPARE(inv.workloads[0].pods.size(), size_t(1));
    QCOMPARE(inv.workloads[0].pods[0].addresses.size(), size_t(1));
}

void tst_InventoryLoader::multiDocument()
{
    const std::string text = "# comment\n"
                             "apiVersion: v1\n"
                             "kind: Pod\n"
                             "metadata: {name: a, namespace: x, labels: {app: a}}\n"
                             "status: {podIP: 10.1.0.1}\n"
                             "---\n"
                             "apiVersion: v1\n"
                             "kind: Pod\n"
                             "metadata: {name: b, namespace: x, labels: {app: b}}\n"
                             "status: {podIP: 10.1.0.2}\n"
                             "---\n"
                             "---\n"
                             "apiVersion: v1\n"
                             "kind: PodList\n"
                             "items:\n"
                             "- kind: Pod\n"
                             "  metadata: {name: c, namespace: x}\n"
                             "  status: {podIP: 10.1.0.3}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(3));
    QCOMPARE(inv.workloads[0].id(), std::string("x/a"));
    QCOMPARE(inv.workloads[0].sourceLine, 2);
    QCOMPARE(inv.workloads[1].id(), std::string("x/b"));
    QCOMPARE(inv.workloads[1].sourceLine, 7);
    QCOMPARE(inv.workloads[2].id(), std::string("x/c"));
    QCOMPARE(inv.workloads[2].sourceLine, 16);
    QCOMPARE(inv.workloads[2].addresses(), std::vector<IpAddress>{ip("10.1.0.3")});
}

void tst_InventoryLoader::dualStack()
{
    const std::string text = "kind: Pod\n"
                             "metadata: {name: web, namespace: shop}\n"
                             "status:\n"
                             "  podIP: 10.244.1.9\n"
                             "  podIPs:\n"
                             "  - ip: 10.244.1.9\n"
                             "  - ip: fd00:10:244:1::9\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(1));
    QCOMPARE(inv.workloads[0].addresses(),
             (std::vector<IpAddress>{ip("10.244.1.9"), ip("fd00:10:244:1::9")}));
}

void tst_InventoryLoader::namedPortsAndTargetPorts()
{
    const std::string text
        = "kind: Pod\n"
          "metadata: {name: dns, namespace: kube-system, labels: {k8s-app: dns}}\n"
          "spec:\n"
          "  containers:\n"
          "  - name: coredns\n"
          "    ports:\n"
          "    - {name: dns, containerPort: 53, protocol: UDP}\n"
          "    - {name: dns-tcp, containerPort: 53}\n"
          "    - {containerPort: 9153}\n"
          "status: {podIP: 10.244.0.2}\n"
          "---\n"
          "kind: Service\n"
          "metadata: {name: kube-dns, namespace: kube-system}\n"
          "spec:\n"
          "  clusterIP: 10.96.0.10\n"
          "  selector: {k8s-app: dns}\n"
          "  ports:\n"
          "  - {name: dns, port: 53, protocol: UDP, targetPort: dns}\n"
          "  - {name: dns-tcp, port: 53, targetPort: 53}\n"
          "  - {name: metrics, port: 9153}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(1));
    QCOMPARE(inv.workloads[0].ports, (std::vector<ContainerPort>{{"dns", 53, Protocol::UDP},
                                                                 {"dns-tcp", 53, Protocol::TCP},
                                                                 {"", 9153, Protocol::TCP}}));
    QCOMPARE(inv.services.size(), size_t(1));
    const Service &s = inv.services[0];
    QCOMPARE(s.ports.size(), size_t(3));
    QCOMPARE(s.ports[0].protocol, Protocol::UDP);
    QVERIFY(std::holds_alternative<std::string>(s.ports[0].targetPort));
    QCOMPARE(std::get<std::string>(s.ports[0].targetPort), std::string("dns"));
    QCOMPARE(s.ports[1].protocol, Protocol::TCP);
    QCOMPARE(std::get<uint16_t>(s.ports[1].targetPort), uint16_t(53));
    QCOMPARE(std::get<uint16_t>(s.ports[2].targetPort), uint16_t(9153)); // defaults to port
    QCOMPARE(s.sourceLine, 12);
    QCOMPARE(s.backends, std::vector<size_t>{0});
}

void tst_InventoryLoader::sidecarPorts()
{
    const std::string text
        = "kind: Pod\n"
          "metadata: {name: app, namespace: shop}\n"
          "spec:\n"
          "  initContainers:\n"
          "  - {name: migrate, ports: [{containerPort: 5000}]}\n"
          "  - {name: proxy, restartPolicy: Always, ports: [{containerPort: 15001, "
          "name: envoy}]}\n"
          "  containers:\n"
          "  - {name: app, ports: [{containerPort: 8080}]}\n"
          "status: {podIP: 10.1.1.1}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(1));
    QCOMPARE(inv.workloads[0].ports, (std::vector<ContainerPort>{{"", 8080, Protocol::TCP},
                                                                 {"envoy", 15001, Protocol::TCP}}));
}

void tst_InventoryLoader::pendingPod()
{
    const std::string text = "kind: Pod\n"
                             "metadata: {name: web-1, namespace: shop, labels: {app: web}}\n"
                             "status: {phase: Pending}\n"
                             "---\n"
                             "kind: Pod\n"
                             "metadata: {name: job-1, namespace: shop}\n"
                             "status: {phase: Succeeded, podIP: 10.1.0.9}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(2));
    const Workload &web = inv.workloads[inv.findWorkload("shop", "web-1")];
    QCOMPARE(web.pods.size(), size_t(1));
    QVERIFY(web.pods[0].addresses.empty());
    QVERIFY(hasWarning(inv, "pod shop/web-1 has no IP address (phase Pending)", 1));
    // A finished pod's address may belong to a new pod by now: never attributed.
    const Workload &job = inv.workloads[inv.findWorkload("shop", "job-1")];
    QVERIFY(job.pods[0].addresses.empty());
    QVERIFY(hasWarning(inv, "pod shop/job-1 has finished", 5));
}

void tst_InventoryLoader::hostNetworkPodsShareTheNodeAddress()
{
    const std::string text = "kind: Pod\n"
                             "metadata: {name: kube-proxy-a, namespace: kube-system}\n"
                             "spec: {hostNetwork: true}\n"
                             "status: {podIP: 192.168.1.10, hostIP: 192.168.1.10}\n"
                             "---\n"
                             "kind: Pod\n"
                             "metadata: {name: cni-a, namespace: kube-system}\n"
                             "spec: {hostNetwork: yes}\n" // YAML 1.1, as kubectl reads it
                             "status: {podIP: 192.168.1.10, hostIP: 192.168.1.10}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(2));
    QCOMPARE(inv.workloads[0].addresses(), std::vector<IpAddress>{ip("192.168.1.10")});
    QVERIFY(inv.workloads[0].onHostNetwork());
    QVERIFY(inv.workloads[1].onHostNetwork());
    // One summarised warning, however many pods (never one line per pod).
    QVERIFY(hasWarning(inv,
                       "2 pod(s) of 2 workload(s) use the host network (kube-system/cni-a, "
                       "kube-system/kube-proxy-a)",
                       0));
    size_t lines = 0;
    for (const InventoryWarning &w : inv.warnings)
        lines += w.message.find("host network") != std::string::npos;
    QCOMPARE(lines, size_t(1));
    QCOMPARE(inv.nodes.size(), size_t(1));
}

void tst_InventoryLoader::apiListItemsWithoutKind()
{
    // `kubectl get --raw /api/v1/pods`: a PodList whose items carry neither kind nor apiVersion.
    // (A YAML stream: its second document is written as JSON; a file starting with '{' is read
    // as one JSON document.)
    const std::string text
        = "kind: ServiceList\napiVersion: v1\nitems:\n"
          "- metadata: {name: web, namespace: shop}\n"
          "  spec: {clusterIP: 10.96.0.10, selector: {app: web}, ports: [{port: 80}]}\n"
          "---\n"
          "{\"kind\": \"PodList\", \"apiVersion\": \"v1\", \"items\": [\n"
          " {\"metadata\": {\"name\": \"web-1\", \"namespace\": \"shop\", \"labels\": {\"app\": "
          "\"web\"}},\n"
          "  \"status\": {\"podIP\": \"10.244.1.5\", \"hostIP\": \"192.168.1.10\"}},\n"
          " {\"metadata\": {\"name\": \"db-1\", \"namespace\": \"shop\"},\n"
          "  \"status\": {\"podIP\": \"10.244.1.6\"}}]}\n"
          "---\n"
          "kind: ConfigMapList\napiVersion: v1\nitems:\n- metadata: {name: c}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(2));
    QCOMPARE(inv.workloads[inv.findWorkload("shop", "web-1")].addresses(),
             std::vector<IpAddress>{ip("10.244.1.5")});
    QCOMPARE(inv.services.size(), size_t(1));
    QCOMPARE(inv.services[0].backends.size(), size_t(1));
    QCOMPARE(inv.skippedKinds, (std::map<std::string, int>{{"ConfigMap", 1}}));
    QVERIFY(
        hasWarning(inv, "skipped 1 object(s) of kinds Bulkhead does not read: ConfigMap (1)", 0));

    // A plain List's items must still say what they are.
    auto refused
        = loadInventoryText("kind: List\nitems:\n- metadata: {name: a}\n", "inventory.yaml");
    QVERIFY(!refused);
    QVERIFY2(refused.error().toString().find("items[0]: the object has no kind")
                 != std::string::npos,
             refused.error().toString().c_str());
}

void tst_InventoryLoader::servicesAtTheEdgeAndEndpoints()
{
    const std::string text
        = "kind: Service\nmetadata: {name: web, namespace: shop}\n"
          "spec: {type: LoadBalancer, clusterIP: 10.96.0.21, selector: {app: web},\n"
          "       externalTrafficPolicy: Local, externalIPs: [198.51.100.1],\n"
          "       ports: [{name: https, port: 443, targetPort: 8443, nodePort: 30443}]}\n"
          "status: {loadBalancer: {ingress: [{ip: 198.51.100.9}, {hostname: lb.example.com}]}}\n"
          "---\n"
          "kind: Endpoints\nmetadata: {name: legacy, namespace: shop}\n"
          "subsets:\n"
          "- addresses: [{ip: 172.16.5.5}]\n"
          "  notReadyAddresses: [{ip: 172.16.5.6}]\n"
          "  ports: [{name: pg, port: 5432}]\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.services.size(), size_t(1));
    const Service &web = inv.services[0];
    QCOMPARE(web.type, std::string("LoadBalancer"));
    QVERIFY(web.externalTrafficLocal);
    QCOMPARE(web.ports[0].nodePort, uint16_t(30443));
    QCOMPARE(web.externalIps, (std::vector<IpAddress>{ip("198.51.100.1"), ip("198.51.100.9")}));
    QCOMPARE(inv.endpointSets.size(), size_t(1));
    const EndpointSet &legacy = inv.endpointSets[0];
    QCOMPARE(legacy.service, std::string("legacy"));
    QCOMPARE(legacy.addresses, (std::vector<IpAddress>{ip("172.16.5.5"), ip("172.16.5.6")}));
    QCOMPARE(legacy.ports.size(), size_t(1));
    QCOMPARE(legacy.ports[0].name, std::string("pg"));
    QCOMPARE(legacy.ports[0].port, uint16_t(5432));
    QVERIFY(inv.skippedKinds.empty());
}

void tst_InventoryLoader::templateOnlyController()
{
    const std::string text = "apiVersion: apps/v1\n"
                             "kind: StatefulSet\n"
                             "metadata: {name: redis, namespace: shop}\n"
                             "spec:\n"
                             "  template:\n"
                             "    metadata: {labels: {app: redis}}\n"
                             "    spec:\n"
                             "      containers:\n"
                             "      - {name: redis, ports: [{name: redis, containerPort: 6379}]}\n"
                             "---\n"
                             "apiVersion: batch/v1\n"
                             "kind: CronJob\n"
                             "metadata: {name: report, namespace: shop}\n"
                             "spec:\n"
                             "  jobTemplate:\n"
                             "    spec:\n"
                             "      template:\n"
                             "        metadata: {labels: {job: report}}\n"
                             "        spec: {containers: [{name: r}]}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(2));
    const Workload &redis = inv.workloads[inv.findWorkload("shop", "redis")];
    QCOMPARE(redis.kind, std::string("StatefulSet"));
    QCOMPARE(redis.labels, (Labels{{"app", "redis"}}));
    QCOMPARE(redis.ports, (std::vector<ContainerPort>{{"redis", 6379, Protocol::TCP}}));
    QVERIFY(redis.pods.empty());
    QVERIFY(hasWarning(inv, "StatefulSet shop/redis has no pods in the inventory", 1));
    const Workload &report = inv.workloads[inv.findWorkload("shop", "report")];
    QCOMPARE(report.kind, std::string("CronJob"));
    QCOMPARE(report.labels, (Labels{{"job", "report"}}));
}

void tst_InventoryLoader::unknownKindsCounted()
{
    const std::string text
        = list("- {apiVersion: v1, kind: ServiceAccount, metadata: {name: a}}\n"
               "- {apiVersion: v1, kind: ServiceAccount, metadata: {name: b}}\n"
               "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n"
               "- {apiVersion: v1, kind: Pod, metadata: {name: p}, status: {podIP: 10.0.0.1}}\n");
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(1));
    QCOMPARE(inv.skippedKinds,
             (std::map<std::string, int>{{"ConfigMap", 1}, {"ServiceAccount", 2}}));
}

void tst_InventoryLoader::nativeInventory()
{
    const std::string text = "apiVersion: bulkhead.io/v1alpha1\n"
                             "kind: Inventory\n"
                             "clusterNetworks: [10.244.0.0/16, 10.96.0.0/12]\n"
                             "workloads:\n"
                             "  - {name: payments, namespace: shop, labels: {app: payments, "
                             "bulkhead.io/sensitivity: restricted},\n"
                             "     addresses: [10.244.1.5], ports: [{name: grpc, port: 50051, "
                             "protocol: TCP}]}\n"
                             "  - {name: mainframe, addresses: [172.16.0.1, 'fd00::1'], ports: "
                             "[{port: 514, protocol: UDP}]}\n"
                             "externals:\n"
                             "  - {name: corp-vpn, cidrs: [10.8.0.0/16]}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.clusterNetworks,
             (std::vector<Cidr>{*Cidr::parse("10.96.0.0/12"), *Cidr::parse("10.244.0.0/16")}));
    QCOMPARE(inv.workloads.size(), size_t(2));
    const Workload &mainframe = inv.workloads[0];
    QCOMPARE(mainframe.id(), std::string("default/mainframe"));
    QCOMPARE(mainframe.kind, std::string("Host"));
    QCOMPARE(mainframe.addresses(), (std::vector<IpAddress>{ip("172.16.0.1"), ip("fd00::1")}));
    QCOMPARE(mainframe.ports, (std::vector<ContainerPort>{{"", 514, Protocol::UDP}}));
    QCOMPARE(mainframe.sourceLine, 7);
    const Workload &payments = inv.workloads[1];
    QCOMPARE(payments.id(), std::string("shop/payments"));
    QCOMPARE(payments.labels.at("bulkhead.io/sensitivity"), std::string("restricted"));
    QCOMPARE(payments.ports, (std::vector<ContainerPort>{{"grpc", 50051, Protocol::TCP}}));
    QCOMPARE(payments.sourceLine, 5);
    QCOMPARE(inv.externals.size(), size_t(1));
    QCOMPARE(inv.externals[0].name, std::string("corp-vpn"));
    QCOMPARE(inv.externals[0].cidrs, std::vector<Cidr>{*Cidr::parse("10.8.0.0/16")});
}

void tst_InventoryLoader::mixedFile()
{
    const std::string text = "apiVersion: bulkhead.io/v1alpha1\n"
                             "kind: Inventory\n"
                             "workloads: [{name: db, namespace: legacy, addresses: [172.16.0.5]}]\n"
                             "---\n"
                             + list(pod("web-1", "shop", "", "", "{app: web}", "10.244.1.1"));
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(2));
    QCOMPARE(inv.workloads[0].id(), std::string("legacy/db"));
    QCOMPARE(inv.workloads[0].kind, std::string("Host"));
    QCOMPARE(inv.workloads[1].id(), std::string("shop/web-1"));
    QCOMPARE(inv.workloads[1].kind, std::string("Pod"));
}

void tst_InventoryLoader::mergeTwoFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string a = writeFile(
        dir, "a.yaml",
        list(pod("web-5c6b-1", "shop", "ReplicaSet", "web-5c6b",
                 "{app: web, pod-template-hash: 5c6b}", "10.244.1.1")
             + "- {kind: Service, metadata: {name: web, namespace: shop}, spec: {clusterIP: "
               "10.96.0.5, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}}\n"));
    const std::string b
        = writeFile(dir, "b.yaml",
                    list(pod("web-5c6b-2", "shop", "ReplicaSet", "web-5c6b",
                             "{app: web, pod-template-hash: 5c6b}", "10.244.2.1")
                         + pod("web-5c6b-1", "shop", "ReplicaSet", "web-5c6b",
                               "{app: web, pod-template-hash: 5c6b}", "10.244.1.1")
                         + pod("db-0", "shop", "StatefulSet", "db", "{app: db}", "10.244.2.2")));
    const auto inv = loadInventories({b, a});
    QVERIFY_OK(inv);
    QCOMPARE(inv->workloads.size(), size_t(2));
    QCOMPARE(inv->workloads[0].id(), std::string("shop/db"));
    const Workload &web = inv->workloads[1];
    QCOMPARE(web.id(), std::string("shop/web"));
    QCOMPARE(web.pods.size(), size_t(2)); // web-5c6b-1 is in both files: once
    QCOMPARE(web.addresses(), (std::vector<IpAddress>{ip("10.244.1.1"), ip("10.244.2.1")}));
    QCOMPARE(inv->services.size(), size_t(1));
    QCOMPARE(inv->services[0].backends, std::vector<size_t>{1});
    QCOMPARE(inv->sourceFiles, (std::vector<std::string>{b, a}));
}

void tst_InventoryLoader::addressConflict()
{
    auto a = loadInventoryText(std::string(11, '\n')
                                   + "apiVersion: v1\nkind: Pod\nmetadata: {name: cart, namespace: "
                                     "shop}\nstatus: {podIP: 10.244.1.5}\n",
                               "a.yaml");
    QVERIFY(a);
    auto b
        = loadInventoryText(std::string(39, '\n')
                                + "apiVersion: v1\nkind: Pod\nmetadata: {name: cart2, namespace: "
                                  "shop}\nstatus: {podIP: 10.244.1.5}\n",
                            "b.yaml");
    QVERIFY(b);
    const auto merged = mergeInventory(*a, std::move(*b));
    QVERIFY(!merged);
    QCOMPARE(merged.error().message,
             std::string("10.244.1.5 is claimed by shop/cart (a.yaml:12) and by shop/cart2 "
                         "(b.yaml:40)"));
    QCOMPARE(merged.error().file, std::string("b.yaml"));
    QCOMPARE(merged.error().line, 40);
    QCOMPARE(a->workloads.size(), size_t(1)); // unchanged on error
}

void tst_InventoryLoader::addressConflictWithinAFile()
{
    const auto inv = loadInventoryText(
        "apiVersion: bulkhead.io/v1alpha1\nkind: Inventory\nworkloads:\n"
        "- {name: a, addresses: [10.0.0.1]}\n- {name: b, addresses: [10.0.0.1]}\n",
        "hosts.yaml");
    QVERIFY(!inv);
    QCOMPARE(inv.error().toString(),
             std::string("hosts.yaml:5: 10.0.0.1 is claimed by default/a (hosts.yaml:4) and by "
                         "default/b (hosts.yaml:5)"));
}

void tst_InventoryLoader::serviceBackends()
{
    const std::string text
        = "apiVersion: bulkhead.io/v1alpha1\n"
          "kind: Inventory\n"
          "workloads:\n"
          "- {name: api-v1, namespace: shop, labels: {app: api, v: '1'}}\n"
          "- {name: api-v2, namespace: shop, labels: {app: api, v: '2'}}\n"
          "- {name: web, namespace: shop, labels: {app: web}}\n"
          "- {name: api, namespace: other, labels: {app: api}}\n"
          "---\n"
          "kind: Service\n"
          "metadata: {name: api, namespace: shop}\n"
          "spec: {clusterIP: 10.96.1.1, selector: {app: api}, ports: [{port: 80}]}\n"
          "---\n"
          "kind: Service\n"
          "metadata: {name: manual, namespace: shop}\n"
          "spec: {clusterIP: None, ports: [{port: 80}]}\n";
    const Inventory inv = load(text);
    QCOMPARE(inv.workloads.size(), size_t(4));
    QCOMPARE(inv.services.size(), size_t(2));
    const Service &api = inv.services[0];
    QCOMPARE(api.id(), std::string("shop/api"));
    std::vector<std::string> backends;
    for (size_t i : api.backends)
        backends.push_back(inv.workloads[i].id());
    QCOMPARE(backends, (std::vector<std::string>{"shop/api-v1", "shop/api-v2"}));
    const Service &manual = inv.services[1];
    QVERIFY(manual.clusterIps.empty()); // headless
    QVERIFY(manual.backends.empty());   // no selector selects nothing
}

void tst_InventoryLoader::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("YAML syntax") << "kind: Pod\nmetadata: {name: a\nstatus: x\n"
                                 << "inventory.yaml:3: YAML syntax error: while parsing a flow "
                                    "mapping: did not find expected ',' or '}'";
    QTest::newRow("Service without ports")
        << QString::fromStdString(list([] {
               std::string s;
               for (int i = 0; i < 10; ++i) // lines 4 to 13
                   s += "- {kind: ConfigMap, metadata: {name: c" + std::to_string(i) + "}}\n";
               return s;
           }()
                                       + "- apiVersion: v1\n  kind: Service\n  metadata:\n"
                                         "    name: cart\n  spec:\n    selector: {app: cart}\n"))
        << "inventory.yaml:14: Service \"cart\" has no spec.ports";
    QTest::newRow("port not a number") << QString::fromStdString(
        list("- {kind: ConfigMap, metadata: {name: a}}\n"
             "- {kind: ConfigMap, metadata: {name: b}}\n"
             "- {kind: ConfigMap, metadata: {name: c}}\n"
             "- kind: Service\n  metadata: {name: cart}\n  spec:\n    ports:\n"
             "    - name: grpc\n      port: grpc\n"))
                                       << "inventory.yaml:12: items[3].spec.ports[0].port: "
                                          "\"grpc\" is not a port number (1-65535)";
    QTest::newRow("port out of range")
        << "kind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: x\n    ports:\n"
           "    - containerPort: 70000\n"
        << "inventory.yaml:7: spec.containers[0].ports[0].containerPort: \"70000\" is not a port "
           "number (1-65535)";
    QTest::newRow("bad IP")
        << "kind: Pod\nmetadata: {name: a}\nstatus:\n  podIP: 10.0.0.300\n"
        << "inventory.yaml:4: status.podIP: \"10.0.0.300\" is not an IP address";
    QTest::newRow("bad protocol")
        << "kind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 80, protocol: tcp}\n"
        << "inventory.yaml:5: spec.ports[0].protocol: \"tcp\" is not a protocol (TCP, UDP or SCTP)";
    QTest::newRow("hostNetwork not a boolean")
        << "kind: Pod\nmetadata: {name: a}\nspec:\n  hostNetwork: maybe\n"
        << "inventory.yaml:4: spec.hostNetwork: expected true or false, found \"maybe\"";
    QTest::newRow("labels not a map of strings")
        << "kind: Pod\nmetadata:\n  name: a\n  labels:\n    app: [x]\n"
        << "inventory.yaml:5: metadata.labels.app: expected a string, found a list";
    QTest::newRow("document not a map")
        << "kind: Pod\nmetadata: {name: a}\n---\n- just\n- a list\n"
        << "inventory.yaml:4: expected a Kubernetes object or a Bulkhead Inventory (a map)";
    QTest::newRow("object without kind")
        << QString::fromStdString(list("- {metadata: {name: a}}\n"))
        << "inventory.yaml:4: items[0]: the object has no kind";
    QTest::newRow("native: bad CIDR")
        << "apiVersion: bulkhead.io/v1alpha1\nkind: Inventory\nclusterNetworks:\n- 10.0.0.0/33\n"
        << "inventory.yaml:4: clusterNetworks[0]: \"10.0.0.0/33\" is not a CIDR (such as "
           "10.0.0.0/8)";
    QTest::newRow("the zones file given as an inventory")
        << "apiVersion: bulkhead.io/v1alpha1\nkind: Zones\nlabelKey: tier\n"
        << "inventory.yaml:2: kind: not an inventory: a bulkhead.io Zones object (zones are given "
           "with --zones)";
    QTest::newRow("native: unsupported version")
        << "apiVersion: bulkhead.io/v9\nkind: Inventory\n"
        << "inventory.yaml:1: apiVersion: unsupported Inventory apiVersion \"bulkhead.io/v9\" "
           "(expected bulkhead.io/v1alpha1)";
}

void tst_InventoryLoader::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto inv = loadInventoryText(text.toStdString(), "inventory.yaml");
    QVERIFY(!inv);
    QCOMPARE(QString::fromStdString(inv.error().toString()), error);
}

void tst_InventoryLoader::notAnInventory_data()
{
    QTest::addColumn<QByteArray>("content");
    // The first bytes of a little-endian pcap file header.
    QTest::newRow("pcap") << QByteArray("\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00", 12);
    QTest::newRow("plain text") << QByteArray("Hello, this is a letter.\nRegards\n");
    QTest::newRow("other YAML") << QByteArray("services:\n  web:\n    image: nginx\n");
    QTest::newRow("empty") << QByteArray();
}

void tst_InventoryLoader::notAnInventory()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const std::string path = writeFile(dir, "capture.pcap", content.toStdString());
    const auto inv = loadInventoryFile(path);
    QVERIFY(!inv);
    QCOMPARE(inv.error().file, path);
    QVERIFY2(inv.error().message.starts_with("not an inventory"), inv.error().message.c_str());
}

void tst_InventoryLoader::unreadableFile()
{
    const auto inv = loadInventoryFile("/nonexistent/inventory.yaml");
    QVERIFY(!inv);
    QCOMPARE(inv.error().toString(),
             std::string("/nonexistent/inventory.yaml: cannot read the inventory: No such file or "
                         "directory"));
    const auto all = loadInventories({"/nonexistent/inventory.yaml"});
    QVERIFY(!all);
    QCOMPARE(all.error().file, std::string("/nonexistent/inventory.yaml"));
}

void tst_InventoryLoader::hostileYaml_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");

    QTest::newRow("deep nesting") << QString(100000, '[') + QString(100000, ']')
                                  << "the YAML is nested too deep";
    // Each List holds nine aliases of the one before: 9^12 pods if walked.
    std::string bomb = "a0: &a0 {kind: Pod, metadata: {name: x}}\n";
    for (int i = 1; i <= 12; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " {kind: List, items: [";
        for (int j = 0; j < 9; ++j)
            bomb += (j ? ", " : "") + prev;
        bomb += "]}\n";
    }
    bomb += "kind: List\nitems: [*a12]\n";
    QTest::newRow("alias bomb in a List")
        << QString::fromStdString(bomb) << "the file expands to too many YAML nodes";
    QTest::newRow("too much work through aliases") << QString::fromStdString(
        "p: &p {kind: Pod, metadata: {name: x, labels: &l {" +
        [] {
            std::string s;
            for (int i = 0; i < 3000; ++i)
                s += (i ? ", " : "") + std::string("k") + std::to_string(i) + ": v";
            return s;
        }()
        + "}}}\nkind: List\nitems: [" +
        [] {
            std::string s;
            for (int i = 0; i < 20000; ++i)
                s += i ? ", *p" : "*p";
            return s;
        }()
        + "]\n") << "the file expands to too many YAML nodes";
}

void tst_InventoryLoader::hostileYaml()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const auto inv = loadInventoryText(text.toStdString(), "evil.yaml");
    QVERIFY(!inv);
    QCOMPARE(inv.error().file, std::string("evil.yaml"));
    QVERIFY2(QString::fromStdString(inv.error().message).contains(message),
             inv.error().toString().c_str());
}

namespace {

// What a load gave, in one line: the error, or the workloads and the warnings with their lines.
QString outcome(const Expected<Inventory> &inv)
{
    if (!inv)
        return QString::fromStdString("error " + inv.error().toString());
    QStringList parts;
    for (const Workload &w : inv->workloads)
        parts << QString::fromStdString(w.id());
    QString out = "workloads " + parts.join(' ');
    for (const InventoryWarning &w : inv->warnings)
        out += QStringLiteral("; warning %1: %2")
                   .arg(w.line)
                   .arg(QString::fromStdString(w.message));
    return out;
}

} // namespace

void tst_InventoryLoader::hostileYamlStreamed_data()
{
    // The YAML stream reads a List's items one at a time and the rest of the document (its head)
    // whole: each hostile input below goes through both paths, with what it gives exactly.
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const std::string head = "apiVersion: v1\nkind: List\nitems:\n";
    const std::string podA = "- {kind: Pod, metadata: {name: a, namespace: n}, status: {podIP: "
                             "10.0.0.1}}\n";
    QTest::newRow("deep nesting in an item")
        << QString::fromStdString(head + "- " + std::string(5000, '[') + std::string(5000, ']')
                                  + "\n")
        << QStringLiteral("error evil.yaml:4: the YAML is nested too deep (more than 2000 levels); "
                          "refusing to read it");
    QTest::newRow("deep nesting in the head")
        << QString::fromStdString("kind: List\nx: " + std::string(5000, '[')
                                  + std::string(5000, ']') + "\nitems: []\n")
        << QStringLiteral("error evil.yaml:2: the YAML is nested too deep (more than 2000 levels); "
                          "refusing to read it");
    // Anchors are per document: an item may alias an earlier item or the head (the same pod twice
    // is one workload).
    QTest::newRow("anchor on an item, aliased by the next")
        << QString::fromStdString(head
                                  + "- &p {kind: Pod, metadata: {name: a, namespace: n}, status: "
                                    "{podIP: 10.0.0.1}}\n- *p\n")
        << QStringLiteral("workloads n/a");
    QTest::newRow("anchor in an item, aliased inside the next")
        << QString::fromStdString(head
                                  + "- {kind: Pod, metadata: {name: a, namespace: n, labels: "
                                    "&l {app: x}}}\n- {kind: Pod, metadata: {name: b, "
                                    "namespace: n, labels: *l}}\n")
        << QStringLiteral("workloads n/a n/b; warning 4: pod n/a has no IP address: kept as a "
                          "member of its workload, without addresses; warning 5: pod n/b has no IP "
                          "address: kept as a member of its workload, without addresses");
    QTest::newRow("anchor in the head, aliased in an item")
        << QString::fromStdString("kind: List\nshared: &l {app: x}\nitems:\n- {kind: Pod, "
                                  "metadata: {name: a, namespace: n, labels: *l}}\n")
        << QStringLiteral("workloads n/a; warning 4: pod n/a has no IP address: kept as a member "
                          "of its workload, without addresses");
    QTest::newRow("alias of an undefined anchor in an item")
        << QString::fromStdString(head + podA + "- *nowhere\n")
        << QStringLiteral(
               "error evil.yaml:5: the alias *nowhere names no anchor of this object that Bulkhead "
               "reads (anchors are per object, and not inside the parts it skips)");
    QTest::newRow("huge scalar in an item")
        << QString::fromStdString(
               head + "- {kind: Pod, metadata: {name: " + std::string(1100000, 'x') + "}}\n")
        << QStringLiteral("error evil.yaml:4: a value is longer than 1 MiB; refusing to read it");
    QTest::newRow("huge scalar in the head")
        << QString::fromStdString("kind: List\nnote: " + std::string(1100000, 'x')
                                  + "\nitems: []\n")
        << QStringLiteral("error evil.yaml:2: a value is longer than 1 MiB; refusing to read it");
    // libyaml puts the end of a text without a final newline on the line after the last.
    QTest::newRow("document ends mid-item")
        << QString::fromStdString(head + podA + "- kind: Pod\n  metadata: {name: b")
        << QStringLiteral("error evil.yaml:7: YAML syntax error: while parsing a flow mapping: did "
                          "not find expected ',' or '}'");
    QTest::newRow("tab indentation in an item")
        << QString::fromStdString(head + "- kind: Pod\n\tmetadata: {name: a}\n")
        << QStringLiteral("error evil.yaml:5: YAML syntax error: while scanning a plain scalar: "
                          "found a tab character that violates indentation");
    // A tab after "key:" separates, as a space does.
    QTest::newRow("tab in the head") << QString::fromStdString("kind:\tList\nitems:\n" + podA)
                                     << QStringLiteral("workloads n/a");
    QTest::newRow("multi-document: Lists and a lone object")
        << QString::fromStdString(head + podA + "---\n" + head
                                  + "- {kind: Pod, metadata: {name: b, namespace: n}, status: "
                                    "{podIP: 10.0.0.2}}\n---\nkind: Pod\nmetadata: {name: c, "
                                    "namespace: n}\nstatus: {podIP: 10.0.0.3}\n")
        << QStringLiteral("workloads n/a n/b n/c");
    QTest::newRow("multi-document: an anchor does not cross documents")
        << QString::fromStdString(head
                                  + "- &p {kind: Pod, metadata: {name: a, namespace: n}}\n"
                                    "---\n"
                                  + head + "- *p\n")
        << QStringLiteral(
               "error evil.yaml:9: the alias *p names no anchor of this object that Bulkhead reads "
               "(anchors are per object, and not inside the parts it skips)");
}

void tst_InventoryLoader::hostileYamlStreamed()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(outcome(loadInventoryText(text.toStdString(), "evil.yaml")), expected);
}

void tst_InventoryLoader::onlineBoutiqueManifests()
{
    const std::string path = std::string(BULKHEAD_SHARED_DIR)
                             + "/apps/online-boutique/release/kubernetes-manifests.yaml";
    if (!std::filesystem::exists(path))
        QSKIP("the Online Boutique manifests are not in BULKHEAD_SHARED_DIR");
    const auto inv = loadInventoryFile(path);
    QVERIFY_OK(inv);
    QCOMPARE(inv->workloads.size(), size_t(12));
    for (const Workload &w : inv->workloads) {
        QCOMPARE(w.kind, std::string("Deployment"));
        QCOMPARE(w.ns, std::string("default"));
        QVERIFY(w.pods.empty());
        QCOMPARE(w.labels.at("app"), w.name);
    }
    const Workload &frontend = inv->workloads[inv->findWorkload("default", "frontend")];
    QCOMPARE(frontend.ports, (std::vector<ContainerPort>{{"", 8080, Protocol::TCP}}));
    const Workload &email = inv->workloads[inv->findWorkload("default", "emailservice")];
    QCOMPARE(email.ports, (std::vector<ContainerPort>{{"", 8080, Protocol::TCP}}));
    const Workload &redis = inv->workloads[inv->findWorkload("default", "redis-cart")];
    QCOMPARE(redis.ports, (std::vector<ContainerPort>{{"", 6379, Protocol::TCP}}));

    const auto service = std::find_if(inv->services.begin(), inv->services.end(),
                                      [](const Service &s) { return s.name == "emailservice"; });
    QVERIFY(service != inv->services.end());
    QCOMPARE(service->ports.size(), size_t(1));
    QCOMPARE(service->ports[0].port, uint16_t(5000));
    QCOMPARE(std::get<uint16_t>(service->ports[0].targetPort), uint16_t(8080));
    QCOMPARE(service->backends.size(), size_t(1));
    QCOMPARE(inv->workloads[service->backends[0]].name, std::string("emailservice"));
    QCOMPARE(inv->skippedKinds.at("ServiceAccount"), 11);
    QVERIFY(hasWarning(*inv, "Deployment default/frontend has no pods in the inventory"));
}

QTEST_GUILESS_MAIN(tst_InventoryLoader)
#include "tst_inventoryloader.moc"
