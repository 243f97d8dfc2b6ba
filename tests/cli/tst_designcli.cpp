// bulkhead-cli end to end on the Online Boutique sample: blast-radius, and generate
// with a project's decisions and --fail-on flag (docs/semantics.md "Blast radius", "Zone rules").
#include <QtTest>

#include "clirun.h"

namespace {

const QString sampleDir = bulkhead::testing::sampleDirectory();
const QString cli = QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead-cli");

using Run = bulkhead::testing::CliRun;
using bulkhead::testing::jsonStrings;
using bulkhead::testing::runCli;
using bulkhead::testing::sampleInputs;

} // namespace

class tst_DesignCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void blastRadiusJson();
    void blastRadiusErrors_data();
    void blastRadiusErrors();
    void generateFailOnFlag();
    void generateFromProject();
};

void tst_DesignCli::initTestCase()
{
    if (!QFileInfo::exists(sampleDir + "/node1.pcapng"))
        QSKIP("the Online Boutique sample is not in this tree");
    QVERIFY2(QFileInfo::exists(cli), qPrintable(cli));
}

void tst_DesignCli::blastRadiusJson()
{
    const Run run
        = runCli(QStringList{"blast-radius"} + sampleInputs() + QStringList{"--format", "json"});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(root["policy"].toString(), QString("intent"));
    const QJsonArray workloads = root["workloads"].toArray();
    QCOMPARE(workloads.size(), 13);
    QMap<QString, QJsonObject> byName;
    for (const QJsonValue &w : workloads)
        byName[w["workload"].toString()] = w.toObject();
    // By hand from the sample's call graph (samples/online-boutique/README.md).
    const QJsonObject loadgen = byName["boutique/loadgenerator"];
    QCOMPARE(loadgen["reach"].toArray().size(), 12);
    QCOMPARE(jsonStrings(loadgen["direct"]),
             (QStringList{"boutique/frontend", "kube-system/coredns"}));
    QCOMPARE(loadgen["highestZone"].toString(), QString("restricted"));
    QCOMPARE(jsonStrings(loadgen["paths"].toObject()["boutique/redis-cart"]),
             (QStringList{"boutique/loadgenerator", "boutique/frontend", "boutique/cartservice",
                          "boutique/redis-cart"}));
    const QJsonObject cart = byName["boutique/cartservice"];
    QCOMPARE(jsonStrings(cart["reach"]),
             (QStringList{"boutique/redis-cart", "kube-system/coredns"}));
    QCOMPARE(
        jsonStrings(cart["reachedBy"]),
        (QStringList{"boutique/checkoutservice", "boutique/frontend", "boutique/loadgenerator"}));
    QCOMPARE(cart["byZone"].toObject()["restricted"].toInt(), 1);
    QCOMPARE(cart["baseline"].toInt(), 12);
    QVERIFY(byName["boutique/paymentservice"]["highestZone"].isNull());

    const Run none = runCli(
        QStringList{"blast-radius"} + sampleInputs()
        + QStringList{"--policy", "none", "--workload", "boutique/adservice", "--format", "json"});
    QCOMPARE(none.exitCode, 0);
    const QJsonObject noneRoot = QJsonDocument::fromJson(none.out).object();
    QCOMPARE(noneRoot["policy"].toString(), QString("none"));
    QCOMPARE(noneRoot["workloads"].toArray().size(), 1);
    QCOMPARE(noneRoot["workloads"][0]["reach"].toArray().size(), 12);
}

void tst_DesignCli::blastRadiusErrors_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown workload")
        << QStringList{"--workload", "boutique/nope"} << "no workload \"boutique/nope\"";
    QTest::newRow("policies not YAML")
        << QStringList{"--policies", sampleDir + "/node2.pcap"} << "node2.pcap";
}

void tst_DesignCli::blastRadiusErrors()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, message);
    const Run run = runCli(QStringList{"blast-radius"} + sampleInputs() + extra);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
}

void tst_DesignCli::generateFailOnFlag()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString policies = dir.filePath("policies.yaml");
    const QString report = dir.filePath("report.json");
    const Run run
        = runCli(QStringList{"generate"} + sampleInputs()
                 + QStringList{"--output", policies, "--report", report, "--fail-on", "flag"});
    QCOMPARE(run.exitCode, 1); // frontend -> cartservice and -> checkoutservice climb two levels
    QVERIFY(QFileInfo(policies).size() > 0);
    QFile file(report);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray flagged = root["flagged"].toArray();
    QCOMPARE(flagged.size(), 2);
    QCOMPARE(flagged[0]["to"].toString(), QString("boutique/cartservice"));
    QCOMPARE(flagged[1]["to"].toString(), QString("boutique/checkoutservice"));
    QCOMPARE(flagged[0]["rule"].toString(), QString("one-step-up"));
    QCOMPARE(root["blocked"].toArray().size(), 0);

    const Run without
        = runCli(QStringList{"generate"} + sampleInputs() + QStringList{"--output", policies});
    QCOMPARE(without.exitCode, 0);
}

void tst_DesignCli::generateFromProject()
{
    // The README's example: move cartservice to restricted and the block rule cuts frontend ->
    // cart.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString project = dir.filePath("shop.bulkhead");
    QFile file(project);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QString relative = QDir(dir.path()).relativeFilePath(sampleDir);
    file.write(QStringLiteral("formatVersion: 1\n"
                              "inventories: [\"%1/inventory.yaml\"]\n"
                              "captures: [\"%1/node1.pcapng\", \"%1/node2.pcap\"]\n"
                              "zones: \"%1/zones.yaml\"\n"
                              "decisions:\n"
                              "  denied: [{from: boutique/frontend, to: boutique/checkoutservice, "
                              "protocol: TCP, port: 5050}]\n"
                              "  zoneOverrides: {boutique/cartservice: restricted}\n")
                   .arg(relative)
                   .toUtf8());
    file.close();
    const QString report = dir.filePath("report.json");
    const Run run = runCli({"generate", "--project", project, "--output", dir.filePath("p.yaml"),
                            "--report", report, "--fail-on", "flag"});
    QVERIFY2(run.exitCode == 0,
             run.err.constData()); // the only flags are gone: one blocked, one denied
    QFile reportFile(report);
    QVERIFY(reportFile.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(reportFile.readAll()).object();
    QCOMPARE(root["flagged"].toArray().size(), 0);
    const QJsonArray blocked = root["blocked"].toArray();
    QCOMPARE(blocked.size(), 1);
    QCOMPARE(blocked[0]["from"].toString(), QString("boutique/frontend"));
    QCOMPARE(blocked[0]["to"].toString(), QString("boutique/cartservice"));
    QCOMPARE(blocked[0]["rule"].toString(), QString("no-public-to-restricted"));
    QCOMPARE(root["denied"].toArray().size(), 1);
    QCOMPARE(root["intentEdges"].toInt(), 21);
}

QTEST_GUILESS_MAIN(tst_DesignCli)
#include "tst_designcli.moc"
