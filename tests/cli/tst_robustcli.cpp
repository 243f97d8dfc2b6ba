// bulkhead-cli against surprises: YAML 1.1 look-alikes ("yes", "on", "080", "1e3", "null") survive
// into the generated policies as strings; outputs never overwrite an input; a run killed while it
// writes leaves the previous output intact; nothing written is world-writable.
#include <QtTest>

#include "clirun.h"
#include "testsupport.h"

#include "capturewriter.h"
#include "packetbuilder.h"

#include <csignal>
#include <sys/stat.h>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

const QString cli = QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead-cli");

using Run = bulkhead::testing::CliRun;
using bulkhead::testing::runCli;

using bulkhead::testing::writeText;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Workload names and label values a YAML 1.1 reader would turn into booleans, numbers or null.
const QStringList trickyValues = {"yes", "on", "080", "1e3", "null"};

} // namespace

class tst_RobustCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(cli), "bulkhead-cli is not built");
        QVERIFY(m_dir.isValid());
        // Five workloads in namespace "on", each told apart only by its tier label; each sends UDP
        // to the next one's port 80 (UDP needs no handshake to be established).
        QByteArray inventory = "apiVersion: bulkhead.io/v1alpha1\nkind: "
                               "Inventory\nclusterNetworks: [10.244.0.0/16]\nworkloads:\n";
        for (int i = 0; i < trickyValues.size(); ++i)
            inventory += QString("  - {name: \"%1\", namespace: \"on\", kind: Deployment, labels: "
                                 "{tier: \"%1\"}, addresses: [10.244.0.%2], "
                                 "ports: [{port: 80, protocol: UDP}]}\n")
                             .arg(trickyValues[i])
                             .arg(i + 1)
                             .toUtf8();
        m_inventory = m_dir.filePath("inventory.yaml");
        writeText(m_inventory, inventory);
        m_capture = m_dir.filePath("capture.pcap");
        CaptureWriter writer(m_capture.toStdString(), LinkType::Ethernet);
        QVERIFY(writer.isOpen());
        const PacketBuilder b(LinkType::Ethernet);
        for (int i = 0; i + 1 < trickyValues.size(); ++i) {
            const auto src = *IpAddress::parse(QString("10.244.0.%1").arg(i + 1).toStdString());
            const auto dst = *IpAddress::parse(QString("10.244.0.%1").arg(i + 2).toStdString());
            writer.write(1'000'000 + i, b.udp(src, 40000, dst, 80, 10));
        }
        QVERIFY(writer.close());
    }

    // Every generated name, namespace and label value is read back as a string by a YAML 1.1
    // reader (PyYAML, as kubectl's ancestors did) and equals what the inventory said.
    void yaml11LookAlikesStayStrings()
    {
        const QString out = m_dir.filePath("policies.yaml");
        const Run r = runCli(
            {"generate", "--inventory", m_inventory, "--capture", m_capture, "--output", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const char *script = R"(
import sys, yaml
seen = set()
for d in yaml.safe_load_all(open(sys.argv[1])):
    if not d: continue
    m, s = d["metadata"], d["spec"]
    for v in (m["name"], m["namespace"]):
        assert isinstance(v, str), repr(v)
    for k, v in s["podSelector"].get("matchLabels", {}).items():
        assert isinstance(k, str) and isinstance(v, str), (k, v)
        seen.add(v)
    for rule in s.get("ingress", []) + s.get("egress", []):
        for peer in rule.get("from", []) + rule.get("to", []):
            for sel in ("podSelector", "namespaceSelector"):
                for k, v in peer.get(sel, {}).get("matchLabels", {}).items():
                    assert isinstance(v, str), (k, v)
                    seen.add(v)
print(" ".join(sorted(seen)))
)";
        QProcess py;
        py.start("python3", {"-c", script, out});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        // Every tricky value appears as a selector value, as the same string.
        QStringList expected = trickyValues;
        expected << "on"; // the namespace's kubernetes.io/metadata.name
        expected.removeDuplicates();
        expected.sort();
        QCOMPARE(QString::fromUtf8(py.readAllStandardOutput()).trimmed(), expected.join(' '));
    }

    void refusesToOverwriteInputs_data()
    {
        QTest::addColumn<QString>("which"); // output, report, both-same
        QTest::newRow("--output is the inventory") << "output";
        QTest::newRow("--report is the capture") << "report";
        QTest::newRow("--output and --report the same file") << "same";
    }
    void refusesToOverwriteInputs()
    {
        QFETCH(QString, which);
        const QByteArray inventoryBefore = readAll(m_inventory);
        const QByteArray captureBefore = readAll(m_capture);
        QStringList args = {"generate", "--inventory", m_inventory, "--capture", m_capture};
        QString named;
        if (which == "output")
            args << "--output" << (named = m_inventory);
        else if (which == "report")
            args << "--report" << (named = m_capture);
        else
            args << "--output" << (named = m_dir.filePath("same.out")) << "--report" << named;
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(named.toUtf8()), r.err.constData());
        QCOMPARE(readAll(m_inventory), inventoryBefore);
        QCOMPARE(readAll(m_capture), captureBefore);
        if (which == "same")
            QVERIFY(!QFileInfo::exists(named));
    }

    // Outputs are 0644 whatever the umask: never world-writable.
    void outputsNotWorldWritable()
    {
        const QString out = m_dir.filePath("mode.yaml");
        const QString report = m_dir.filePath("mode.json");
        const mode_t old = ::umask(0);
        const Run r = runCli({"generate", "--inventory", m_inventory, "--capture", m_capture,
                              "--output", out, "--report", report});
        ::umask(old);
        QCOMPARE(r.exitCode, 0);
        for (const QString &path : {out, report}) {
            struct stat st
            {
            };
            QCOMPARE(::stat(path.toUtf8().constData(), &st), 0);
            QCOMPARE(int(st.st_mode & 07777), 0644);
        }
    }

    // SIGKILL at several moments of a long generate over an existing output: the output is
    // either the previous file or the complete new one, never a mix; a left-over temporary file
    // is never the target itself.
    void killedMidExport()
    {
        // A large inventory (generation takes a while) with one flow so that policies exist.
        QByteArray big = "apiVersion: bulkhead.io/v1alpha1\nkind: Inventory\nclusterNetworks: "
                         "[10.0.0.0/8]\nworkloads:\n";
        for (int i = 0; i < 8000; ++i)
            big += QString("  - {name: w%1, namespace: ns%2, kind: Deployment, labels: {app: w%1}, "
                           "addresses: [10.%3.%4.%5], "
                           "ports: [{port: 80, protocol: UDP}]}\n")
                       .arg(i)
                       .arg(i % 50)
                       .arg((i >> 16) & 255)
                       .arg((i >> 8) & 255)
                       .arg(i & 255)
                       .toUtf8();
        const QString inventory = m_dir.filePath("big.yaml");
        writeText(inventory, big);
        const QString killDir = m_dir.filePath("kill");
        QVERIFY(QDir().mkpath(killDir));
        const QString out = killDir + "/policies.yaml";
        const QByteArray previous = "# the previous policies, which must survive\n";

        // The complete output, for comparison.
        const QString full = m_dir.filePath("full.yaml");
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(
            runCli({"generate", "--inventory", inventory, "--capture", m_capture, "--output", full})
                .exitCode,
            0);
        const qint64 runMs = timer.elapsed();
        const QByteArray complete = readAll(full);
        QVERIFY(complete.size() > 1000);

        int killedWhileRunning = 0;
        for (int step = 1; step <= 6; ++step) {
            writeText(out, previous);
            QProcess p;
            p.start(cli, {"generate", "--inventory", inventory, "--capture", m_capture, "--output",
                          out});
            QVERIFY(p.waitForStarted());
            QThread::msleep(static_cast<unsigned long>(runMs * step / 7));
            if (p.state() == QProcess::Running) {
                ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
                ++killedWhileRunning;
            }
            p.waitForFinished();
            const QByteArray now = readAll(out);
            QVERIFY2(now == previous || now == complete,
                     qPrintable(QString("step %1: %2 bytes").arg(step).arg(now.size())));
            for (const QString &name : QDir(killDir).entryList(QDir::Files)) {
                if (name != "policies.yaml")
                    QVERIFY2(name.startsWith("policies.yaml.tmp-"), qPrintable(name));
                QFile::remove(killDir + '/' + name);
            }
        }
        QVERIFY2(killedWhileRunning >= 3,
                 qPrintable(QString("a run takes %1 ms: too short to kill").arg(runMs)));
    }

private:
    QTemporaryDir m_dir;
    QString m_inventory, m_capture;
};

QTEST_GUILESS_MAIN(tst_RobustCli)
#include "tst_robustcli.moc"
