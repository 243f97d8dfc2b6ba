// The shared corpus of real, third-party captures (BULKHEAD_SHARED_DIR/pcaps: tcpdump, libpcap and
// Zeek test files, MANIFEST.tsv says what each exercises) through `bulkhead-cli flows`. Every file
// ends with exit 0 (counts and warnings) or exit 2 naming the file with libpcap's reason; never a
// crash, hang or sanitizer report. The conversations found must be tshark's
// (tests/data/pcapcorpus-conversations.tsv, computed once with tshark 4.0.17; every difference is a
// row with the reason).
#include <QtTest>

#include "clirun.h"

#include <map>
#include <set>
#include <tuple>

namespace {

const QString cli = QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead-cli");
const QString corpusDir = QStringLiteral(BULKHEAD_SHARED_DIR "/pcaps/files");
const QString manifestPath = QStringLiteral(BULKHEAD_SHARED_DIR "/pcaps/MANIFEST.tsv");
const QString expectedPath
    = QStringLiteral(BULKHEAD_SOURCE_DIR "/tests/data/pcapcorpus-conversations.tsv");

using Run = bulkhead::testing::CliRun;

using bulkhead::testing::runCli;

// (protocol, lower endpoint, higher endpoint) -> packets
using Conversations = std::map<std::tuple<QString, QString, QString>, qint64>;

QString endpoint(const QString &address, int port)
{
    return (address.contains(':') ? '[' + address + ']' : address) + ':' + QString::number(port);
}

struct Expected
{
    Conversations bulkhead;  // what Bulkhead must report
    QStringList unexplained; // rows where tshark and Bulkhead differ without a note
};

std::map<QString, Expected> loadExpected()
{
    std::map<QString, Expected> result;
    QFile f(expectedPath);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(expectedPath));
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).chopped(1);
        if (line.startsWith('#') || line.isEmpty())
            continue;
        const QStringList c = line.split('\t');
        if (c.size() != 7)
            qFatal("bad row in %s: %s", qPrintable(expectedPath), qPrintable(line));
        Expected &e = result[c[0]];
        if (c[4] != c[5] && c[6].trimmed().isEmpty())
            e.unexplained << line;
        if (c[5] != "-")
            e.bulkhead[{c[1], c[2], c[3]}] = c[5].toLongLong();
    }
    return result;
}

} // namespace

class tst_PcapCorpus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!QFileInfo::exists(manifestPath))
            QSKIP("the pcap corpus (BULKHEAD_SHARED_DIR/pcaps) is not here: nothing to read");
        QVERIFY2(QFileInfo::exists(cli), "bulkhead-cli is not built");
        QVERIFY(m_dir.isValid());
        m_inventory = m_dir.filePath("empty-inventory.yaml");
        QFile inv(m_inventory);
        QVERIFY(inv.open(QIODevice::WriteOnly));
        inv.write("apiVersion: bulkhead.io/v1alpha1\nkind: Inventory\nworkloads: []\n");
        inv.close();
        m_expected = loadExpected();
    }

    void everyFile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("linkType");
        QTest::addColumn<QString>(
            "packetCount"); // MANIFEST: "20", "1 (1 with caplen < len)" or "error: ..."
        QFile manifest(manifestPath);
        if (!manifest.open(QIODevice::ReadOnly))
            return;          // initTestCase skipped
        manifest.readLine(); // header
        int rows = 0;
        while (!manifest.atEnd()) {
            const QStringList c = QString::fromUtf8(manifest.readLine()).chopped(1).split('\t');
            if (c.size() < 9)
                continue;
            QTest::newRow(qPrintable(c[0])) << c[0] << c[6] << c[7];
            ++rows;
        }
        QCOMPARE(rows, 79);
    }

    void everyFile()
    {
        QFETCH(QString, file);
        QFETCH(QString, linkType);
        QFETCH(QString, packetCount);
        const Run r = runCli({"flows", "--inventory", m_inventory, "--capture",
                              corpusDir + '/' + file, "--format", "json"});
        QVERIFY2(r.finished, "bulkhead-cli did not finish within 60 s");
        QVERIFY2(!r.crashed, r.err.constData());
        QVERIFY2(!r.err.contains("Sanitizer") && !r.err.contains("runtime error"),
                 r.err.constData());

        const auto expected = m_expected.find(file);
        if (packetCount.startsWith("error: ")) {
            // libpcap refuses it: exit 2, the file named, libpcap's reason (the MANIFEST records
            // libpcap 1.10.3's words, the version Bulkhead links).
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(file.toUtf8()), r.err.constData());
            QVERIFY2(r.err.contains(packetCount.mid(7).toUtf8()), r.err.constData());
            QVERIFY(r.out.isEmpty());
            if (expected != m_expected.end()) // tshark read it: each row must say why not us
                QVERIFY2(expected->second.bulkhead.empty()
                             && expected->second.unexplained.isEmpty(),
                         qPrintable(file));
            return;
        }
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject root = doc.object();
        const QJsonArray captures = root["captures"].toArray();
        QCOMPARE(captures.size(), 1);
        const QJsonObject stats = captures[0].toObject();
        // Every record libpcap returns is read and counted.
        QCOMPARE(stats["packets"].toInteger(), packetCount.section(' ', 0, 0).toLongLong());

        // Link types Bulkhead does not decode are named in a warning.
        for (const auto &[manifestName, libpcapName] :
             {std::pair{"LINKTYPE_NFLOG", "NFLOG (239)"},
              std::pair{"LINKTYPE_PKTAP", "PKTAP (258)"},
              std::pair{"LINKTYPE_IEEE802_11", "IEEE802_11 (105)"}}) {
            if (linkType.startsWith(manifestName)) {
                QVERIFY2(r.err.contains("link type " + QByteArray(libpcapName) + " is not decoded"),
                         r.err.constData());
                QCOMPARE(stats["unsupportedLinkType"].toInteger(), stats["packets"].toInteger());
            }
        }

        Conversations found;
        for (const QJsonValue &v : root["flows"].toArray()) {
            const QJsonObject f = v.toObject();
            QString a = endpoint(f["client"].toString(), f["clientPort"].toInt());
            QString b = endpoint(f["server"].toString(), f["serverPort"].toInt());
            if (b < a)
                std::swap(a, b);
            const QString protocol = f["protocol"].toString();
            if (protocol == "TCP" || protocol == "UDP" || protocol == "SCTP")
                found[{protocol, a, b}] += f["packets"].toInteger();
        }
        const Conversations want
            = expected == m_expected.end() ? Conversations{} : expected->second.bulkhead;
        if (expected != m_expected.end())
            QVERIFY2(expected->second.unexplained.isEmpty(),
                     qPrintable(expected->second.unexplained.join('\n')));
        auto text = [](const Conversations &c) {
            QStringList lines;
            for (const auto &[key, packets] : c)
                lines << std::get<0>(key) + ' ' + std::get<1>(key) + " <-> " + std::get<2>(key)
                             + ' ' + QString::number(packets);
            return lines.join("; ");
        };
        QCOMPARE(text(found), text(want));
    }

    // A capture cut off mid-record: the packets before the cut, and a warning that says so.
    void cutMidRecord()
    {
        QFile in(corpusDir + "/zeek__tcp__missing-syn.pcap");
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray whole = in.readAll();
        const QString cut = m_dir.filePath("cut.pcap");
        QFile out(cut);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(whole.left(whole.size() - 5));
        out.close();
        const Run r
            = runCli({"flows", "--inventory", m_inventory, "--capture", cut, "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(root["captures"].toArray()[0].toObject()["packets"].toInteger(), 20);
        QVERIFY2(r.err.contains(
                     "cut.pcap: the file is cut off mid-record; kept the 20 packets before the cut "
                     "(truncated dump file; tried to read 66 captured bytes, only got 61)"),
                 r.err.constData());
        const QJsonArray flows = root["flows"].toArray();
        QCOMPARE(flows.size(), 1);
        QCOMPARE(flows[0].toObject()["server"].toString(), QString("125.190.109.199"));
        QCOMPARE(flows[0].toObject()["serverPort"].toInt(), 80);
        QCOMPARE(flows[0].toObject()["packets"].toInteger(), 20);
    }

private:
    QTemporaryDir m_dir;
    QString m_inventory;
    std::map<QString, Expected> m_expected;
};

QTEST_GUILESS_MAIN(tst_PcapCorpus)
#include "tst_pcapcorpus.moc"
