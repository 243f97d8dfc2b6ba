// Hostile YAML against every loader (inventory, NetworkPolicies, zones, project): alias bombs,
// deep nesting, huge scalars, wrong types, duplicate keys, bytes that are not UTF-8. Each must
// end quickly with an Error naming the file, the line where there is one, and a sentence that
// says what is wrong. The 200 MB inventory is labelled `slow`.
#include <QtTest>

#include "inventory/inventoryloader.h"
#include "policy/policyloader.h"
#include "project/project.h"
#include "zones/zones.h"

#include <fstream>
#include <functional>
#include <string>

using namespace bulkhead;

namespace {

enum class Loader { Inventory, Policies, Zones, Project };

std::optional<Error> load(Loader loader, const std::string &text)
{
    switch (loader) {
    case Loader::Inventory:
        if (auto r = loadInventoryText(text, "evil.yaml"); !r)
            return r.error();
        return std::nullopt;
    case Loader::Policies:
        if (auto r = loadPoliciesText(text, "evil.yaml"); !r)
            return r.error();
        return std::nullopt;
    case Loader::Zones:
        if (auto r = loadZonesText(text, "evil.yaml"); !r)
            return r.error();
        return std::nullopt;
    case Loader::Project:
        if (auto r = loadProjectText(text, "evil.yaml", "/tmp"); !r)
            return r.error();
        return std::nullopt;
    }
    return std::nullopt;
}

const char *inventoryHead = "apiVersion: bulkhead.io/v1alpha1\nkind: Inventory\n";
const char *zonesHead = "apiVersion: bulkhead.io/v1alpha1\nkind: Zones\n";
const char *policyHead = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: "
                         "p, namespace: shop}\n";
const char *projectHead = "formatVersion: 1\n";

// Nine aliases of the level before, `levels` deep: 9^levels nodes when walked. Anchors first
// (a map of them under `key`), then the value under test uses the last anchor.
std::string laughs(const std::string &leaf, int levels)
{
    std::string s = "lol:\n  l0: &l0 " + leaf + "\n";
    for (int i = 1; i <= levels; ++i) {
        s += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
        for (int j = 0; j < 9; ++j)
            s += (j ? ", *l" : "*l") + std::to_string(i - 1);
        s += "]\n";
    }
    return s;
}

} // namespace

Q_DECLARE_METATYPE(Loader)

class tst_HostileYaml : public QObject
{
    Q_OBJECT

private slots:
    void refused_data();
    void refused();
};

void tst_HostileYaml::refused_data()
{
    QTest::addColumn<Loader>("loader");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");        // expected line of the error, 0 = none known
    QTest::addColumn<QString>("message"); // a part of the message

    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string bigScalar(64 << 20, 'x'); // 64 MiB in one scalar
    const std::string nonUtf8 = "\xff\xfe\xc3\x28 garbage \x80\x81\n";

    auto row = [](const char *name, Loader loader, const std::string &text, int line,
                  const char *message) {
        QTest::newRow(name) << loader << QByteArray::fromStdString(text) << line
                            << QString::fromUtf8(message);
    };

    // Inventory.
    row("inventory: billion laughs", Loader::Inventory,
        laughs("{name: x, namespace: y}", 9) + inventoryHead + "workloads: *l9\n", 2,
        "the file expands to too many YAML nodes through aliases");
    row("inventory: deep nesting", Loader::Inventory, deep, 1,
        "nested too deep (more than 2000 levels)");
    row("inventory: huge scalar", Loader::Inventory,
        std::string(inventoryHead) + "workloads:\n  - {name: " + bigScalar + ", namespace: shop}\n",
        4, "a value is longer than 1 MiB");
    row("inventory: workloads is a number", Loader::Inventory,
        std::string(inventoryHead) + "workloads: 5\n", 3,
        "workloads: expected a list, found \"5\"");
    row("inventory: port is a list", Loader::Inventory,
        std::string(inventoryHead)
            + "workloads:\n  - name: web\n    namespace: shop\n    ports: [{port: [80]}]\n",
        6, "workloads[0].ports[0].port: a list is not a port number");
    row("inventory: duplicate key", Loader::Inventory,
        std::string(inventoryHead)
            + "workloads:\n  - name: web\n    name: db\n    namespace: shop\n",
        5, "the key \"name\" appears twice in one map");
    row("inventory: not UTF-8", Loader::Inventory,
        std::string(inventoryHead) + "workloads:\n  - {name: " + nonUtf8 + "}\n", 4,
        "not valid UTF-8 (byte 12 of this line)");

    // NetworkPolicies.
    // Three levels of 1000 aliases each: 10^9 label values if walked (15 KB of text).
    {
        auto many = [](const std::string &first, const std::string &rest) {
            std::string s = "[" + first;
            for (int i = 1; i < 1000; ++i)
                s += ", " + rest;
            return s + "]";
        };
        const std::string values = "&v " + many("a", "a");
        const std::string expressions = "&m "
                                        + many("{key: k, operator: In, values: " + values + "}",
                                               "{key: k, operator: In, values: *v}");
        const std::string peers = many("{podSelector: {matchExpressions: " + expressions + "}}",
                                       "{podSelector: {matchExpressions: *m}}");
        row("policies: billion laughs", Loader::Policies,
            std::string(policyHead) + "spec:\n  podSelector: {}\n  ingress: [{from: " + peers
                + "}]\n",
            6, "");
    }
    row("policies: deep nesting", Loader::Policies, deep, 1,
        "nested too deep (more than 2000 levels)");
    row("policies: huge scalar", Loader::Policies,
        std::string(policyHead) + "spec:\n  podSelector: {matchLabels: {app: " + bigScalar + "}}\n",
        5, "this line is longer than 1 MiB");
    row("policies: spec is a string", Loader::Policies,
        std::string(policyHead) + "spec: everything\n", 4, "spec: must be a map");
    row("policies: ports is a map", Loader::Policies,
        std::string(policyHead) + "spec:\n  podSelector: {}\n  ingress: [{ports: {port: 80}}]\n", 6,
        "spec.ingress[0].ports: must be a list");
    row("policies: duplicate key", Loader::Policies,
        std::string(policyHead)
            + "spec:\n  podSelector: {}\n  podSelector: {matchLabels: {app: x}}\n",
        6, "the key \"podSelector\" appears twice in one map");
    row("policies: not UTF-8", Loader::Policies,
        std::string(policyHead) + "spec: {podSelector: {matchLabels: {app: " + nonUtf8 + "}}}\n", 4,
        "not valid UTF-8 (byte 41 of this line)");

    // Found by fuzz_policies: yaml-cpp 0.7's LoadAll never returned on it (timeout; the leading
    // commas are the cause, see "a lone comma"); the NUL bytes now stop it first.
    row("policies: fuzz timeout, NUL bytes in a key", Loader::Policies,
        std::string(50, ',')
            + std::string("api\\ersion: ne\0\0\0\0\0\0\0\0tworking.k8s.io/v0\nkind: "
                          "NetworkPolicy\nm: {na`e: bad}\na\n",
                          77),
        1, "the file holds binary data (a NUL byte)");

    // Found by fuzz_zones (then fuzz_policies): yaml-cpp 0.7's LoadAll never returns on a lone ','.
    row("policies: fuzz timeout, a lone comma", Loader::Policies, ",", 1,
        "the parser cannot get past this line");
    row("inventory: a lone comma", Loader::Inventory, ",", 1,
        "YAML syntax error: while parsing a block node: did not find expected node content");

    // Zones.
    row("zones: billion laughs", Loader::Zones,
        laughs("{name: x}", 9) + zonesHead + "levels: *l9\n", 2,
        "the file expands to too many YAML nodes through aliases");
    row("zones: deep nesting", Loader::Zones, deep, 1, "nested too deep (more than 2000 levels)");
    row("zones: huge scalar", Loader::Zones,
        std::string(zonesHead) + "levels: [{name: " + bigScalar + "}]\ndefault: a\n", 3,
        "this line is longer than 1 MiB");
    row("zones: levels is a string", Loader::Zones, std::string(zonesHead) + "levels: high\n", 3,
        "levels: expected a list, found \"high\"");
    row("zones: maxLevelsUp is text", Loader::Zones,
        std::string(zonesHead)
            + "levels: [{name: a}, {name: b}]\ndefault: a\nrules: [{name: r, maxLevelsUp: lots, "
              "action: flag}]\n",
        5, "rules[0].maxLevelsUp");
    row("zones: duplicate key", Loader::Zones,
        std::string(zonesHead) + "levels: [{name: a}, {name: b}]\ndefault: a\ndefault: b\n", 5,
        "the key \"default\" appears twice in one map");
    row("zones: not UTF-8", Loader::Zones,
        std::string(zonesHead) + "levels: [{name: " + nonUtf8 + "}]\ndefault: a\n", 3,
        "not valid UTF-8 (byte 17 of this line)");

    // Found by fuzz_zones: yaml-cpp 0.7's LoadAll never returned on these three bytes (timeout);
    // the invalid UTF-8 now stops it first.
    row("zones: fuzz timeout", Loader::Zones, std::string(",\xff\x0b", 3), 1,
        "not valid UTF-8 (byte 2 of this line)");

    row("zones: fuzz timeout, a lone comma", Loader::Zones, ",", 1,
        "the parser cannot get past this line");

    // Project.
    row("project: billion laughs", Loader::Project,
        laughs("a.yaml", 9) + projectHead + "inventories: *l9\n", 2,
        "the file expands to too many YAML nodes through aliases");
    row("project: deep nesting", Loader::Project, deep, 1,
        "nested too deep (more than 2000 levels)");
    row("project: huge scalar", Loader::Project,
        std::string(projectHead) + "inventories: [" + bigScalar + "]\nzones: [1]\n", 2,
        "this line is longer than 1 MiB");
    row("project: formatVersion is a list", Loader::Project, "formatVersion: [1]\n", 1,
        "formatVersion: expected a number, found a list");
    row("project: decisions is a string", Loader::Project,
        std::string(projectHead) + "decisions: all\n", 2,
        "decisions: expected a map, found \"all\"");
    row("project: duplicate key", Loader::Project,
        std::string(projectHead) + "zones: a.yaml\nzones: b.yaml\n", 3,
        "the key \"zones\" appears twice in one map");
    row("project: not UTF-8", Loader::Project,
        std::string(projectHead) + "inventories: [" + nonUtf8 + "]\n", 2,
        "not valid UTF-8 (byte 15 of this line)");
}

void tst_HostileYaml::refused()
{
    QFETCH(Loader, loader);
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, message);
    QElapsedTimer timer;
    timer.start();
    const std::optional<Error> error = load(loader, text.toStdString());
    const qint64 ms = timer.elapsed();
    QVERIFY2(error, "the hostile text was accepted");
    qInfo("%lld ms: %s", ms, error->toString().substr(0, 300).c_str());
    QCOMPARE(error->file, std::string("evil.yaml"));
    QVERIFY2(ms < 5000, qPrintable(QString("took %1 ms").arg(ms)));
    QCOMPARE(error->line, line);
    QVERIFY2(QString::fromStdString(error->message).contains(message), error->message.c_str());
}

QTEST_GUILESS_MAIN(tst_HostileYaml)
#include "tst_hostileyaml.moc"
