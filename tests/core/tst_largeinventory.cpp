// Inventories at cluster scale: kubectl dumps in YAML and JSON (tests/tools/kubedump.py, written at
// test time) read by the streaming readers, with the same result in both formats, within a memory
// bound, and with errors that name the file and line.

#include "inventory/inventoryloader.h"
#include "testsupport.h"
#include "util/progress.h"

#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace bulkhead;

namespace {

bool writeDump(const QString &path, int pods)
{
    const QString command = QString("python3 '%1/tests/tools/kubedump.py' %2 '%3'")
                                .arg(BULKHEAD_SOURCE_DIR)
                                .arg(pods)
                                .arg(path);
    return std::system(command.toLocal8Bit().constData()) == 0;
}

size_t podCount(const Inventory &inv)
{
    size_t n = 0;
    for (const Workload &w : inv.workloads)
        n += w.pods.size();
    return n;
}

// Everything a policy depends on, as text, to compare two inventories.
std::string summary(const Inventory &inv)
{
    std::string out;
    for (const Workload &w : inv.workloads) {
        out += w.kind + ' ' + w.id() + " ports";
        for (const ContainerPort &p : w.ports)
            out += ' ' + p.name + ':' + std::to_string(p.port);
        for (const auto &[k, v] : w.labels)
            out += ' ' + k + '=' + v;
        for (const PodMember &pod : w.pods) {
            out += "\n  " + pod.name;
            for (const IpAddress &a : pod.addresses)
                out += ' ' + a.toString();
            if (pod.hostIp)
                out += " host " + pod.hostIp->toString();
        }
        out += '\n';
    }
    for (const Service &s : inv.services) {
        out += "svc " + s.id();
        for (const IpAddress &a : s.clusterIps)
            out += ' ' + a.toString();
        out += " backends " + std::to_string(s.backends.size()) + '\n';
    }
    for (const auto &[name, labels] : inv.namespaces)
        out += "ns " + name + ' ' + std::to_string(labels.size()) + '\n';
    return out;
}

class CountingProgress : public ProgressSink
{
public:
    void progress(uint64_t done, uint64_t total) override
    {
        ++calls;
        last = done;
        lastTotal = total;
    }
    bool isCancelled() const override { return cancel; }
    std::atomic<int> calls{0};
    uint64_t last = 0, lastTotal = 0;
    bool cancel = false;
};

} // namespace

class tst_LargeInventory : public QObject
{
    Q_OBJECT

private slots:
    void yamlAndJsonAgree();
    void tenThousandPodsWithinMemory();
    void singleJsonObject();
    void jsonItemsWithTrickyStrings();
    void errorsNameFileAndLine_data();
    void errorsNameFileAndLine();
    void progressAndCancel();
};

// The same dump as YAML and as JSON: the same workloads, pods, addresses, ports and services; and
// what pruning leaves out (env, managedFields, annotations) is never needed for them.
void tst_LargeInventory::yamlAndJsonAgree()
{
    QTemporaryDir dir;
    QVERIFY(writeDump(dir.filePath("d.yaml"), 60));
    QVERIFY(writeDump(dir.filePath("d.json"), 60));
    const auto yaml = loadInventoryFile(dir.filePath("d.yaml").toStdString());
    const auto json = loadInventoryFile(dir.filePath("d.json").toStdString());
    QVERIFY_OK(yaml);
    QVERIFY_OK(json);
    QCOMPARE(yaml->workloads.size(), size_t(12)); // 60 pods in Deployments of 5
    QCOMPARE(podCount(*yaml), size_t(60));
    QCOMPARE(yaml->services.size(), size_t(12));
    QCOMPARE(yaml->namespaces.size(), size_t(20));
    QCOMPARE(summary(*json), summary(*yaml));

    const Workload &first = yaml->workloads.front();
    QCOMPARE(first.kind, std::string("Deployment"));
    QCOMPARE(first.id(), std::string("team-00/svc-00000"));
    QCOMPARE(first.labels.at("app"), std::string("svc-00000"));
    QCOMPARE(first.ports.size(), size_t(2)); // http 8080 and metrics 9090, from the containers
    QCOMPARE(first.pods.front().addresses.front().toString(), std::string("10.16.0.0"));
    QCOMPARE(first.pods.front().hostIp->toString(), std::string("192.168.0.1"));
    QCOMPARE(yaml->services.front().backends.size(), size_t(1));
}

// A 10,000-pod dump (JSON, about 360 MB, made here) loads in a child process whose peak memory
// stays far below the file's size: memory follows what Bulkhead keeps.
void tst_LargeInventory::tenThousandPodsWithinMemory()
{
#if defined(__SANITIZE_ADDRESS__)
    QSKIP("memory bounds are not meaningful under AddressSanitizer");
#endif
    QTemporaryDir dir;
    const QString path = dir.filePath("dump-10000.json");
    QVERIFY(writeDump(path, 10000));
    const qint64 fileBytes = QFileInfo(path).size();
    QVERIFY(fileBytes > 300'000'000);

    QElapsedTimer timer;
    timer.start();
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        const auto inv = loadInventoryFile(path.toStdString());
        const bool ok = inv && inv->workloads.size() == 2000 && podCount(*inv) == 10000
                        && inv->services.size() == 2000;
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    rusage usage{};
    QCOMPARE(wait4(child, &status, 0, &usage), child);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
    const double peakMiB = double(usage.ru_maxrss) / 1024.0;
    qInfo("10,000 pods, %.0f MB of JSON: %.1f s, peak %.0f MiB", double(fileBytes) / 1e6,
          double(timer.elapsed()) / 1000.0, peakMiB);
    // The bound for 30,000 pods is 1 GiB; a third of the pods must stay well within a third of it.
    QVERIFY2(peakMiB < 300, qPrintable(QString::number(peakMiB)));
}

// `kubectl get pod NAME -o json`: one object, not a List.
void tst_LargeInventory::singleJsonObject()
{
    const std::string pod = R"({
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "annotations": {"a": "b"},
        "labels": {"app": "web", "version": "2"},
        "name": "web-0",
        "namespace": "shop"
    },
    "spec": {"containers": [{"name": "web", "env": [{"name": "X", "value": "1"}],
                             "ports": [{"containerPort": 8080, "name": "http"}]}]},
    "status": {"phase": "Running", "podIP": "10.1.2.3", "podIPs": [{"ip": "10.1.2.3"}]}
}
)";
    const auto inv = loadInventoryText(pod, "pod.json");
    QVERIFY_OK(inv);
    QCOMPARE(inv->workloads.size(), size_t(1));
    const Workload &w = inv->workloads.front();
    QCOMPARE(w.id(), std::string("shop/web-0"));
    QCOMPARE(w.labels.at("version"), std::string("2"));
    QCOMPARE(w.ports.size(), size_t(1));
    QCOMPARE(w.ports.front().port, uint16_t(8080));
    QCOMPARE(w.sourceLine, 1);
    QCOMPARE(w.pods.front().addresses.front().toString(), std::string("10.1.2.3"));
}

// Items whose strings hold brackets, escaped quotes and backslashes, some across the 64-byte blocks
// the item scanner reads at a time: every item ends where JSON says, and each workload keeps the
// line of its item (lines are counted only when asked).
void tst_LargeInventory::jsonItemsWithTrickyStrings()
{
    std::string text = "{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n";
    int line = 4;
    std::vector<int> podLines;
    for (int i = 0; i < 6; ++i) {
        // A value that looks like structure: braces, brackets, \" and \\ (the last escaping
        // nothing but itself), padded so its parts fall at every offset of a 64-byte block.
        const std::string tricky = std::string(size_t(i * 11), 'x') + "{[\\\"}]\\\\\\\"{\\\\";
        podLines.push_back(line);
        text += std::string(i ? "    ,{" : "    {")
                + "\"kind\": \"Pod\",\n"
                  "     \"metadata\": {\"name\": \"p"
                + std::to_string(i)
                + "\", \"namespace\": \"ns\",\n"
                  "       \"annotations\": {\"note\": \""
                + tricky
                + "\"},\n"
                  "       \"labels\": {\"app\": \"p"
                + std::to_string(i) + "\", \"note\": \"" + tricky
                + "\"}},\n"
                  "     \"status\": {\"podIP\": \"10.0.0."
                + std::to_string(i + 1) + "\"}}\n";
        line += 5;
    }
    text += "  ],\n  \"kind\": \"List\"\n}\n";
    const auto inv = loadInventoryText(text, "tricky.json");
    QVERIFY2(inv, inv ? "" : inv.error().toString().c_str());
    QCOMPARE(inv->workloads.size(), size_t(6));
    for (int i = 0; i < 6; ++i) {
        const Workload &w = inv->workloads[size_t(i)];
        QCOMPARE(w.id(), "ns/p" + std::to_string(i));
        QCOMPARE(w.sourceLine, podLines[size_t(i)]);
        QCOMPARE(w.labels.at("note"), std::string(size_t(i * 11), 'x') + "{[\"}]\\\"{\\");
        QCOMPARE(w.pods.front().addresses.front().toString(), "10.0.0." + std::to_string(i + 1));
    }
}

void tst_LargeInventory::errorsNameFileAndLine_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const QString head = "{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n";
    QTest::newRow("JSON: bad port in the second item")
        << head
               + "    {\"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\"}},\n"
                 "    {\"kind\": \"Service\",\n     \"metadata\": {\"name\": \"s\"},\n"
                 "     \"spec\": {\"ports\": [{\"port\": 70000}]}}\n  ],\n  \"kind\": \"List\"\n}\n"
        << "dump.json:7: items[1].spec.ports[0].port: \"70000\" is not a port number (1-65535)";
    QTest::newRow("JSON: never closed")
        << head + "    {\"kind\": \"Pod\"\n"
        << "dump.json:4: JSON syntax error: the value starting here never ends";
    QTest::newRow("JSON: items in an object that is no List")
        << head + "  ],\n  \"kind\": \"Pod\"\n}\n"
        << "dump.json:3: items: only a List (kind List or ...List) holds items, and this object's "
           "kind is \"Pod\"";
    QTest::newRow("JSON: a repeated key")
        << head
               + "    {\"kind\": \"Namespace\",\n     \"kind\": \"Pod\"}\n  ],\n  \"kind\": "
                 "\"List\"\n}\n"
        << "dump.json:5: the key \"kind\" appears twice in one map; remove one of them";
    // A second items list would be read as nothing at all: refused, as any key written twice,
    // wherever the one that is streamed stands.
    const QString twice = "\" appears twice in one map; remove one of them";
    QTest::newRow("JSON: two items lists")
        << head
               + "    {\"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\"}}\n  ],\n"
                 "  \"items\": [\n    {\"kind\": \"Namespace\", \"metadata\": {\"name\": "
                 "\"b\"}}\n  ],\n  \"kind\": \"List\"\n}\n"
        << "dump.json:6: the key \"items" + twice;
    QTest::newRow("JSON: items null, then a list")
        << "{\n  \"kind\": \"List\",\n  \"items\": null,\n  \"items\": [\n    {\"kind\": "
           "\"Namespace\", \"metadata\": {\"name\": \"a\"}}\n  ]\n}\n"
        << "dump.json:4: the key \"items" + twice;
    QTest::newRow("JSON: items written with an escape")
        << head
               + "  ],\n  \"\\u0069tems\": [\n    {\"kind\": \"Namespace\", \"metadata\": "
                 "{\"name\": \"b\"}}\n  ],\n  \"kind\": \"List\"\n}\n"
        << "dump.json:5: the key \"items" + twice;
    QTest::newRow("YAML: two items lists")
        << "apiVersion: v1\nkind: List\nitems:\n- kind: Namespace\n  metadata: {name: a}\n"
           "items:\n- kind: Namespace\n  metadata: {name: b}\n"
        << "dump.json:6: the key \"items" + twice;
    QTest::newRow("YAML: a list, then items empty")
        << "apiVersion: v1\nkind: List\nitems:\n- kind: Namespace\n  metadata: {name: a}\n"
           "items:\n"
        << "dump.json:6: the key \"items" + twice;
    QTest::newRow("YAML: items empty, then a list")
        << "kind: List\nitems: []\napiVersion: v1\nitems:\n- kind: Namespace\n  metadata: "
           "{name: a}\n"
        << "dump.json:4: the key \"items" + twice;
    QTest::newRow("YAML: a flow list, then a list")
        << "kind: List\nitems: [{kind: Namespace, metadata: {name: a}}]\nitems:\n- kind: "
           "Namespace\n  metadata: {name: b}\n"
        << "dump.json:3: the key \"items" + twice;
    QTest::newRow("YAML: a repeated key in an item's metadata")
        << "kind: List\nitems:\n- kind: Namespace\n  metadata:\n    name: a\n    labels: {x: "
           "y}\n    name: b\n"
        << "dump.json:7: the key \"name" + twice;
    QTest::newRow("YAML: two items lists, in the second document")
        << "kind: List\nitems: []\n---\nkind: List\nitems:\n- kind: Namespace\n  metadata: "
           "{name: a}\nitems: []\n"
        << "dump.json:8: the key \"items" + twice;
    QTest::newRow("YAML: bad address in the third item")
        << "apiVersion: v1\nitems:\n- kind: Namespace\n  metadata: {name: a}\n- kind: Namespace\n"
           "  metadata: {name: b}\n- kind: Pod\n  metadata:\n    name: p\n  status:\n    podIP: "
           "10.0.0.300\n"
           "kind: List\n"
        << "dump.json:11: items[2].status.podIP: \"10.0.0.300\" is not an IP address";
}

void tst_LargeInventory::errorsNameFileAndLine()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto inv = loadInventoryText(text.toStdString(), "dump.json");
    QVERIFY(!inv);
    QCOMPARE(QString::fromStdString(inv.error().toString()), error);
}

// Progress reaches the end of the file; a cancel stops the read with "cancelled".
void tst_LargeInventory::progressAndCancel()
{
    QTemporaryDir dir;
    for (const char *name : {"p.yaml", "p.json"}) {
        const QString path = dir.filePath(name);
        QVERIFY(writeDump(path, 800));
        const uint64_t size = uint64_t(QFileInfo(path).size());
        CountingProgress progress;
        const auto inv = loadInventoryFile(path.toStdString(), &progress);
        QVERIFY_OK(inv);
        QVERIFY2(progress.calls > 1, name);
        QCOMPARE(progress.last, size);
        QCOMPARE(progress.lastTotal, size);

        CountingProgress cancelling;
        cancelling.cancel = true;
        const auto cancelled = loadInventoryFile(path.toStdString(), &cancelling);
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().message, std::string("cancelled"));
    }
}

QTEST_GUILESS_MAIN(tst_LargeInventory)
#include "tst_largeinventory.moc"
