// The .bulkhead project file (docs/semantics.md "Project file"): round trip, relative paths,
// version refusal, errors with their line, deterministic bytes.
#include "project/project.h"
#include "testsupport.h"
#include "util/atomicfile.h"

#include <QtTest>

#include <filesystem>

using namespace bulkhead;

namespace {

EdgeRef ref(const char *from, const char *to, Protocol protocol, uint16_t port)
{
    return EdgeRef{from, to, protocol, port};
}

// A project whose paths live under root: inputs/, captures/ and the zones file beside them.
Project sampleProject(const std::string &root)
{
    Project p;
    p.inventories = {root + "/inputs/inventory.yaml", root + "/inputs/extra hosts.yaml"};
    p.captures = {root + "/captures/node1.pcapng", root + "/captures/010"};
    p.zones = root + "/zones.yaml";
    p.options.granularity = "zone";
    p.options.dns = "all";
    p.options.namedPorts = true;
    p.options.includeSystemNamespaces = false;
    p.options.pathCollapse = 2;
    p.decisions.added = {ref("ns:monitoring", "shop/web", Protocol::TCP, 8080),
                         ref("shop/cart", "corp-vpn", Protocol::TCP, 22),
                         ref("shop/web", "203.0.113.7", Protocol::UDP, 53)};
    p.decisions.denied = {ref("shop/web", "ns:monitoring", Protocol::TCP, 9090),
                          ref("shop/web", "shop/db", Protocol::TCP, 5432)};
    p.decisions.zoneOverrides = {{"shop/cart", "restricted"}, {"shop/yes", "true"}};
    return p;
}

const char *expectedYaml = R"(formatVersion: 1
inventories:
  - "../inputs/inventory.yaml"
  - "../inputs/extra hosts.yaml"
captures:
  - "../captures/node1.pcapng"
  - "../captures/010"
zones: "../zones.yaml"
options:
  granularity: "zone"
  dns: "all"
  namedPorts: true
  includeSystemNamespaces: false
  pathCollapse: 2
decisions:
  added:
    - {from: "ns:monitoring", to: "shop/web", protocol: "TCP", port: 8080}
    - {from: "shop/cart", to: "corp-vpn", protocol: "TCP", port: 22}
    - {from: "shop/web", to: "203.0.113.7", protocol: "UDP", port: 53}
  denied:
    - {from: "shop/web", to: "ns:monitoring", protocol: "TCP", port: 9090}
    - {from: "shop/web", to: "shop/db", protocol: "TCP", port: 5432}
  zoneOverrides:
    "shop/cart": "restricted"
    "shop/yes": "true"
)";

} // namespace

class tst_Project : public QObject
{
    Q_OBJECT

private slots:
    void saveLoadRoundTrip();
    void bytesAreDeterministic();
    void flowsRoundTripRelative();
    void pathDecisionsRoundTrip();
    void relativePaths_data();
    void relativePaths();
    void defaults();
    void errors_data();
    void errors();
};

void tst_Project::saveLoadRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    std::filesystem::create_directories(root + "/project");
    const std::string file = root + "/project/shop.bulkhead";

    const Project original = sampleProject(root);
    const auto saved = saveProject(original, file);
    QVERIFY_OK(saved);

    const auto text = readFile(file);
    QVERIFY(text);
    QCOMPARE(QString::fromStdString(*text), QString::fromUtf8(expectedYaml));

    auto loaded = loadProject(file);
    QVERIFY_OK(loaded);
    QCOMPARE(loaded->path, file);
    Project expected = original;
    expected.path = file;
    QCOMPARE(loaded->inventories, expected.inventories);
    QCOMPARE(loaded->captures, expected.captures);
    QCOMPARE(loaded->zones, expected.zones);
    QVERIFY(loaded->options == expected.options);
    QVERIFY(loaded->decisions == expected.decisions);
    QVERIFY(*loaded == expected);
}

// Hubble flow files: written as `flows:` relative to the project file, only when there are some.
// Path decisions (docs/cilium.md "Path decisions") are written sorted, only when there are some,
// and read back equal.
void tst_Project::pathDecisionsRoundTrip()
{
    Project project;
    project.inventories = {"/p/inventory.yaml"};
    project.decisions.paths
        = {{"shop/web", "shop/api", 8080, "/users/[^/]+/orders", PathAction::Split},
           {"shop/web", "shop/api", 8080, "/users", PathAction::Collapse}};
    const std::string yaml = projectToYaml(project, "/p");
    QVERIFY2(yaml.find("  paths:\n"
                       "    - {from: \"shop/web\", to: \"shop/api\", port: 8080, path: \"/users\", "
                       "action: \"collapse\"}\n"
                       "    - {from: \"shop/web\", to: \"shop/api\", port: 8080, path: "
                       "\"/users/[^/]+/orders\", action: \"split\"}\n")
                 != std::string::npos,
             yaml.c_str());
    const auto again = loadProjectText(yaml, "p.bulkhead", "/p");
    QVERIFY2(again, again ? "" : again.error().toString().c_str());
    QCOMPARE(again->decisions.paths.size(), size_t(2));
    QCOMPARE(again->decisions.paths[0].path, std::string("/users"));
    QVERIFY(again->decisions.paths[0].action == PathAction::Collapse);
    QCOMPARE(again->decisions.paths[1].path, std::string("/users/[^/]+/orders"));
    QVERIFY(again->decisions.paths[1].action == PathAction::Split);
    Project none;
    QVERIFY(projectToYaml(none, "/p").find("paths") == std::string::npos);
}

void tst_Project::flowsRoundTripRelative()
{
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    std::filesystem::create_directories(root + "/project");
    const std::string file = root + "/project/shop.bulkhead";
    Project original = sampleProject(root);
    original.flows = {root + "/hubble/flows.json"};
    QVERIFY(saveProject(original, file));
    const auto text = readFile(file);
    QVERIFY(text);
    QVERIFY2(text->find("flows:\n  - \"../hubble/flows.json\"\n") != std::string::npos,
             text->c_str());
    auto loaded = loadProject(file);
    QVERIFY_OK(loaded);
    QCOMPARE(loaded->flows, original.flows);
}

void tst_Project::bytesAreDeterministic()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    const std::string file = root + "/p.bulkhead";
    Project p = sampleProject(root);
    QVERIFY(saveProject(p, file));
    const auto first = readFile(file);
    // Load, save again: the same bytes.
    auto loaded = loadProject(file);
    QVERIFY(loaded);
    QVERIFY(saveProject(*loaded, file));
    const auto second = readFile(file);
    QVERIFY(first && second);
    QCOMPARE(*second, *first);
    // Decisions in another order, with a duplicate: the same bytes.
    std::reverse(p.decisions.added.begin(), p.decisions.added.end());
    p.decisions.added.push_back(p.decisions.added.front());
    QCOMPARE(projectToYaml(p, root), *first);
}

void tst_Project::relativePaths_data()
{
    QTest::addColumn<QString>("projectDir");
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("usable");

    QTest::newRow("beside") << "samples/shop"
                            << "inventory.yaml"
                            << "samples/shop/inventory.yaml";
    QTest::newRow("sub folder") << "samples/shop"
                                << "./captures/a.pcap"
                                << "samples/shop/captures/a.pcap";
    QTest::newRow("parent") << "samples/shop"
                            << "../common/zones.yaml"
                            << "samples/common/zones.yaml";
    QTest::newRow("absolute") << "samples/shop"
                              << "/data/inv.yaml"
                              << "/data/inv.yaml";
    QTest::newRow("project in the working folder") << ""
                                                   << "inv.yaml"
                                                   << "inv.yaml";
    QTest::newRow("absolute folder") << "/srv/p"
                                     << "x/inv.yaml"
                                     << "/srv/p/x/inv.yaml";
}

void tst_Project::relativePaths()
{
    QFETCH(QString, projectDir);
    QFETCH(QString, written);
    QFETCH(QString, usable);
    const std::string text = "formatVersion: 1\ninventories: [\"" + written.toStdString()
                             + "\"]\ncaptures: [\"" + written.toStdString() + "\"]\nzones: \""
                             + written.toStdString() + "\"\n";
    const auto project = loadProjectText(text, "p.bulkhead", projectDir.toStdString());
    QVERIFY_OK(project);
    QCOMPARE(project->inventories, std::vector<std::string>{usable.toStdString()});
    QCOMPARE(project->captures, std::vector<std::string>{usable.toStdString()});
    QCOMPARE(project->zones.value_or(""), usable.toStdString());
}

void tst_Project::defaults()
{
    const auto project = loadProjectText("formatVersion: 1\n", "p.bulkhead", "");
    QVERIFY(project);
    QVERIFY(project->inventories.empty());
    QVERIFY(!project->zones);
    QCOMPARE(project->options.granularity, std::string("workload"));
    QCOMPARE(project->options.dns, std::string("observed"));
    QVERIFY(!project->options.namedPorts);
    QCOMPARE(project->options.pathCollapse, 3); // generate's --path-collapse default
    QVERIFY(project->decisions.empty());

    // An empty project writes empty lists and reads back the same.
    const std::string yaml = projectToYaml(*project, "");
    QVERIFY2(yaml.find("inventories: []\n") != std::string::npos, yaml.c_str());
    QVERIFY2(yaml.find("zoneOverrides: {}\n") != std::string::npos, yaml.c_str());
    QVERIFY2(yaml.find("  pathCollapse: 3\n") != std::string::npos, yaml.c_str());
    const auto again = loadProjectText(yaml, "p.bulkhead", "");
    QVERIFY(again);
    QVERIFY(*again == *project);
}

void tst_Project::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // Error::toString()

    QTest::newRow("newer version")
        << "formatVersion: 7\ninventories: [a.yaml]\nsomethingNew: {x: 1}\n"
        << "project.bulkhead:1: format version 7 is newer than this Bulkhead understands (1); "
           "upgrade Bulkhead";
    QTest::newRow("newer version, later line")
        << "# a comment\ninventories: [a.yaml]\nformatVersion: 2\n"
        << "project.bulkhead:3: format version 2 is newer than this Bulkhead understands (1); "
           "upgrade Bulkhead";
    QTest::newRow("version zero")
        << "formatVersion: 0\n"
        << "project.bulkhead:1: formatVersion: format version 0 does not exist (the first is 1)";
    QTest::newRow("no version")
        << "inventories: [a.yaml]\n"
        << "project.bulkhead:1: not a Bulkhead project: it has no formatVersion";
    QTest::newRow("not a map") << "- a\n- b\n"
                               << "project.bulkhead:1: not a Bulkhead project (expected a map "
                                  "starting with formatVersion: 1)";
    QTest::newRow("two documents")
        << "formatVersion: 1\n---\nformatVersion: 1\n"
        << "project.bulkhead:3: a project file holds one document, this one has more";
    QTest::newRow("syntax error") << "formatVersion: 1\ninventories: [a.yaml\ncaptures: []\n"
                                  << "SYNTAX@3";
    QTest::newRow("edge without port")
        << "formatVersion: 1\ndecisions:\n  added:\n    - {from: shop/a, to: shop/b}\n"
        << "project.bulkhead:4: decisions.added[0]: the edge has no \"port\"";
    QTest::newRow("bad protocol")
        << "formatVersion: 1\ndecisions:\n  denied:\n    - {from: shop/a, to: shop/b, port: 80}\n  "
           "  - {from: shop/a, to: shop/b, protocol: ICMP, port: 80}\n"
        << "PREFIX:project.bulkhead:5: decisions.denied[1].protocol:";
    QTest::newRow("bad dns option")
        << "formatVersion: 1\noptions:\n  dns: sometimes\n"
        << "project.bulkhead:3: options.dns: \"sometimes\" is not one of observed or all";
    QTest::newRow("negative path-collapse threshold")
        << "formatVersion: 1\noptions:\n  granularity: zone\n  pathCollapse: -1\n"
        << "project.bulkhead:4: options.pathCollapse: -1 is not a path-collapse threshold (0 to "
           "1000000; 0: never collapse)";
    QTest::newRow("path-collapse threshold too large")
        << "formatVersion: 1\noptions: {pathCollapse: 1000001}\n"
        << "project.bulkhead:2: options.pathCollapse: 1000001 is not a path-collapse threshold (0 "
           "to 1000000; 0: never collapse)";
    QTest::newRow("path-collapse threshold not a number")
        << "formatVersion: 1\noptions:\n  pathCollapse: three\n"
        << "PREFIX:project.bulkhead:3: options.pathCollapse:";
    QTest::newRow("path decision, unknown action")
        << "formatVersion: 1\ndecisions:\n  paths:\n    - {from: shop/web, to: shop/api, port: "
           "8080, path: /users, action: split}\n"
           "    - {from: shop/web, to: shop/api, port: 8080, path: /users, action: widen}\n"
        << "project.bulkhead:5: decisions.paths[1].action: \"widen\" is not one of collapse or "
           "split";
    QTest::newRow("path decision, malformed path")
        << "formatVersion: 1\ndecisions:\n  paths:\n\n    - {from: shop/web, to: shop/api, port: "
           "8080, path: \"users/?\", action: collapse}\n"
        << "project.bulkhead:5: decisions.paths[0].path: \"users/?\" is not a path tree node "
           "(\"/\", \"/users\" or "
           "\"/users/[^/]+\": segments without '?', '#', brackets or spaces)";
    QTest::newRow("path decision, empty segment")
        << "formatVersion: 1\ndecisions:\n  paths:\n    - {from: shop/web, to: shop/api, port: "
           "8080, path: \"/a//b\", action: collapse}\n"
        << "PREFIX:project.bulkhead:4: decisions.paths[0].path: \"/a//b\" is not a path tree node";
    QTest::newRow("path decision, no port")
        << "formatVersion: 1\ndecisions:\n  paths:\n    - {from: shop/web, to: shop/api, path: "
           "/users, action: collapse}\n"
        << "project.bulkhead:4: decisions.paths[0]: the path decision has no \"port\"";
    QTest::newRow("path decision, not a workload")
        << "formatVersion: 1\ndecisions:\n  paths:\n    - {from: 10.0.0.1, to: shop/api, port: "
           "8080, path: /users, action: collapse}\n"
        << "project.bulkhead:4: decisions.paths[0].from: \"10.0.0.1\" is not a workload "
           "(namespace/name)";
    QTest::newRow("inventories not a list") << "formatVersion: 1\ninventories: {a: b}\n"
                                            << "PREFIX:project.bulkhead:2: inventories:";
}

void tst_Project::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto project = loadProjectText(text.toStdString(), "project.bulkhead", "");
    QVERIFY(!project);
    const QString actual = QString::fromStdString(project.error().toString());
    if (error.startsWith("SYNTAX@")) {
        QCOMPARE(project.error().line, error.mid(7).toInt());
        QVERIFY2(actual.contains("YAML syntax error"), qPrintable(actual));
    } else if (error.startsWith("PREFIX:")) {
        QVERIFY2(actual.startsWith(error.mid(7)), qPrintable(actual));
    } else {
        QCOMPARE(actual, error);
    }
}

QTEST_GUILESS_MAIN(tst_Project)
#include "tst_project.moc"
