// YamlReader and the YAML entry points (core/util/yamlreader.h): typed fields with the error a
// user reads (file, line of the offending node, field path, what was found), the work budget,
// and the document checks every loader runs before reading.
#include "util/yamlreader.h"

#include "testsupport.h"

#include <QtTest>

using namespace bulkhead;

namespace {

const char *kDocument = R"(name: web
port: 8080
badPort: 70000
count: "+12"
notCount: 12abc
protocol: UDP
lowerProtocol: udp
enabled: yes
disabled: Off
address: fd00::1
network: 10.244.3.7/16
labels: {app: web, version: 2, empty: }
list: [a, b, c]
nested: {inner: [1, 2]}
nothing: null
)";

QString text(const Error &error)
{
    return QString::fromStdString(error.toString());
}

} // namespace

class tst_YamlReader : public QObject
{
    Q_OBJECT

private slots:
    void typedFields()
    {
        const YAML::Node root = YAML::Load(kDocument);
        YamlReader r("app.yaml");
        QCOMPARE(*r.string(r.child(root, "name"), "name"), std::string("web"));
        QCOMPARE(*r.string(root, "missing", "", "fallback"), std::string("fallback"));
        QCOMPARE(*r.integer(r.child(root, "count"), "count"), int64_t(12));
        QCOMPARE(*r.port(r.child(root, "port"), "port"), uint16_t(8080));
        QCOMPARE(*r.protocol(r.child(root, "protocol"), "protocol"), Protocol::UDP);
        QCOMPARE(*r.boolean(r.child(root, "enabled"), "enabled"),
                 true); // YAML 1.1, as kubectl reads it
        QCOMPARE(*r.boolean(r.child(root, "disabled"), "disabled"), false);
        QCOMPARE(r.ipAddress(r.child(root, "address"), "address")->toString(),
                 std::string("fd00::1"));
        QCOMPARE(r.cidr(r.child(root, "network"), "network")->toString(),
                 std::string("10.244.0.0/16"));
        const auto labels = r.stringMap(r.child(root, "labels"), "labels");
        QVERIFY_OK(labels);
        QCOMPARE(*labels, (std::map<std::string, std::string>{
                              {"app", "web"}, {"empty", ""}, {"version", "2"}}));
        QCOMPARE(*r.sequence(r.child(root, "list"), "list"), size_t(3));
        QCOMPARE(*r.sequence(r.child(root, "missing"), "missing"), size_t(0));
        QVERIFY(r.requireMap(r.child(root, "nested"), "nested").has_value());
        // null counts as absent.
        QVERIFY(!r.has(root, "nothing"));
        QVERIFY(r.has(root, "nested"));
        QCOMPARE(YamlReader::line(r.child(root, "protocol")), 6);
        QCOMPARE(YamlReader::line(YAML::Node()), 0);
    }

    // Each wrong field: the file, the line of the node, the path, and what was found.
    void errors_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("port out of range")
            << "badPort"
            << "port"
            << "app.yaml:3: spec.badPort: \"70000\" is not a port number (1-65535)";
        QTest::newRow("number with junk")
            << "notCount"
            << "integer"
            << "app.yaml:5: spec.notCount: expected a number, found \"12abc\"";
        QTest::newRow("protocol is case-sensitive")
            << "lowerProtocol"
            << "protocol"
            << "app.yaml:7: spec.lowerProtocol: \"udp\" is not a protocol (TCP, UDP or SCTP)";
        QTest::newRow("not a boolean")
            << "name"
            << "boolean"
            << "app.yaml:1: spec.name: expected true or false, found \"web\"";
        QTest::newRow("not an address")
            << "network"
            << "address"
            << "app.yaml:11: spec.network: \"10.244.3.7/16\" is not an IP address";
        QTest::newRow("not a CIDR")
            << "name"
            << "cidr"
            << "app.yaml:1: spec.name: \"web\" is not a CIDR (such as 10.0.0.0/8)";
        QTest::newRow("a list for a string")
            << "list"
            << "string"
            << "app.yaml:13: spec.list: expected a string, found a list";
        QTest::newRow("a map for a list")
            << "nested"
            << "sequence"
            << "app.yaml:14: spec.nested: expected a list, found a map";
        QTest::newRow("a list for a map") << "list"
                                          << "map"
                                          << "app.yaml:13: spec.list: expected a map, found a list";
        QTest::newRow("a scalar for labels")
            << "name"
            << "stringMap"
            << "app.yaml:1: spec.name: expected a map of strings, found \"web\"";
        QTest::newRow("a list in labels")
            << "nested"
            << "stringMap"
            << "app.yaml:14: spec.nested.inner: expected a string, found a list";
    }
    void errors()
    {
        QFETCH(QString, key);
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        const YAML::Node root = YAML::Load(kDocument);
        YamlReader r("app.yaml");
        const YAML::Node node = r.child(root, key.toStdString());
        const std::string path = YamlReader::join("spec", key.toStdString());
        std::optional<Error> error;
        auto take = [&](const auto &result) {
            if (!result)
                error = result.error();
        };
        if (kind == "port")
            take(r.port(node, path));
        else if (kind == "integer")
            take(r.integer(node, path));
        else if (kind == "protocol")
            take(r.protocol(node, path));
        else if (kind == "boolean")
            take(r.boolean(node, path));
        else if (kind == "address")
            take(r.ipAddress(node, path));
        else if (kind == "cidr")
            take(r.cidr(node, path));
        else if (kind == "string")
            take(r.string(node, path));
        else if (kind == "sequence")
            take(r.sequence(node, path));
        else if (kind == "map")
            take(r.requireMap(node, path));
        else if (kind == "stringMap")
            take(r.stringMap(node, path));
        QVERIFY2(error, "the field was accepted");
        QCOMPARE(text(*error), expected);
    }

    void paths()
    {
        QCOMPARE(YamlReader::join("", "spec"), std::string("spec"));
        QCOMPARE(YamlReader::join("spec", "ports"), std::string("spec.ports"));
        QCOMPARE(YamlReader::index("spec.ports", 3), std::string("spec.ports[3]"));
    }

    // The budget bounds the nodes a loader visits; once spent, fields read as absent and the
    // loader reports it.
    void budget()
    {
        const YAML::Node root = YAML::Load(kDocument);
        YamlReader r("big.yaml", 3);
        QVERIFY(r.has(root, "name")); // found at the first key: 1 unit spent
        QVERIFY(!r.exhausted());
        QVERIFY(!r.has(root, "nothing")); // the scan runs out before the 15th key
        QVERIFY(r.exhausted());
        QCOMPARE(text(r.exhaustedError(root).error()),
                 QStringLiteral("big.yaml:1: the file expands to too many YAML nodes (through "
                                "aliases?); refusing to read it"));
        YamlReader s("s.yaml", 2);
        QVERIFY(!s.sequence(YAML::Load("[1, 2, 3]"), "list")); // a list of 3 costs 4
    }

    void documents()
    {
        const auto three = parseYamlDocuments("a: 1\n---\nb: 2\n---\n", "f.yaml");
        QVERIFY_OK(three);
        QCOMPARE(three->size(), size_t(3)); // the last "---" opens an empty document
        QCOMPARE((*three)[1]["b"].as<int>(), 2);
        QVERIFY((*three)[2].IsNull());

        const auto one = parseSingleYamlDocument("---\nlevels: []\n", "zones.yaml", "zones file");
        QVERIFY_OK(one);
        QVERIFY((*one)["levels"].IsSequence());
        const auto two = parseSingleYamlDocument("a: 1\n---\nb: 2\n", "zones.yaml", "zones file");
        QVERIFY(!two);
        QCOMPARE(
            text(two.error()),
            QStringLiteral("zones.yaml:3: a zones file holds one document, this one has more"));
    }

    void badDocuments_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate key")
            << QByteArray("a: 1\nb: 2\na: 3\n")
            << "f.yaml:3: the key \"a\" appears twice in one map; remove one of them";
        QTest::newRow("syntax") << QByteArray("a: [1, 2\n")
                                << "f.yaml:2: YAML syntax error: end of sequence flow not found";
        QTest::newRow("NUL byte") << QByteArray(
            "a: 1\nb: \0\n",
            10) << "f.yaml:2: the file holds binary data (a NUL byte); YAML files are text";
        QTest::newRow("bad UTF-8") << QByteArray("a: 1\nb: caf\xe9\n")
                                   << "f.yaml:2: the file is not valid UTF-8 (byte 7 of this "
                                      "line); YAML files are UTF-8 text";
    }
    void badDocuments()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const auto documents
            = parseYamlDocuments(std::string_view(yaml.constData(), size_t(yaml.size())), "f.yaml");
        QVERIFY(!documents);
        QCOMPARE(text(documents.error()), expected);
    }
};

QTEST_GUILESS_MAIN(tst_YamlReader)
#include "tst_yamlreader.moc"
