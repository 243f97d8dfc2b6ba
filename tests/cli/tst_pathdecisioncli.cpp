// bulkhead-cli generate --project P --format cilium honours the project's path decisions
// (docs/cilium.md "Path decisions"), end to end on an HTTP capture made here
// (tests/tools/httpapp.h).
#include <QtTest>

#include "clirun.h"
#include "httpapp.h"

using namespace bulkhead::testing;

namespace {

// The (method, path) pairs of rules.http in the ingress rule from the workload `client`.
QStringList httpRulesFrom(const QByteArray &yaml, const QString &policy, const QString &client)
{
    QStringList out;
    bool inPolicy = false, inRule = false;
    QString method;
    for (const QString &line : QString::fromUtf8(yaml).split('\n')) {
        if (line == "---")
            inPolicy = inRule = false;
        if (line == "  name: " + policy)
            inPolicy = true;
        if (!inPolicy)
            continue;
        if (line.startsWith("  - fromEndpoints:") || line.startsWith("  egress:"))
            inRule = false;
        if (line == "        app: " + client)
            inRule = true;
        if (!inRule)
            continue;
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith("- method: "))
            method = trimmed.mid(10);
        else if (trimmed.startsWith("path: ")) {
            QString path = trimmed.mid(6);
            if (path.startsWith('"'))
                path = path.mid(1, path.size() - 2);
            out << method + ' ' + path;
        }
    }
    return out;
}

} // namespace

class TestPathDecisionCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rules_data();
    void rules();
    void projectThreshold();
    void badProject_data();
    void badProject();

private:
    QString writeProject(const QByteArray &decisions);
    QTemporaryDir m_dir;
};

void TestPathDecisionCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeHttpApp(m_dir.path().toStdString()));
}

QString TestPathDecisionCli::writeProject(const QByteArray &decisions)
{
    const QString path = m_dir.filePath("app.bulkhead");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write("formatVersion: 1\ninventories: [inventory.yaml]\ncaptures: [http.pcap]\n");
    f.write(decisions);
    return path;
}

void TestPathDecisionCli::rules_data()
{
    QTest::addColumn<QByteArray>("decisions");
    QTest::addColumn<QStringList>("web");
    QTest::addColumn<QStringList>("admin");
    QTest::addColumn<QString>("warning");
    const QStringList admin{"GET /users/9"};
    QTest::newRow("no decision") << QByteArray()
                                 << QStringList{"GET /orders/1", "GET /orders/2",
                                                "GET /users/[^/]+([?].*)?", "POST /orders"}
                                 << admin << QString();
    QTest::newRow("split /users") << QByteArray(
        "decisions:\n  paths:\n  - {from: shop/web, to: shop/api, port: 8080, path: /users, "
        "action: split}\n") << QStringList{"GET /orders/1", "GET /orders/2", "GET /users/1",
                                           "GET /users/2",  "GET /users/3",  "GET /users/4([?].*)?",
                                           "POST /orders"}
                                  << admin << QString();
    QTest::newRow("collapse /orders")
        << QByteArray("decisions:\n  paths:\n  - {from: shop/web, to: shop/api, port: 8080, path: "
                      "/orders, action: collapse}\n")
        << QStringList{"GET /orders/[^/]+", "GET /users/[^/]+([?].*)?", "POST /orders"} << admin
        << QString();
    // The admin's own rule is its own: a collapse for web does not touch it.
    QTest::newRow("collapse /users for admin")
        << QByteArray("decisions:\n  paths:\n  - {from: shop/admin, to: shop/api, port: 8080, "
                      "path: /users, action: collapse}\n")
        << QStringList{"GET /orders/1", "GET /orders/2", "GET /users/[^/]+([?].*)?", "POST /orders"}
        << QStringList{"GET /users/[^/]+"} << QString();
    QTest::newRow("stale: no such node")
        << QByteArray("decisions:\n  paths:\n  - {from: shop/web, to: shop/api, port: 8080, path: "
                      "/carts, action: collapse}\n")
        << QStringList{"GET /orders/1", "GET /orders/2", "GET /users/[^/]+([?].*)?", "POST /orders"}
        << admin
        << QString("path decision \"collapse /carts on shop/web -> shop/api TCP/8080\": the edge's "
                   "path tree has no "
                   "node /carts; ignored");
    QTest::newRow("stale: TLS edge")
        << QByteArray("decisions:\n  paths:\n  - {from: shop/web, to: shop/pay, port: 443, path: "
                      "/, action: collapse}\n")
        << QStringList{"GET /orders/1", "GET /orders/2", "GET /users/[^/]+([?].*)?", "POST /orders"}
        << admin
        << QString("path decision \"collapse / on shop/web -> shop/pay TCP/443\": no HTTP request "
                   "was seen on this "
                   "edge; ignored");
}

void TestPathDecisionCli::rules()
{
    QFETCH(QByteArray, decisions);
    QFETCH(QStringList, web);
    QFETCH(QStringList, admin);
    QFETCH(QString, warning);
    const QString project = writeProject(decisions);
    const QString out = m_dir.filePath("cilium.yaml");
    const CliRun run
        = runCli({"generate", "--project", project, "--format", "cilium", "--output", out});
    QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray yaml = f.readAll();
    QCOMPARE(httpRulesFrom(yaml, "api", "web"), web);
    QCOMPARE(httpRulesFrom(yaml, "api", "admin"), admin);
    if (warning.isEmpty())
        QVERIFY2(!run.err.contains("path decision"), run.err.constData());
    else
        QVERIFY2(QString::fromUtf8(run.err).contains(warning), run.err.constData());
    // Without --format cilium the decisions change nothing and say nothing.
    const CliRun plain
        = runCli({"generate", "--project", project, "--output", m_dir.filePath("np.yaml")});
    QCOMPARE(plain.exitCode, 0);
}

// options.pathCollapse of the project is generate's --path-collapse; the flag overrides it.
void TestPathDecisionCli::projectThreshold()
{
    const QString project = writeProject("options:\n  pathCollapse: 5\n");
    const QString out = m_dir.filePath("cilium.yaml");
    const auto rulesOf = [&](const QStringList &extra) {
        QFile::remove(out);
        const CliRun run = runCli(
            QStringList{"generate", "--project", project, "--format", "cilium", "--output", out}
            + extra);
        if (!run.finished || run.exitCode != 0) {
            qWarning() << run.err;
            return QStringList();
        }
        QFile f(out);
        return f.open(QIODevice::ReadOnly) ? httpRulesFrom(f.readAll(), "api", "web")
                                           : QStringList();
    };
    // Four user ids, not more than 5: every path literal.
    QCOMPARE(rulesOf({}),
             (QStringList{"GET /orders/1", "GET /orders/2", "GET /users/1", "GET /users/2",
                          "GET /users/3", "GET /users/4([?].*)?", "POST /orders"}));
    QCOMPARE(rulesOf({"--path-collapse", "2"}),
             (QStringList{"GET /orders/1", "GET /orders/2", "GET /users/[^/]+([?].*)?",
                          "POST /orders"}));
}

void TestPathDecisionCli::badProject_data()
{
    QTest::addColumn<QByteArray>("decisions");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown action")
        << QByteArray("decisions:\n  paths:\n  - {from: shop/web, to: shop/api, port: 8080, path: "
                      "/users, action: merge}\n")
        << QString("app.bulkhead:6: decisions.paths[0].action: \"merge\" is not one of collapse or "
                   "split");
    QTest::newRow("malformed path")
        << QByteArray(
               "decisions:\n  paths:\n  - {from: shop/web, to: shop/api, port: 8080, path: /users, "
               "action: split}\n"
               "  - {from: shop/web, to: shop/api, port: 8080, path: \"users/1\", action: split}\n")
        << QString("app.bulkhead:7: decisions.paths[1].path: \"users/1\" is not a path tree node");
    QTest::newRow("negative path-collapse threshold")
        << QByteArray("options:\n  pathCollapse: -2\n")
        << QString("app.bulkhead:5: options.pathCollapse: -2 is not a path-collapse threshold (0 "
                   "to 1000000; 0: never collapse)");
    QTest::newRow("path-collapse threshold not a number")
        << QByteArray("options:\n  dns: all\n  pathCollapse: 2.5\n")
        << QString("app.bulkhead:6: options.pathCollapse:");
}

// Bad input: exit 2, the file and line named, no output written.
void TestPathDecisionCli::badProject()
{
    QFETCH(QByteArray, decisions);
    QFETCH(QString, error);
    const QString project = writeProject(decisions);
    const QString out = m_dir.filePath("bad.yaml");
    QFile::remove(out);
    const CliRun run
        = runCli({"generate", "--project", project, "--format", "cilium", "--output", out});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(error), run.err.constData());
    QVERIFY(!QFile::exists(out));
}

QTEST_GUILESS_MAIN(TestPathDecisionCli)
#include "tst_pathdecisioncli.moc"
