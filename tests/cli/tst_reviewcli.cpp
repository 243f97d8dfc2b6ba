// bulkhead-cli end to end on the Online Boutique sample: named mistakes (a file of the wrong kind
// for its flag, policies that select nothing), addresses inside a node's pod range, the internet
// as a peer (`world` in a design, the `internet` key of blast-radius JSON checked against a
// brute-force reachability).
#include <QtTest>

#include "clirun.h"
#include "testsupport.h"

#include "design/decisionnetworks.h"
#include "model/buildmodel.h"
#include "policy/policyloader.h"
#include "review/evaluator.h"

#include <set>

using namespace bulkhead;

namespace {

const QString sampleDir = bulkhead::testing::sampleDirectory();
const QString googleDir
    = QStringLiteral(BULKHEAD_SHARED_DIR "/apps/online-boutique/network-policies");

using Run = bulkhead::testing::CliRun;
using bulkhead::testing::jsonStrings;
using bulkhead::testing::runCli;
using bulkhead::testing::sampleInputs;
using bulkhead::testing::writeFile;

// Internet-facing frontend, checkout behind it, payment behind checkout; the rest of boutique
// isolated for ingress. kube-system is not isolated.
const QByteArray chainPolicies = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress, namespace: boutique}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend, namespace: boutique}
spec:
  podSelector: {matchLabels: {app: frontend}}
  ingress:
  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.244.0.0/16]}}]
    ports: [{port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: checkoutservice, namespace: boutique}
spec:
  podSelector: {matchLabels: {app: checkoutservice}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
    ports: [{port: 5050}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: paymentservice, namespace: boutique}
spec:
  podSelector: {matchLabels: {app: paymentservice}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: checkoutservice}}}]
    ports: [{port: 50051}]
)";

} // namespace

class tst_ReviewCli : public QObject
{
    Q_OBJECT

private slots:
    void policyFileAsInventory()
    {
        QTemporaryDir dir;
        const QString policies = writeFile(dir, "policies.yaml", chainPolicies);
        const QString out = dir.filePath("out.yaml");
        const Run r = runCli({"generate", "--inventory", policies, "--output", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains(
                (policies + ": is a policy file (4 NetworkPolicies), not an inventory").toUtf8()),
            r.err.constData());
        QVERIFY(!QFileInfo::exists(out));
        // Among real inventories too: the file is named, nothing is written.
        const Run mixed = runCli(QStringList{"generate", "--output", out, "--inventory", policies}
                                 + sampleInputs());
        QCOMPARE(mixed.exitCode, 2);
        QVERIFY(mixed.err.contains(policies.toUtf8() + ": is a policy file"));
        QVERIFY(!QFileInfo::exists(out));
    }

    void inventoryAsPolicies()
    {
        const Run r = runCli(QStringList{"check", "--policies", sampleDir + "/inventory.yaml"}
                             + sampleInputs().mid(0, 6));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains((sampleDir + "/inventory.yaml: is a workload inventory (").toUtf8()),
            r.err.constData());
        QVERIFY(r.err.contains("3 Nodes"));
        QVERIFY(r.err.contains("not NetworkPolicies"));
        QVERIFY(r.out.isEmpty());
    }

    // None selecting anything is an error (a gate must not pass on policies that review
    // nothing); some selecting nothing is a warning per policy, in the table and the JSON.
    void policiesThatSelectNothing()
    {
        QTemporaryDir dir;
        QByteArray elsewhere = chainPolicies;
        elsewhere.replace("namespace: boutique", "namespace: shop");
        const QString wrong = writeFile(dir, "wrong.yaml", elsewhere);
        const Run none
            = runCli(QStringList{"check", "--policies", wrong} + sampleInputs().mid(0, 6));
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains(
                     "none of the 4 policies selects a workload of the inventory (namespace shop)"),
                 none.err.constData());
        QVERIFY(none.out.isEmpty());

        QByteArray ghost = chainPolicies;
        ghost.replace("{app: paymentservice}", "{app: paymentsrvice}");
        const QString some = writeFile(dir, "some.yaml", ghost);
        const Run json = runCli(QStringList{"check", "--format", "json", "--policies", some}
                                + sampleInputs().mid(0, 6));
        QCOMPARE(json.exitCode, 1); // breaks: the sample's observed calls into boutique
        const QJsonArray warnings
            = QJsonDocument::fromJson(json.out).object()["warnings"].toArray();
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings[0].toObject()["policy"].toString(),
                 QStringLiteral("boutique/paymentservice"));
        QCOMPARE(warnings[0].toObject()["message"].toString(),
                 QStringLiteral("selects no workload of the inventory in namespace boutique"));
        const Run table
            = runCli(QStringList{"check", "--policies", some} + sampleInputs().mid(0, 6));
        QVERIFY(table.out.startsWith("Warnings: policies that select no workload (1)\n"));
        QVERIFY(table.out.contains("boutique/paymentservice"));
    }

    void googlesPoliciesWithoutNamespace()
    {
        if (!QFileInfo::exists(googleDir))
            QSKIP("../shared/apps/online-boutique is absent: cannot check Google's policies");
        QStringList policies;
        for (const QString &name :
             QDir(googleDir).entryList({"network-policy-*.yaml"}, QDir::Files, QDir::Name))
            policies << "--policies" << googleDir + '/' + name;
        const Run r = runCli(QStringList{"check"} + sampleInputs().mid(0, 6) + policies);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains(
                "none of the 13 policies selects a workload of the inventory (namespace default); "
                "13 of them name no namespace and were placed in default: give their namespace "
                "with -n"),
            r.err.constData());
        const Run ok = runCli(QStringList{"check", "-n", "boutique", "--format", "json"}
                              + sampleInputs().mid(0, 6) + policies);
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(ok.out).object()["warnings"].toArray().size(), 0);
    }

    // 10.244.2.250 is inside node3's pod range (spec.podCIDR) and matches no pod: a deleted pod,
    // unattributed, never an external peer.
    void unattributedInsidePodRange()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath("report.json");
        const Run r
            = runCli(QStringList{"generate", "--output", dir.filePath("p.yaml"), "--report", report}
                     + sampleInputs().mid(0, 6));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.contains("unattributed address 10.244.2.250 is inside the cluster network"));
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject j = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(jsonStrings(j["unattributed"]), QStringList{"10.244.2.250"});
        int found = 0;
        for (const QJsonValue &v : j["attempts"].toArray()) {
            const QJsonObject a = v.toObject();
            if (a["to"] == "10.244.2.250") {
                QCOMPARE(a["toKind"].toString(), QStringLiteral("unattributed"));
                QCOMPARE(a["state"].toString(), QStringLiteral("unanswered"));
                ++found;
            }
        }
        QCOMPARE(found, 1);
    }

    // The `internet` key under a policy set, against a fixpoint over every ordered pair and every
    // port any workload declares, any rule names, or any flow used.
    void internetUnderPolicies()
    {
        QTemporaryDir dir;
        const QString policies = writeFile(dir, "chain.yaml", chainPolicies);
        const Run r = runCli(QStringList{"blast-radius", "--format", "json", "--policies", policies}
                             + sampleInputs());
        QCOMPARE(r.exitCode, 0);
        const QJsonObject internet = QJsonDocument::fromJson(r.out).object()["internet"].toObject();

        PipelineInputs inputs;
        inputs.inventories = {(sampleDir + "/inventory.yaml").toStdString()};
        inputs.captures = {(sampleDir + "/node1.pcapng").toStdString(),
                           (sampleDir + "/node2.pcap").toStdString()};
        inputs.zonesFile = (sampleDir + "/zones.yaml").toStdString();
        auto model = buildModel(inputs);
        QVERIFY(model);
        const int world = ensureWorldNetwork(model->inventory);
        auto loaded = loadPoliciesFile(policies.toStdString());
        QVERIFY(loaded);
        const PolicyEvaluator evaluator(model->inventory, *loaded);
        std::set<std::pair<Protocol, uint16_t>> ports{
            {Protocol::TCP, 0}, {Protocol::UDP, 0}, {Protocol::SCTP, 0}};
        for (const Workload &w : model->inventory.workloads)
            for (const ContainerPort &p : w.ports)
                ports.insert({p.protocol, p.port});
        for (const Edge &e : model->analysis.edges)
            ports.insert({e.protocol, e.port});
        for (uint16_t p : {8080, 5050, 50051})
            ports.insert({Protocol::TCP, p});
        const auto allowed = [&](const Peer &from, int to) {
            for (const auto &[protocol, port] : ports)
                if (evaluator.allows(from, Peer::workload(to), protocol, port))
                    return true;
            return false;
        };
        const int n = static_cast<int>(model->inventory.workloads.size());
        std::set<int> direct, reach;
        for (int w = 0; w < n; ++w)
            if (allowed(Peer{PeerKind::ExternalNetwork, world, {}}, w))
                direct.insert(w);
        reach = direct;
        for (bool grew = true; grew;) {
            grew = false;
            for (int a : std::set<int>(reach))
                for (int b = 0; b < n; ++b)
                    if (!reach.contains(b) && a != b && allowed(Peer::workload(a), b))
                        grew = reach.insert(b).second || grew;
        }
        const auto names = [&](const std::set<int> &set) {
            QStringList out;
            for (int w : set)
                out << QString::fromStdString(
                    model->inventory.workloads[static_cast<size_t>(w)].id());
            out.sort();
            return out;
        };
        QCOMPARE(jsonStrings(internet["direct"]), names(direct));
        QCOMPARE(jsonStrings(internet["reach"]), names(reach));
        // Known values: the chain, and kube-system which no policy isolates.
        QCOMPARE(jsonStrings(internet["direct"]),
                 QStringList({"boutique/frontend", "kube-system/coredns"}));
        QCOMPARE(jsonStrings(internet["reach"]),
                 QStringList({"boutique/checkoutservice", "boutique/frontend",
                              "boutique/paymentservice", "kube-system/coredns"}));
        QCOMPARE(internet["highestZone"].toString(), QStringLiteral("restricted"));
        QCOMPARE(jsonStrings(internet["paths"].toObject()["boutique/paymentservice"]),
                 QStringList({"internet", "boutique/frontend", "boutique/checkoutservice",
                              "boutique/paymentservice"}));
        // frontend-external is a LoadBalancer: a hint, not an allowance.
        const QJsonArray hints = internet["likelyFacing"].toArray();
        QCOMPARE(hints.size(), 1);
        QCOMPARE(hints[0].toObject()["workload"].toString(), QStringLiteral("boutique/frontend"));

        // No policy: the internet reaches every workload directly. The intent: nothing (no world
        // edge).
        const Run none = runCli(QStringList{"blast-radius", "--format", "json", "--policy", "none"}
                                + sampleInputs());
        const QJsonObject noneInternet
            = QJsonDocument::fromJson(none.out).object()["internet"].toObject();
        QCOMPARE(jsonStrings(noneInternet["direct"]).size(), n);
        QCOMPARE(jsonStrings(noneInternet["reach"]).size(), n);
        const Run intent = runCli(QStringList{"blast-radius", "--format", "json"} + sampleInputs());
        QCOMPARE(jsonStrings(
                     QJsonDocument::fromJson(intent.out).object()["internet"].toObject()["reach"]),
                 QStringList());
    }

    // A design that lets the internet in: `world -> frontend` in a project's decisions gives
    // ipBlocks 0.0.0.0/0 and ::/0 excepting the cluster's pod ranges, which admit any outside
    // address on that port only.
    void worldEdgeInDesign()
    {
        QTemporaryDir dir;
        const QByteArray project
            = "formatVersion: 1\ninventories:\n  - \"" + sampleDir.toUtf8()
              + "/inventory.yaml\"\ncaptures:\n  - \"" + sampleDir.toUtf8()
              + "/node1.pcapng\"\n  - \"" + sampleDir.toUtf8() + "/node2.pcap\"\nzones: \""
              + sampleDir.toUtf8()
              + "/zones.yaml\"\ndecisions:\n  added:\n    - {from: \"world\", to: "
                "\"boutique/frontend\", "
                "protocol: \"TCP\", port: 8080}\n    - {from: \"boutique/emailservice\", to: "
                "\"198.51.100.0/24\", protocol: \"TCP\", port: 587}\n";
        const QString projectFile = writeFile(dir, "shop.bulkhead", project);
        const QString out = dir.filePath("policies.yaml");
        const Run r = runCli({"generate", "--project", projectFile, "--output", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray yaml = file.readAll();
        QVERIFY(yaml.contains("cidr: 0.0.0.0/0"));
        QVERIFY(yaml.contains("cidr: \"::/0\""));
        QVERIFY(yaml.contains("- 10.244.2.0/24"));
        QVERIFY(yaml.contains("cidr: 198.51.100.0/24"));

        PipelineInputs inputs;
        inputs.inventories = {(sampleDir + "/inventory.yaml").toStdString()};
        inputs.captures = {(sampleDir + "/node1.pcapng").toStdString(),
                           (sampleDir + "/node2.pcap").toStdString()};
        auto model = buildModel(inputs);
        QVERIFY(model);
        const int world = ensureWorldNetwork(model->inventory);
        auto loaded = loadPoliciesFile(out.toStdString());
        QVERIFY(loaded);
        const PolicyEvaluator evaluator(model->inventory, *loaded);
        const int frontend = model->inventory.findWorkload("boutique/frontend");
        const int cart = model->inventory.findWorkload("boutique/cartservice");
        const int email = model->inventory.findWorkload("boutique/emailservice");
        const Peer worldPeer{PeerKind::ExternalNetwork, world, {}};
        QVERIFY(evaluator.allows(worldPeer, Peer::workload(frontend), Protocol::TCP, 8080));
        QVERIFY(!evaluator.allows(worldPeer, Peer::workload(frontend), Protocol::TCP, 8081));
        QVERIFY(!evaluator.allows(worldPeer, Peer::workload(cart), Protocol::TCP, 7070));
        const Peer anywhere{PeerKind::External, -1, *IpAddress::parse("203.0.113.77")};
        QVERIFY(evaluator.allows(anywhere, Peer::workload(frontend), Protocol::TCP, 8080));
        const Peer v6{PeerKind::External, -1, *IpAddress::parse("2001:db8::7")};
        QVERIFY(evaluator.allows(v6, Peer::workload(frontend), Protocol::TCP, 8080));
        // A deleted pod's address inside a pod range is not "the internet".
        const Peer insidePodRange{PeerKind::Unattributed, -1, *IpAddress::parse("10.244.2.250")};
        QVERIFY(!evaluator.allows(insidePodRange, Peer::workload(frontend), Protocol::TCP, 8080));
        const Peer mail{PeerKind::External, -1, *IpAddress::parse("198.51.100.25")};
        QVERIFY(evaluator.allows(Peer::workload(email), mail, Protocol::TCP, 587));
        const Peer elsewhere{PeerKind::External, -1, *IpAddress::parse("198.51.101.25")};
        QVERIFY(!evaluator.allows(Peer::workload(email), elsewhere, Protocol::TCP, 587));
    }

    // A namespace as a peer: `ns:kube-system -> boutique/frontend` admits every kube-system
    // workload on 8080 and nothing else; `boutique/frontend -> ns:kube-system` on 9153 lets
    // frontend reach every kube-system workload on that port only. An unknown namespace is an
    // error.
    void namespacePeerInDesign()
    {
        QTemporaryDir dir;
        const QByteArray head = "formatVersion: 1\ninventories:\n  - \"" + sampleDir.toUtf8()
                                + "/inventory.yaml\"\ncaptures:\n  - \"" + sampleDir.toUtf8()
                                + "/node1.pcapng\"\n  - \"" + sampleDir.toUtf8()
                                + "/node2.pcap\"\nzones: \"" + sampleDir.toUtf8()
                                + "/zones.yaml\"\ndecisions:\n  added:\n";
        const QString projectFile
            = writeFile(dir, "shop.bulkhead",
                        head
                            + "    - {from: \"ns:kube-system\", to: \"boutique/frontend\", "
                              "protocol: \"TCP\", port: 8080}\n"
                              "    - {from: \"boutique/frontend\", to: \"ns:kube-system\", "
                              "protocol: \"TCP\", port: 9153}\n");
        const QString out = dir.filePath("policies.yaml");
        const Run r = runCli({"generate", "--project", projectFile, "--output", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray yaml = file.readAll();
        QVERIFY2(yaml.contains("        cidr: \"2001:db8::50/128\"\n    - namespaceSelector:\n     "
                               "   matchLabels:\n"
                               "          kubernetes.io/metadata.name: kube-system\n    ports:\n   "
                               " - protocol: TCP\n      port: 8080\n"),
                 yaml.constData());
        QVERIFY(yaml.contains("  - to:\n    - namespaceSelector:\n        matchLabels:\n"
                              "          kubernetes.io/metadata.name: kube-system\n    ports:\n    "
                              "- protocol: TCP\n      port: 9153\n"));

        PipelineInputs inputs;
        inputs.inventories = {(sampleDir + "/inventory.yaml").toStdString()};
        inputs.captures = {(sampleDir + "/node1.pcapng").toStdString(),
                           (sampleDir + "/node2.pcap").toStdString()};
        auto model = buildModel(inputs);
        QVERIFY(model);
        auto loaded = loadPoliciesFile(out.toStdString());
        QVERIFY(loaded);
        const PolicyEvaluator evaluator(model->inventory, *loaded);
        const Inventory &inventory = model->inventory;
        const int frontend = inventory.findWorkload("boutique/frontend");
        int systemWorkloads = 0;
        for (size_t w = 0; w < inventory.workloads.size(); ++w) {
            const Peer peer = Peer::workload(static_cast<int>(w));
            const bool system = inventory.workloads[w].ns == "kube-system";
            systemWorkloads += system;
            if (static_cast<int>(w) == frontend)
                continue;
            // In: exactly kube-system's workloads and the observed clients on 8080; never on
            // another port.
            const bool observed = std::any_of(
                model->analysis.edges.begin(), model->analysis.edges.end(), [&](const Edge &e) {
                    return e.from == peer && e.to == Peer::workload(frontend) && e.port == 8080;
                });
            QCOMPARE(evaluator.allows(peer, Peer::workload(frontend), Protocol::TCP, 8080),
                     system || observed);
            QVERIFY(!evaluator.allows(peer, Peer::workload(frontend), Protocol::TCP, 8081));
            // Out: exactly kube-system's workloads on 9153 (kube-system has no policy of its own).
            QCOMPARE(evaluator.allows(Peer::workload(frontend), peer, Protocol::TCP, 9153), system);
            QVERIFY(!evaluator.allows(Peer::workload(frontend), peer, Protocol::TCP, 9154));
        }
        QVERIFY(systemWorkloads > 0);

        // An unknown namespace: exit 2, the peer named, nothing written.
        const QString wrong
            = writeFile(dir, "wrong.bulkhead",
                        head
                            + "    - {from: \"ns:monitoring\", to: \"boutique/frontend\", "
                              "protocol: \"TCP\", port: 8080}\n");
        const QString none = dir.filePath("none.yaml");
        const Run bad = runCli({"generate", "--project", wrong, "--output", none});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(bad.err, ("bulkhead-cli: " + wrong
                           + ": added edge ns:monitoring -> boutique/frontend TCP/8080: "
                             "no namespace \"monitoring\" in the inventory\n")
                              .toUtf8());
        QVERIFY(!QFileInfo::exists(none));
    }

    // An Ingress's backends are likely internet-facing: a hint in blast-radius (JSON and table),
    // from a YAML file and from kubectl's JSON alike; never an allowance (the generated policies
    // are byte for byte those without it). The skipped kinds no longer name Ingress.
    void ingressBackendsAreHints()
    {
        QTemporaryDir dir;
        const QString yaml = writeFile(dir, "ingress.yaml", R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: boutique}
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: checkoutservice, port: {number: 5050}}
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: frontend, port: {number: 80}}
      - path: /static
        pathType: Prefix
        backend:
          resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static}
      - path: /gone
        pathType: Prefix
        backend:
          service: {name: nosuchservice, port: {number: 80}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: boutique}
data: {a: b}
)");
        const QString json = writeFile(dir, "ingress.json", R"({
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "boutique"},
            "spec": {
                "defaultBackend": {"service": {"name": "checkoutservice", "port": {"number": 5050}}},
                "rules": [{"host": "shop.example.com", "http": {"paths": [
                    {"backend": {"service": {"name": "frontend", "port": {"number": 80}}}, "path": "/", "pathType": "Prefix"},
                    {"backend": {"resource": {"apiGroup": "k8s.example.com", "kind": "StorageBucket", "name": "static"}}, "path": "/static", "pathType": "Prefix"}
                ]}}]
            }
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "boutique"}, "data": {"a": "b"}}
    ],
    "kind": "List",
    "metadata": {"resourceVersion": ""}
})");
        const QStringList expected{
            "boutique/checkoutservice: Ingress boutique/web routes to Service "
            "boutique/checkoutservice",
            "boutique/frontend: Ingress boutique/web routes to Service boutique/frontend",
            "boutique/frontend: Service boutique/frontend-external is a LoadBalancer"};
        for (const QString &file : {yaml, json}) {
            const Run r
                = runCli(QStringList{"blast-radius", "--format", "json", "--inventory", file}
                         + sampleInputs());
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QStringList hints;
            for (const QJsonValue &hint : QJsonDocument::fromJson(r.out)
                                              .object()["internet"]
                                              .toObject()["likelyFacing"]
                                              .toArray())
                hints << hint.toObject()["workload"].toString() + ": "
                             + hint.toObject()["hint"].toString();
            QCOMPARE(hints, expected);
            QVERIFY2(
                r.err.contains(
                    (file
                     + ": skipped 1 object(s) of kinds Bulkhead does not read: ConfigMap (1)\n")
                        .toUtf8()),
                r.err.constData());
            QVERIFY(!r.err.contains("Ingress ("));
        }
        const Run table = runCli(QStringList{"blast-radius", "--inventory", yaml} + sampleInputs());
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(
            table.out.contains("  likely internet-facing: boutique/checkoutservice (Ingress "
                               "boutique/web routes to "
                               "Service boutique/checkoutservice); design a world edge if it is\n"),
            table.out.constData());

        // A hint, never an allowance: the same policies with and without the Ingress.
        const QString without = dir.filePath("without.yaml");
        const QString with = dir.filePath("with.yaml");
        QCOMPARE(runCli(QStringList{"generate", "--output", without} + sampleInputs()).exitCode, 0);
        QCOMPARE(
            runCli(QStringList{"generate", "--output", with, "--inventory", yaml} + sampleInputs())
                .exitCode,
            0);
        QFile a(without), b(with);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray policies = a.readAll();
        QVERIFY(policies.contains("kind: NetworkPolicy"));
        QCOMPARE(b.readAll(), policies);
    }
};

QTEST_GUILESS_MAIN(tst_ReviewCli)
#include "tst_reviewcli.moc"
