// bulkhead-cli render --level / --focus / --hops / --open on a generated 600-workload model
// (tests/tools/largemodel.py: svcN in namespace ns(N % 20), zone N % 4 of public, internal,
// confidential, restricted): the .dot output holds one Graphviz node per box drawn.
#include "clirun.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using bulkhead::testing::runCli;

namespace {

// The nodes of a DOT file written by cgraph: lines `nN [...]`, with the box key in bulkhead_key.
QStringList dotKeys(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    QStringList keys;
    static const QRegularExpression key(QStringLiteral(R"(bulkhead_key="([^"]*)\")"));
    for (auto it = key.globalMatch(text); it.hasNext();)
        keys << it.next().captured(1);
    return keys;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestRenderCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QProcess python;
        python.start(QStringLiteral("python3"),
                     {QStringLiteral(BULKHEAD_SOURCE_DIR "/tests/tools/largemodel.py"),
                      m_dir.path(), QStringLiteral("600")});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
    }

    void levels_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("boxes");
        QTest::addColumn<QString>("level");
        QTest::addColumn<QString>("someKey");
        QTest::addColumn<int>("arrows"); // -1: not checked
        // 600 workloads and no other peer: above 300 boxes, auto picks the 20 namespaces. Every
        // zone calls every other both ways: 6 arrows at the zones level; at the namespaces level
        // too (one per pair of zone clusters, not 380 between namespaces: docs/gui.md).
        QTest::newRow("auto") << QStringList{} << 20 << "namespaces"
                              << "n:public/ns00" << 6;
        QTest::newRow("zones") << QStringList{"--level", "zones"} << 4 << "zones"
                               << "z:restricted" << 6;
        QTest::newRow("namespaces") << QStringList{"--level", "namespaces"} << 20 << "namespaces"
                                    << "n:internal/ns01" << 6;
        QTest::newRow("workloads")
            << QStringList{"--level", "workloads", "--engine", "grid"} << 600 << "workloads"
            << "w:ns05/svc00005" << -1;
    }

    void levels()
    {
        QFETCH(QStringList, options);
        QFETCH(int, boxes);
        QFETCH(QString, level);
        QFETCH(QString, someKey);
        QFETCH(int, arrows);
        const QString dot
            = m_dir.filePath(QStringLiteral("graph-%1.dot").arg(QTest::currentDataTag()));
        const auto r
            = runCli(QStringList{"render", "--inventory", m_dir.filePath("inventory.yaml"),
                                 "--capture", m_dir.filePath("capture.pcap"), "--output", dot}
                     + options);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains(QStringLiteral("%1 boxes").arg(boxes).toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains(QStringLiteral("at the %1 level").arg(level).toUtf8()),
                 r.err.constData());
        if (arrows >= 0)
            QVERIFY2(r.err.contains(
                         QStringLiteral("%1 boxes, %2 arrows").arg(boxes).arg(arrows).toUtf8()),
                     r.err.constData());
        const QStringList keys = dotKeys(dot);
        QCOMPARE(keys.size(), boxes);
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), boxes);
        QVERIFY2(keys.contains(someKey), qPrintable(keys.mid(0, 5).join(' ')));
    }

    void focus()
    {
        const QString dot = m_dir.filePath(QStringLiteral("focus.dot"));
        const QStringList inputs{"--inventory", m_dir.filePath("inventory.yaml"), "--capture",
                                 m_dir.filePath("capture.pcap")};
        auto r = runCli(QStringList{"render"} + inputs
                        + QStringList{"--output", dot, "--focus", "ns07/svc00007"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList one = dotKeys(dot);
        QVERIFY(one.contains("w:ns07/svc00007"));
        // svc00007 talks to three others and a few talk to it: a handful of boxes, not 600.
        QVERIFY2(one.size() >= 3 && one.size() <= 20, qPrintable(one.join(' ')));
        QVERIFY(r.err.contains("at the focus level"));
        r = runCli(QStringList{"render"} + inputs
                   + QStringList{"--output", dot, "--focus", "ns07/svc00007", "--hops", "2"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList two = dotKeys(dot);
        QVERIFY(two.size() > one.size());
        for (const QString &key : one)
            QVERIFY(two.contains(key));

        // An unknown workload: exit 2, a message naming it, no file.
        QFile::remove(dot);
        r = runCli(QStringList{"render"} + inputs
                   + QStringList{"--output", dot, "--focus", "ns07/nothing"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("ns07/nothing"));
        QVERIFY(!QFile::exists(dot));
        r = runCli(QStringList{"render"} + inputs
                   + QStringList{"--output", dot, "--level", "focus"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--focus"));
    }

    void openZoneNamespaceOrGroup()
    {
        // 1,220 workloads: each namespace holds 61 of one name stem, over the limit of 60, so it
        // opens on two name ranges (docs/gui.md, "Groups in a big namespace").
        QTemporaryDir big;
        QVERIFY(big.isValid());
        QProcess python;
        python.start(QStringLiteral("python3"),
                     {QStringLiteral(BULKHEAD_SOURCE_DIR "/tests/tools/largemodel.py"), big.path(),
                      QStringLiteral("1220")});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        const QStringList inputs{"--inventory", big.filePath("inventory.yaml"), "--capture",
                                 big.filePath("capture.pcap")};
        const QString dot = big.filePath(QStringLiteral("open.dot"));
        const auto render = [&](const QStringList &options) {
            return runCli(QStringList{"render"} + inputs + QStringList{"--output", dot} + options);
        };
        // A zone: its 5 namespaces and the 3 other zones.
        auto r = render({"--open", "public"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("8 boxes") && r.err.contains("at the namespaces level"),
                 r.err.constData());
        // A big namespace: its 2 ranges, public's 4 other namespaces, the 3 other zones.
        r = render({"--open", "public/ns00"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("at the workloads level"), r.err.constData());
        QStringList keys = dotKeys(dot);
        keys.sort();
        QCOMPARE(keys, (QStringList{"n:public/ns04", "n:public/ns08", "n:public/ns12",
                                    "n:public/ns16", "s:public/ns00/svc00000 – svc00580",
                                    "s:public/ns00/svc00600 – svc01200", "z:confidential",
                                    "z:internal", "z:restricted"}));
        // One range: its 31 workloads beside the other range.
        r = render({"--open", "public/ns00/svc00600 – svc01200"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        keys = dotKeys(dot);
        QCOMPARE(keys.size(), 31 + 1 + 4 + 3);
        QVERIFY(keys.contains("w:ns00/svc01200"));
        QVERIFY(keys.contains("s:public/ns00/svc00000 – svc00580"));

        // What is not there, or contradicts --open: exit 2, a message, no file.
        QFile::remove(dot);
        for (const QStringList &options :
             {QStringList{"--open", "public/ns01"}, QStringList{"--open", "nowhere"},
              QStringList{"--open", "public/ns00/svc1 – svc2"},
              QStringList{"--open", "public", "--level", "zones"},
              QStringList{"--open", "public/ns00", "--focus", "ns00/svc00000"}}) {
            r = render(options);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("--open"), r.err.constData());
            QVERIFY(!QFile::exists(dot));
        }
        r = render({"--open", "public/ns01"});
        QVERIFY2(r.err.contains("no namespace ns01 in zone public"), r.err.constData());
    }

    // Same input, same bytes: every run writes the same file, the clusters in the order of
    // their names (Graphviz once kept them in the order of its strings' addresses).
    void sameInputSameBytes_data()
    {
        QTest::addColumn<QStringList>("inputs");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("extension");
        QTest::addColumn<QStringList>("clusters"); // in the DOT file, in order; empty: not DOT
        const QString sample = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique/");
        const QStringList boutique{
            "--inventory", sample + "inventory.yaml", "--capture", sample + "node1.pcapng",
            "--capture",   sample + "node2.pcap",     "--zones",   sample + "zones.yaml"};
        const QStringList large{"--inventory", m_dir.filePath("inventory.yaml"), "--capture",
                                m_dir.filePath("capture.pcap")};
        const QStringList zones{"confidential", "internal", "public", "restricted"};
        QTest::newRow("boutique workloads dot")
            << boutique << QStringList{} << "dot"
            << QStringList{"confidential", "internal", "outside the workloads", "public",
                           "restricted"};
        QTest::newRow("boutique namespaces dot")
            << boutique << QStringList{"--level", "namespaces"} << "dot"
            << QStringList{"confidential", "internal", "outside the workloads", "public",
                           "restricted"};
        QTest::newRow("boutique svg") << boutique << QStringList{} << "svg" << QStringList{};
        QTest::newRow("large namespaces dot")
            << large << QStringList{"--level", "namespaces"} << "dot" << zones;
        QTest::newRow("large namespaces svg")
            << large << QStringList{"--level", "namespaces"} << "svg" << QStringList{};
    }

    void sameInputSameBytes()
    {
        QFETCH(QStringList, inputs);
        QFETCH(QStringList, options);
        QFETCH(QString, extension);
        QFETCH(QStringList, clusters);
        QByteArray first;
        for (int run = 0; run < 5; ++run) {
            const QString out
                = m_dir.filePath(QStringLiteral("same-%1.%2").arg(run).arg(extension));
            const auto r
                = runCli(QStringList{"render"} + inputs + QStringList{"--output", out} + options);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QByteArray bytes = readAll(out);
            QVERIFY(!bytes.isEmpty());
            if (run == 0)
                first = bytes;
            else
                QVERIFY2(bytes == first, qPrintable(QStringLiteral("run %1 differs").arg(run)));
        }
        if (clusters.isEmpty())
            return;
        // cgraph writes each cluster's name then the cluster's attributes, its label among them.
        static const QRegularExpression block(
            QStringLiteral("subgraph (cluster_\\d+) \\{[^\\}]*?label=(\"[^\"]*\"|\\w+)"));
        QStringList names, labels;
        for (auto it = block.globalMatch(QString::fromUtf8(first)); it.hasNext();) {
            const auto match = it.next();
            names << match.captured(1);
            labels << match.captured(2).remove('"');
        }
        QStringList expectedNames;
        for (int i = 0; i < clusters.size(); ++i)
            expectedNames << QStringLiteral("cluster_%1").arg(i);
        QCOMPARE(names, expectedNames);
        QCOMPARE(labels, clusters);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestRenderCli)
#include "tst_rendercli.moc"
