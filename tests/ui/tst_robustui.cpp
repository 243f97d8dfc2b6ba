// Robustness of the desktop application on the Online Boutique sample: the autosave of an
// unsaved design and its restore after a crash (in-process, and the real `bulkhead` killed with
// SIGKILL), files dropped on the window (imported, or refused with a message changing nothing),
// and an import cancelled half-way (the document as it was, the window usable again).
#include "capturewriter.h"
#include "document.h"
#include "mainwindow.h"
#include "model/model.h"
#include "packetbuilder.h"

#include <QDropEvent>
#include <QMimeData>
#include <QProcess>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QUndoStack>
#include <QtTest>

#include <memory>

#include <sys/stat.h>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

const QString Sample = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");

EdgeRef ref(const char *from, const char *to, uint16_t port, Protocol protocol = Protocol::TCP)
{
    return EdgeRef{from, to, protocol, port};
}

mode_t modeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 07777;
    return st.st_mode & 07777;
}

bool openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy model(window.document(), &Document::modelChanged);
    window.openPath(path);
    return model.wait(60000);
}

// What the message boxes of a window asked, and the answer each got.
struct Messages
{
    QStringList texts;
    QMessageBox::StandardButton answer = QMessageBox::Ok;

    void attach(MainWindow &window)
    {
        window.setMessageHandler([this](QMessageBox::Icon, const QString &title,
                                        const QString &text, QMessageBox::StandardButtons) {
            texts << title + QStringLiteral(": ") + text;
            return answer;
        });
    }
};

std::unique_ptr<QDropEvent> dropOf(const QStringList &files, QMimeData &mime)
{
    QList<QUrl> urls;
    for (const QString &file : files)
        urls << QUrl::fromLocalFile(file);
    mime.setUrls(urls);
    return std::make_unique<QDropEvent>(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton,
                                        Qt::NoModifier);
}

// Established TCP conversations adservice (10.244.2.2) -> redis-cart (10.244.2.6) on 6379, an
// edge the sample does not have: handshake, then data both ways. About 70 bytes a packet.
void writeLargeCapture(const QString &file, int conversations, int packetsPerConversation)
{
    using namespace bulkhead::testing;
    const IpAddress client = *IpAddress::parse("10.244.2.2");
    const IpAddress server = *IpAddress::parse("10.244.2.6");
    PacketBuilder builder(LinkType::Ethernet);
    CaptureWriter writer(file.toStdString(), LinkType::Ethernet);
    QVERIFY(writer.isOpen());
    int64_t t = 1793613600LL * 1000000;
    for (int c = 0; c < conversations; ++c) {
        const uint16_t port = static_cast<uint16_t>(20000 + c % 40000);
        writer.write(t++, builder.tcp(client, port, server, 6379, tcp::SYN));
        writer.write(t++, builder.tcp(server, 6379, client, port, tcp::SYN | tcp::ACK));
        writer.write(t++, builder.tcp(client, port, server, 6379, tcp::ACK));
        for (int i = 3; i < packetsPerConversation; ++i) {
            const bool fromClient = i % 2 == 1;
            writer.write(t++, fromClient
                                  ? builder.tcp(client, port, server, 6379, tcp::ACK | tcp::PSH, 16)
                                  : builder.tcp(server, 6379, client, port, tcp::ACK, 16));
        }
    }
    QVERIFY(writer.close());
}

int visibleProgressDialogs()
{
    int visible = 0;
    for (QWidget *widget : QApplication::allWidgets())
        visible += qobject_cast<QProgressDialog *>(widget) && widget->isVisible();
    return visible;
}

} // namespace

class TestRobustUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home; // XDG data and config folders: the autosave and QSettings live here

    QString autosave() const { return MainWindow::autosavePath(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // The same folders and names as the real application, so that a `bulkhead` started by
        // the test writes its autosave where MainWindow::autosavePath() of this process looks.
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
        QCoreApplication::setOrganizationName(QStringLiteral("Bulkhead"));
        QCoreApplication::setApplicationName(QStringLiteral("Bulkhead"));
        QCOMPARE(autosave(),
                 m_home.filePath(QStringLiteral("data/Bulkhead/Bulkhead/autosave.bulkhead")));
    }

    void cleanup() { QFile::remove(autosave()); }

    void autosaveIsRestoredAfterACrash_data()
    {
        QTest::addColumn<bool>("savedProject");
        QTest::newRow("folder never saved as a project") << false;
        QTest::newRow("saved project with later changes") << true;
    }

    void autosaveIsRestoredAfterACrash()
    {
        QFETCH(bool, savedProject);
        QTemporaryDir dir;
        const QString projectFile = dir.filePath(QStringLiteral("shop.bulkhead"));
        const EdgeRef denied = ref("boutique/cartservice", "boutique/redis-cart", 6379);
        const EdgeRef added = ref("boutique/emailservice", "boutique/currencyservice", 7000);
        Decisions before;
        QString stateBefore;
        {
            auto crashing = std::make_unique<MainWindow>();
            QVERIFY(openAndWait(*crashing, Sample));
            Document *doc = crashing->document();
            if (savedProject) {
                QVERIFY(crashing->saveAs(projectFile));
                QVERIFY(!doc->isModified());
            }
            QVERIFY(!QFile::exists(autosave())); // nothing unsaved yet
            QVERIFY(doc->denyEdge(denied));
            QVERIFY(doc->addEdge(added));
            QVERIFY(doc->moveWorkload(doc->findWorkload(QStringLiteral("boutique/checkoutservice")),
                                      QStringLiteral("restricted")));
            QVERIFY(doc->isModified());
            // The autosave follows the change by itself (MainWindow::autosaveDelayMs).
            // The three changes above restarted its timer: it holds all of them.
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(autosave()), 20000);
            QCOMPARE(int(modeOf(autosave())), 0600);
            QCOMPARE(int(modeOf(QFileInfo(autosave()).absolutePath())), 0700);
            before = doc->decisions();
            stateBefore = doc->serializedState();
            QCOMPARE(before.denied, std::vector<EdgeRef>{denied});
            QCOMPARE(before.added, std::vector<EdgeRef>{added});
            QCOMPARE(before.zoneOverrides.size(), size_t(1));
            // The crash: the window goes without its close event (no Save / Discard question,
            // nothing removed).
        }
        QVERIFY(QFile::exists(autosave()));

        MainWindow restarted;
        Messages messages;
        messages.answer = QMessageBox::Yes;
        messages.attach(restarted);
        QSignalSpy model(restarted.document(), &Document::modelChanged);
        QVERIFY(restarted.offerAutosaveRestore());
        QCOMPARE(messages.texts.size(), 1);
        const QString origin = savedProject ? projectFile : Sample;
        QVERIFY2(messages.texts.first().contains(QDir::toNativeSeparators(origin)),
                 qPrintable(messages.texts.first()));
        QVERIFY(model.wait(60000));
        Document *doc = restarted.document();
        QCOMPARE(doc->decisions(), before);
        QCOMPARE(doc->serializedState(), stateBefore);
        QVERIFY(!doc->isAllowed(denied));
        QVERIFY(doc->isAllowed(added));
        QCOMPARE(QString::fromStdString(
                     doc->model()
                         .inventory.workloads[doc->findWorkload("boutique/checkoutservice")]
                         .zone),
                 QStringLiteral("restricted"));
        // It is the document it was, with unsaved changes.
        QVERIFY(doc->isModified());
        QVERIFY(restarted.isWindowModified());
        QCOMPARE(doc->path(), origin);
        QCOMPARE(QString::fromStdString(doc->project().path),
                 savedProject ? projectFile : QString());

        if (savedProject) {
            // Save writes the project file, not the autosave, and the autosave goes.
            QVERIFY(restarted.save());
            QVERIFY(!QFile::exists(autosave()));
            QVERIFY(!doc->isModified());
            Document reopened;
            QSignalSpy reopenedModel(&reopened, &Document::modelChanged);
            reopened.open(projectFile);
            QVERIFY(reopenedModel.wait(60000));
            QCOMPARE(reopened.decisions(), before);
            QCOMPARE(int(modeOf(projectFile)) & 022, 0); // never group- or world-writable
        } else {
            // Closing and discarding is the clean exit: no autosave is left to offer.
            messages.answer = QMessageBox::Discard;
            QVERIFY(restarted.close());
            QCOMPARE(messages.texts.size(), 2);
            QVERIFY(messages.texts.last().startsWith(QStringLiteral("Unsaved changes")));
            QVERIFY(!QFile::exists(autosave()));
        }
    }

    void declinedRestoreDiscardsTheAutosave()
    {
        {
            MainWindow crashing;
            QVERIFY(openAndWait(crashing, Sample));
            QVERIFY(crashing.document()->denyEdge(
                ref("boutique/cartservice", "boutique/redis-cart", 6379)));
            QVERIFY(crashing.autosave());
        }
        QVERIFY(QFile::exists(autosave()));
        MainWindow restarted;
        Messages messages;
        messages.answer = QMessageBox::No;
        messages.attach(restarted);
        QSignalSpy loading(restarted.document(), &Document::loadingStarted);
        QVERIFY(!restarted.offerAutosaveRestore());
        QCOMPARE(messages.texts.size(), 1);
        QVERIFY(messages.texts.first().startsWith(QStringLiteral("Restore unsaved design?")));
        QVERIFY(!QFile::exists(autosave()));
        QCOMPARE(loading.count(), 0);
        QVERIFY(!restarted.document()->hasModel());
        QVERIFY(restarted.startPageShown());
        // Asked again (the next start): nothing to offer.
        QVERIFY(!restarted.offerAutosaveRestore());
        QCOMPARE(messages.texts.size(), 1);
    }

    void aSecondWindowLeavesTheFirstsAutosaveAlone()
    {
        // Two Bulkheads at once: the one started second must not take the first one's live
        // autosave for a crash leftover (neither offer it nor delete it), nor overwrite it.
        auto first = std::make_unique<MainWindow>();
        QVERIFY(first->ownsAutosave());
        QVERIFY(openAndWait(*first, Sample));
        QVERIFY(
            first->document()->denyEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379)));
        QVERIFY(first->autosave());
        QFile original(autosave());
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray content = original.readAll();
        original.close();
        {
            MainWindow second;
            QVERIFY(!second.ownsAutosave());
            Messages messages;
            messages.answer = QMessageBox::No;
            messages.attach(second);
            QVERIFY(!second.offerAutosaveRestore());
            QVERIFY(messages.texts.isEmpty());
            QVERIFY(openAndWait(second, Sample));
            QVERIFY(
                second.document()->denyEdge(ref("boutique/frontend", "boutique/adservice", 9555)));
            QVERIFY(!second.autosave());
            messages.answer = QMessageBox::Discard;
            QVERIFY(second.close()); // Discard: removes nothing of the first one's
        }
        QFile after(autosave());
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), content);

        // The first one "crashes" (destroyed without its close event): its lock goes with it, and
        // the next window owns the autosave and offers it.
        first.reset();
        MainWindow restarted;
        QVERIFY(restarted.ownsAutosave());
        Messages messages;
        messages.answer = QMessageBox::No;
        messages.attach(restarted);
        QVERIFY(!restarted.offerAutosaveRestore());
        QCOMPARE(messages.texts.size(), 1);
        QVERIFY(!QFile::exists(autosave()));
    }

    void undoingBackToTheSavedStateRemovesTheAutosave()
    {
        MainWindow window;
        QVERIFY(openAndWait(window, Sample));
        QVERIFY(
            window.document()->denyEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379)));
        QVERIFY(window.autosave());
        QVERIFY(QFile::exists(autosave()));
        window.document()->undo();
        QVERIFY(!window.document()->isModified());
        QVERIFY(!QFile::exists(autosave()));
        QVERIFY(!window.autosave()); // nothing unsaved: nothing written
        QVERIFY(!QFile::exists(autosave()));
    }

    void killedApplicationLeavesARestorableAutosave()
    {
        // The real program, killed with SIGKILL after a design change: no clean-exit path runs.
        const QString program = QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead");
        if (!QFileInfo(program).isExecutable())
            QSKIP("the bulkhead program is not built (BULKHEAD_BUILD_GUI=OFF?)");
        const EdgeRef denied = ref("boutique/cartservice", "boutique/redis-cart", 6379);
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(program,
                      {Sample, QStringLiteral("--deny"),
                       QStringLiteral("boutique/cartservice,boutique/redis-cart,TCP,6379")});
        QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(autosave()), 120000);
        QCOMPARE(process.state(), QProcess::Running);
        process.kill(); // SIGKILL
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFile::exists(autosave()));
        QCOMPARE(int(modeOf(autosave())), 0600);

        MainWindow restarted;
        Messages messages;
        messages.answer = QMessageBox::Yes;
        messages.attach(restarted);
        QSignalSpy model(restarted.document(), &Document::modelChanged);
        QVERIFY(restarted.offerAutosaveRestore());
        QVERIFY(model.wait(60000));
        Document *doc = restarted.document();
        QCOMPARE(doc->decisions().denied, std::vector<EdgeRef>{denied});
        QVERIFY(doc->decisions().added.empty());
        QVERIFY(doc->decisions().zoneOverrides.empty());
        QVERIFY(!doc->isAllowed(denied));
        QVERIFY(doc->isModified());
        QCOMPARE(doc->path(), Sample);
        QCOMPARE(doc->model().inventory.workloads.size(), size_t(13));
    }

    void everythingWrittenIsNeverWorldWritable_data()
    {
        QTest::addColumn<int>("umask");
        QTest::addColumn<int>("mode");
        QTest::newRow("umask 0: clamped") << 0 << 0644;
        QTest::newRow("umask 022") << 022 << 0644;
        QTest::newRow("umask 077: honoured") << 077 << 0600;
    }

    void everythingWrittenIsNeverWorldWritable()
    {
        QFETCH(int, umask);
        QFETCH(int, mode);
        MainWindow window;
        QVERIFY(openAndWait(window, Sample));
        QTRY_VERIFY_WITH_TIMEOUT(window.document()->hasLayout(), 60000);
        QVERIFY(window.findWorkload(QStringLiteral("boutique/cartservice")));
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("policies")));
        const mode_t previous = ::umask(static_cast<mode_t>(umask));
        const bool written = window.exportPoliciesTo(dir.filePath("all.yaml"), false)
                             && window.exportPoliciesTo(dir.filePath("cart.yaml"), true)
                             && window.exportPoliciesToFolder(dir.filePath("policies"))
                             && window.exportReportTo(dir.filePath("report.json"))
                             && window.exportGraphTo(dir.filePath("graph.svg"), true)
                             && window.exportGraphTo(dir.filePath("graph.png"), false)
                             && window.saveAs(dir.filePath("shop.bulkhead"));
        QVERIFY(
            window.document()->denyEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379)));
        const bool autosaved = window.autosave();
        ::umask(previous);
        QVERIFY(written);
        QVERIFY(autosaved);
        const QStringList files{"all.yaml", "cart.yaml",   "graph.png",    "graph.svg",
                                "policies", "report.json", "shop.bulkhead"};
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot, QDir::Name),
                 files); // no temporary file left
        for (const QString &file : files)
            if (file != QLatin1String("policies"))
                QCOMPARE(int(modeOf(dir.filePath(file))), mode);
        const QStringList policies = QDir(dir.filePath("policies")).entryList(QDir::Files);
        QCOMPARE(policies.size(), int(window.document()->generated().policies.size()));
        for (const QString &file : policies)
            QCOMPARE(int(modeOf(dir.filePath("policies/" + file))), mode);
        QCOMPARE(int(modeOf(autosave())), 0600); // the autosave is private whatever the umask
        QVERIFY(QFileInfo(dir.filePath("graph.png")).size() > 1000);
        QFile svg(dir.filePath("graph.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("cartservice"));
    }

    void droppedInventoryAndCaptureAreImported()
    {
        MainWindow window;
        Messages messages;
        messages.attach(window);
        QMimeData mime;
        const QStringList files{Sample + "/inventory.yaml", Sample + "/node1.pcapng"};
        mime.setUrls({QUrl::fromLocalFile(files[0]), QUrl::fromLocalFile(files[1])});
        QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());

        QSignalSpy model(window.document(), &Document::modelChanged);
        QMimeData dropped;
        auto drop = dropOf(files, dropped);
        QCoreApplication::sendEvent(&window, drop.get());
        QVERIFY(drop->isAccepted());
        QVERIFY(window.document()->isLoading());
        QVERIFY(model.wait(60000));
        QCOMPARE(messages.texts, QStringList());
        const Model &m = window.document()->model();
        QCOMPARE(m.inventory.workloads.size(), size_t(13));
        // node1.pcapng alone (samples/online-boutique/README.md, the node1 rows): of the 23
        // edges of both captures, recommendationservice -> productcatalogservice and its DNS
        // lookups are on node2 only.
        QCOMPARE(m.analysis.captureFiles.size(), size_t(1));
        QCOMPARE(m.analysis.edges.size(), size_t(21));
        QCOMPARE(m.analysis.attempts.size(), size_t(2)); // the refused 8081 and the unanswered SYN
        QVERIFY(!window.startPageShown());
    }

    void unsupportedDropIsRefused_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("named");
        QTest::newRow("a text file") << QStringList{Sample + "/README.md"} << "README.md";
        QTest::newRow("a capture with a text file")
            << QStringList{Sample + "/node2.pcap", Sample + "/README.md"} << "README.md";
        QTest::newRow("a program")
            << QStringList{QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead-cli")} << "bulkhead-cli";
    }

    void unsupportedDropIsRefused()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, named);
        MainWindow window;
        QVERIFY(openAndWait(window, Sample));
        QTRY_VERIFY_WITH_TIMEOUT(window.document()->hasLayout(), 60000);
        Messages messages;
        messages.attach(window);
        const QString before = window.document()->serializedState();
        const size_t flows = window.document()->model().analysis.flows.size();
        QSignalSpy loading(window.document(), &Document::loadingStarted);

        QMimeData mime;
        auto drop = dropOf(files, mime);
        QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted()); // local files: the drop says what it reads
        QCoreApplication::sendEvent(&window, drop.get());
        QVERIFY(!drop->isAccepted());
        QCOMPARE(messages.texts.size(), 1);
        QVERIFY2(messages.texts.first().startsWith(QStringLiteral("Cannot import: ")),
                 qPrintable(messages.texts.first()));
        QVERIFY(messages.texts.first().contains(named));
        QVERIFY(messages.texts.first().contains(QStringLiteral("Nothing was imported.")));
        QCOMPARE(loading.count(), 0);
        QVERIFY(!window.document()->isLoading());
        QCOMPARE(window.document()->serializedState(), before);
        QCOMPARE(window.document()->model().analysis.flows.size(), flows);
        QCOMPARE(window.document()->project().captures.size(), size_t(2));
        QVERIFY(!window.document()->isModified());
    }

    void cancelledImportLeavesTheDocumentAsItWas()
    {
        QTemporaryDir dir;
        const QString big = dir.filePath(QStringLiteral("big.pcap"));
        // 600,000 packets (about 45 MB): the read takes a while even in a Release build.
        writeLargeCapture(big, 20000, 30);
        const EdgeRef newEdge = ref("boutique/adservice", "boutique/redis-cart", 6379);

        MainWindow window;
        QVERIFY(openAndWait(window, Sample));
        QTRY_VERIFY_WITH_TIMEOUT(window.document()->hasLayout(), 60000);
        Messages messages;
        messages.attach(window);
        Document *doc = window.document();
        const QString before = doc->serializedState();
        const size_t flows = doc->model().analysis.flows.size();
        const size_t edges = doc->model().analysis.edges.size();
        QVERIFY(!doc->isAllowed(newEdge));

        QSignalSpy changed(doc, &Document::modelChanged);
        QSignalSpy failed(doc, &Document::loadFailed);
        QSignalSpy cancelled(doc, &Document::loadCancelled);
        QSignalSpy progress(doc, &Document::progressChanged);
        QVERIFY(window.importFiles({big}));
        QVERIFY(doc->isLoading());
        // Cancel as the user does, with the progress dialog's button, while the worker reads.
        QVERIFY(window.progressDialog());
        QPushButton *cancel = window.progressDialog()->findChild<QPushButton *>();
        QVERIFY(cancel);
        QCOMPARE(cancel->text(), QStringLiteral("Cancel"));
        cancel->click();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!doc->isLoading());
        // The worker stops at its next cancel check; once it is done, its result must not land.
        QVERIFY(QThreadPool::globalInstance()->waitForDone(60000));
        QTest::qWait(700); // past the dialog's minimumDuration (500 ms): nothing shows up
        QCOMPARE(changed.count(), 0);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(progress.count(), 0); // reports the worker made before it stopped are dropped
        QCOMPARE(messages.texts, QStringList()); // a cancel is no error
        QCOMPARE(doc->serializedState(), before);
        QCOMPARE(doc->model().analysis.flows.size(), flows);
        QCOMPARE(doc->model().analysis.edges.size(), edges);
        QCOMPARE(doc->project().captures.size(), size_t(2));
        QVERIFY(!doc->isAllowed(newEdge));
        QVERIFY(!doc->isModified());

        // Usable again: the progress dialog is gone, a design change works, and the same import
        // run to its end brings the new edge (so the cancelled one really would have changed it).
        QVERIFY(!window.progressDialog());
        QCOMPARE(visibleProgressDialogs(), 0);
        QVERIFY(!QApplication::activeModalWidget());
        QVERIFY(window.importFiles({big}));
        // A decision taken while the inputs are read is kept when they land.
        const EdgeRef denied = ref("boutique/cartservice", "boutique/redis-cart", 6379);
        QVERIFY(doc->denyEdge(denied));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 120000);
        QCOMPARE(messages.texts, QStringList());
        QTest::qWait(700); // past the dialog's minimumDuration: nothing shows up again
        QVERIFY(!window.progressDialog());
        QCOMPARE(visibleProgressDialogs(), 0);
        QVERIFY(!QApplication::activeModalWidget());
        QCOMPARE(doc->project().captures.size(), size_t(3));
        QCOMPARE(doc->model().analysis.edges.size(), edges + 1);
        QVERIFY(doc->isAllowed(newEdge));
        QCOMPARE(doc->decisions().denied, std::vector<EdgeRef>{denied});
        QVERIFY(!doc->isAllowed(denied));
        QCOMPARE(doc->undoStack()->count(), 1);
    }
};

QTEST_MAIN(TestRobustUi)
#include "tst_robustui.moc"
