// The review in the desktop application on the Online Boutique sample: a failed import leaves
// only its error (no progress dialog over it), files of the wrong kind named, the decisions list
// (removal, undo, saved, counts in the status bar), `world` as a peer of added edges, the
// cluster's policies opened beside the evidence (breaks, excess per workload, compare, internet
// exposure), and the export warning when the design breaks observed traffic.
#include "dialogs/addedgedialog.h"
#include "docks/decisionspanel.h"
#include "docks/reviewpanel.h"
#include "document.h"
#include "mainwindow.h"
#include "model/model.h"
#include "policy/clusterpolicywriter.h"
#include "policy/guardrailgenerator.h"
#include "policy/policyloader.h"
#include "project/project.h"
#include "review/evaluator.h"
#include "views/graphitems.h"
#include "views/graphview.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QFile>
#include <QGraphicsScene>
#include <QLabel>
#include <QLineEdit>
#include <QProgressDialog>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

const QString Sample = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");
const QString GoogleDir
    = QStringLiteral(BULKHEAD_SHARED_DIR "/apps/online-boutique/network-policies");

EdgeRef ref(const char *from, const char *to, uint16_t port)
{
    return EdgeRef{from, to, Protocol::TCP, port};
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(file.fileName()));
    file.write(text);
    return file.fileName();
}

// The badges of the graph's boxes that start with `prefix` ("+12 excess"), summed.
int badgeSum(const GraphView *view, const QString &prefix)
{
    int sum = 0;
    for (const NodeItem *item : view->nodeItems())
        if (item->badge().startsWith(prefix))
            sum += item->badge().mid(prefix.size()).section(u' ', 0, 0).toInt();
    return sum;
}

// The arrow from one workload's box to another's, or nullptr.
const EdgeItem *arrow(const MainWindow &window, const QString &from, const QString &to)
{
    const Document *doc = window.document();
    const int a = doc->graph().nodeOf(Peer::workload(doc->findWorkload(from)));
    const int b = doc->graph().nodeOf(Peer::workload(doc->findWorkload(to)));
    for (const EdgeItem *item : window.graphView()->edgeItems())
        if (item->data().from == a && item->data().to == b)
            return item;
    return nullptr;
}

int visibleProgressDialogs(const QWidget &window)
{
    int visible = 0;
    for (const QProgressDialog *dialog : window.findChildren<QProgressDialog *>())
        visible += dialog->isVisible();
    return visible;
}

QStringList column(const QTableWidget *table, int c)
{
    QStringList out;
    for (int r = 0; r < table->rowCount(); ++r)
        out << (table->item(r, c) ? table->item(r, c)->text() : QString());
    return out;
}

} // namespace

class TestReview : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QStringList m_messages;
    // Called while a message box would be open: what the window shows meanwhile.
    std::function<void()> m_duringMessage;
    QMessageBox::StandardButton m_answer = QMessageBox::Ok;
    Document *doc() const { return m_window->document(); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>();
        m_window->setMessageHandler([this](QMessageBox::Icon, const QString &title,
                                           const QString &text, QMessageBox::StandardButtons) {
            m_messages << title + QStringLiteral(": ") + text;
            if (m_duringMessage)
                m_duringMessage();
            return m_answer;
        });
        m_window->resize(1024, 700);
        m_window->show();
        QSignalSpy model(doc(), &Document::modelChanged);
        m_window->openPath(Sample);
        QVERIFY(model.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(doc()->hasLayout(), 60000);
    }

    void cleanup()
    {
        while (doc()->undoStack()->canUndo())
            doc()->undo();
        m_messages.clear();
        m_duringMessage = {};
        m_answer = QMessageBox::Ok;
    }

    // The error box is shown alone: the import's progress dialog must not appear over it, even
    // when the box stays open past the dialog's show delay (the user reading the message).
    void failedImportShowsOnlyTheError_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text renamed .pcap")
            << "notes.pcap" << QByteArray("just some text\n").repeated(50) << "notes.pcap";
        QTest::newRow("broken YAML")
            << "broken.yaml" << QByteArray("items: [a, b\n  c: {\n") << "broken.yaml";
        QTest::newRow("NetworkPolicy as inventory")
            << "policy.yaml"
            << QByteArray(
                   "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\n"
                   "spec: {podSelector: {}}\n")
            << "policy.yaml: is a policy file (1 NetworkPolicy), not an inventory";
    }
    void failedImportShowsOnlyTheError()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString file = writeFile(dir, name, content);
        int dialogsDuringError = -1;
        m_duringMessage = [&] {
            // A nested loop as the message box's exec() runs (QTest::qWait would also delete
            // deferred objects, which a real message box does not), past QProgressDialog's
            // minimumDuration (500 ms).
            QEventLoop loop;
            QTimer::singleShot(900, &loop, &QEventLoop::quit);
            loop.exec();
            dialogsDuringError = visibleProgressDialogs(*m_window);
        };
        QSignalSpy failed(doc(), &Document::loadFailed);
        QVERIFY(m_window->importFiles({file}));
        QVERIFY(failed.wait(30000));
        QCOMPARE(m_messages.size(), 1);
        QVERIFY2(m_messages.first().contains(expected), qPrintable(m_messages.first()));
        QCOMPARE(dialogsDuringError, 0);
        QTest::qWait(700);
        QCOMPARE(visibleProgressDialogs(*m_window), 0);
        QVERIFY(doc()->hasModel()); // the sample stays open
        QCOMPARE(doc()->project().inventories.size(), size_t(1));
    }

    // `world` and CIDRs are peers of an added edge; the export then admits the internet (any
    // outside address) on that port only.
    void worldAsPeer()
    {
        QVERIFY(doc()->endpointNames().contains(QStringLiteral("world")));
        QVERIFY(doc()->checkNewEdge(ref("world", "boutique/frontend", 8080)));
        QVERIFY(doc()->checkNewEdge(ref("boutique/emailservice", "198.51.100.0/24", 587)));
        const auto bad = doc()->checkNewEdge(ref("worlds", "boutique/frontend", 8080));
        QVERIFY(!bad);
        QVERIFY(QString::fromStdString(bad.error().message).contains("nor world or a CIDR"));
        QVERIFY(doc()->addEdge(ref("world", "boutique/frontend", 8080)));
        QVERIFY(doc()->isAllowed(ref("world", "boutique/frontend", 8080)));
        const QString yaml = doc()->allPoliciesYaml();
        QVERIFY(yaml.contains(QStringLiteral("cidr: 0.0.0.0/0")));
        QVERIFY(yaml.contains(QStringLiteral("cidr: \"::/0\"")));
        auto policies = loadPoliciesText(yaml.toStdString(), "exported.yaml");
        QVERIFY(policies);
        const PolicyEvaluator evaluator(doc()->model().inventory, *policies);
        const Peer outside{PeerKind::External, -1, *IpAddress::parse("203.0.113.200")};
        const int frontend = doc()->findWorkload(QStringLiteral("boutique/frontend"));
        QVERIFY(evaluator.allows(outside, Peer::workload(frontend), Protocol::TCP, 8080));
        QVERIFY(!evaluator.allows(outside, Peer::workload(frontend), Protocol::TCP, 9090));
        // The graph shows the internet as a box.
        bool worldBox = false;
        for (const GraphNode &node : doc()->graph().nodes)
            worldBox |= !node.peer.isWorkload()
                        && peerName(doc()->model().inventory, node.peer) == "world";
        QVERIFY(worldBox);
    }

    // A namespace as the peer of an added edge ("ns:NAME"): offered by the Add Edge dialog,
    // listed among the decisions, saved, exported as a namespaceSelector on that port only, and
    // counted by blast radius.
    void namespaceAsPeer()
    {
        AddEdgeDialog dialog(doc());
        const QList<QComboBox *> boxes = dialog.findChildren<QComboBox *>();
        int offering = 0;
        for (const QComboBox *box : boxes)
            offering += box->findText(QStringLiteral("ns:kube-system")) >= 0
                        && box->findText(QStringLiteral("ns:boutique")) >= 0;
        QCOMPARE(offering, 2); // From and To
        dialog.setEdge(ref("ns:monitoring", "boutique/frontend", 8080));
        QCOMPARE(
            dialog.problem(),
            QStringLiteral("\"ns:monitoring\": no namespace \"monitoring\" in the inventory."));
        QVERIFY(!dialog.isAcceptable());
        dialog.setEdge(ref("ns:kube-system", "ns:boutique", 8080));
        QCOMPARE(dialog.problem(),
                 QStringLiteral("One end of an edge must be a workload: a policy selects it."));
        dialog.setEdge(ref("ns:kube-system", "boutique/frontend", 8080));
        QCOMPARE(dialog.problem(), QString());
        QVERIFY(dialog.isAcceptable());

        const int frontend = doc()->findWorkload(QStringLiteral("boutique/frontend"));
        const int coredns = doc()->findWorkload(QStringLiteral("kube-system/coredns"));
        QVERIFY(frontend >= 0 && coredns >= 0);
        QVERIFY(!doc()->reach(coredns, ReachBasis::Design).contains(frontend));
        QVERIFY(doc()->addEdge(dialog.edge()));
        QVERIFY(doc()->addEdge(ref("boutique/frontend", "ns:kube-system", 9153)));
        QTRY_VERIFY_WITH_TIMEOUT(!doc()->isRecomputing(), 30000);
        QVERIFY(doc()->isAllowed(ref("ns:kube-system", "boutique/frontend", 8080)));
        QVERIFY(!doc()->checkNewEdge(ref("ns:kube-system", "boutique/frontend", 8080)));
        QCOMPARE(column(m_window->decisionsPanel()->table(), 1),
                 QStringList({"boutique/frontend -> ns:kube-system TCP/9153",
                              "ns:kube-system -> boutique/frontend TCP/8080"}));
        // Blast radius: every kube-system workload now reaches frontend (and what it reaches).
        QCOMPARE(doc()->reach(coredns, ReachBasis::Design).count(frontend), size_t(1));
        QCOMPARE(doc()->reach(coredns, ReachBasis::Design).at(frontend), 1);

        const QString yaml = doc()->allPoliciesYaml();
        QVERIFY2(yaml.contains(QStringLiteral(
                     "    - namespaceSelector:\n        matchLabels:\n"
                     "          kubernetes.io/metadata.name: kube-system\n    ports:\n"
                     "    - protocol: TCP\n      port: 8080\n")),
                 qPrintable(yaml));
        auto policies = loadPoliciesText(yaml.toStdString(), "exported.yaml");
        QVERIFY(policies);
        const Inventory &inventory = doc()->model().inventory;
        const PolicyEvaluator evaluator(inventory, *policies);
        const int cart = doc()->findWorkload(QStringLiteral("boutique/cartservice"));
        QVERIFY(evaluator.allows(Peer::workload(coredns), Peer::workload(frontend), Protocol::TCP,
                                 8080));
        QVERIFY(!evaluator.allows(Peer::workload(coredns), Peer::workload(frontend), Protocol::TCP,
                                  8081));
        QVERIFY(
            !evaluator.allows(Peer::workload(cart), Peer::workload(frontend), Protocol::TCP, 8080));
        QVERIFY(evaluator.allows(Peer::workload(frontend), Peer::workload(coredns), Protocol::TCP,
                                 9153));
        QVERIFY(
            !evaluator.allows(Peer::workload(frontend), Peer::workload(cart), Protocol::TCP, 9153));

        // Saved and read back.
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("ns.bulkhead");
        QVERIFY(doc()->save(projectFile));
        auto saved = loadProject(projectFile.toStdString());
        QVERIFY(saved);
        QCOMPARE(saved->decisions.added,
                 (std::vector<EdgeRef>{ref("boutique/frontend", "ns:kube-system", 9153),
                                       ref("ns:kube-system", "boutique/frontend", 8080)}));
    }

    // Every decision listed, each removable (an added edge removed, not denied), undoable,
    // saved; the status bar counts them after any edit.
    void decisionsList()
    {
        DecisionsPanel *panel = m_window->decisionsPanel();
        const QLabel *counts = m_window->findChild<QLabel *>(QStringLiteral("decisionCounts"));
        QVERIFY(panel && counts);
        QCOMPARE(panel->entries().size(), size_t(0));
        QCOMPARE(counts->text(), QStringLiteral("0 added · 0 denied · 0 zone move(s)"));

        QVERIFY(doc()->addEdge(ref("world", "boutique/frontend", 8080)));
        QCOMPARE(counts->text(), QStringLiteral("1 added · 0 denied · 0 zone move(s)"));
        QVERIFY(doc()->moveWorkload(doc()->findWorkload(QStringLiteral("boutique/adservice")),
                                    QStringLiteral("confidential")));
        QCOMPARE(counts->text(), QStringLiteral("1 added · 0 denied · 1 zone move(s)"));
        QVERIFY(doc()->denyEdge(ref("boutique/frontend", "boutique/adservice", 9555)));
        QCOMPARE(counts->text(), QStringLiteral("1 added · 1 denied · 1 zone move(s)"));
        QCOMPARE(column(panel->table(), 0),
                 QStringList({"Allowed by hand", "Denied", "Zone move"}));
        QCOMPARE(column(panel->table(), 1),
                 QStringList({"world -> boutique/frontend TCP/8080",
                              "boutique/frontend -> boutique/adservice TCP/9555",
                              "boutique/adservice → confidential"}));

        // Saved with the project, read back the same.
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("design.bulkhead");
        QVERIFY(doc()->save(projectFile));
        auto saved = loadProject(projectFile.toStdString());
        QVERIFY(saved);
        QCOMPARE(saved->decisions.added,
                 std::vector<EdgeRef>{ref("world", "boutique/frontend", 8080)});
        QCOMPARE(saved->decisions.denied.size(), size_t(1));
        QCOMPARE(saved->decisions.zoneOverrides.at("boutique/adservice"),
                 std::string("confidential"));

        // Remove the denial (row 1): lifted, not turned into anything else; undo brings it back.
        const Decisions before = doc()->decisions();
        QVERIFY(panel->removeRow(1));
        QCOMPARE(doc()->decisions().denied.size(), size_t(0));
        QCOMPARE(doc()->decisions().added.size(), size_t(1));
        QCOMPARE(counts->text(), QStringLiteral("1 added · 0 denied · 1 zone move(s)"));
        doc()->undo();
        QCOMPARE(doc()->decisions(), before);
        // The zone move (row 2): adservice is internal again.
        QVERIFY(panel->removeRow(2));
        QVERIFY(doc()->decisions().zoneOverrides.empty());
        QCOMPARE(doc()
                     ->model()
                     .inventory.workloads[doc()->findWorkload(QStringLiteral("boutique/adservice"))]
                     .zone,
                 std::string("internal"));
        doc()->undo();
        QCOMPARE(doc()->decisions(), before);

        // Denying the hand-added, never observed world edge removes it: no stale denial.
        QVERIFY(doc()->denyEdge(ref("world", "boutique/frontend", 8080)));
        QVERIFY(doc()->decisions().added.empty());
        QCOMPARE(doc()->decisions().denied.size(), size_t(1)); // only frontend -> adservice
        QVERIFY(!doc()->isAllowed(ref("world", "boutique/frontend", 8080)));
        doc()->undo();
        QCOMPARE(doc()->decisions(), before);
        QVERIFY(!panel->removeRow(3));
    }

    // Export names the observed edges the design breaks, and writes nothing when declined.
    void exportWarnsOfBreaks()
    {
        // checkoutservice moved to restricted: the rule no-public-to-restricted blocks the
        // observed frontend -> checkoutservice.
        QVERIFY(doc()->moveWorkload(doc()->findWorkload(QStringLiteral("boutique/checkoutservice")),
                                    QStringLiteral("restricted")));
        QCOMPARE(doc()->intent().blocked.size(), size_t(1));
        m_answer = QMessageBox::No;
        QVERIFY(!m_window->confirmExport());
        QCOMPARE(m_messages.size(), 1);
        const ZoneFinding &blocked = doc()->intent().blocked.front();
        const QString edge
            = QString::fromStdString(edgeRefText(edgeRef(doc()->model().inventory, blocked.edge)));
        QVERIFY2(m_messages.first().contains(edge + QStringLiteral(" (")),
                 qPrintable(m_messages.first()));
        QVERIFY(m_messages.first().contains(QStringLiteral("blocked by zone rule ")
                                            + QString::fromStdString(blocked.rule)));
        // A denial of an observed edge is named too.
        QVERIFY(doc()->denyEdge(ref("boutique/frontend", "boutique/adservice", 9555)));
        m_answer = QMessageBox::Yes;
        QVERIFY(m_window->confirmExport());
        QVERIFY(m_messages.last().contains(
            QStringLiteral("boutique/frontend -> boutique/adservice TCP/9555 (")));
        QVERIFY(m_messages.last().contains(QStringLiteral("denied in the design")));
    }

    // Google's policies name no namespace: in "default" none selects anything (an error, said);
    // in "boutique" they break nothing and allow 46 connections never observed, summarised per
    // workload; compare says what the design would change.
    void reviewGooglesPolicies()
    {
        if (!QFileInfo::exists(GoogleDir))
            QSKIP("../shared/apps/online-boutique is absent: cannot review Google's policies");
        QStringList files;
        for (const QString &name :
             QDir(GoogleDir).entryList({"network-policy-*.yaml"}, QDir::Files, QDir::Name))
            files << GoogleDir + '/' + name;
        ReviewPanel *panel = m_window->reviewPanel();
        QVERIFY(panel);
        QSignalSpy reviewed(panel, &ReviewPanel::reviewed);
        QVERIFY(panel->openPolicies(files, QStringLiteral("default")));
        QVERIFY(reviewed.wait(60000));
        QCOMPARE(m_messages.size(), 1);
        QVERIFY2(m_messages.first().contains("none of the 13 policies selects a workload"),
                 qPrintable(m_messages.first()));

        QVERIFY(doc()->addEdge(ref("world", "boutique/frontend", 8080)));
        QVERIFY(doc()->moveWorkload(doc()->findWorkload(QStringLiteral("boutique/checkoutservice")),
                                    QStringLiteral("restricted")));
        QVERIFY(panel->openPolicies(files, QStringLiteral("boutique")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->review() && !panel->isReviewing(), 60000);
        const PolicyReview *review = panel->review();
        QVERIFY(review->noneSelects.empty());
        QCOMPARE(review->check.breaks.size(), size_t(0));
        QCOMPARE(review->check.excess.size(), size_t(46));
        int summed = 0;
        for (const QString &count : column(panel->excessTable(), 1))
            summed += count.toInt();
        QCOMPARE(summed, 46);
        QCOMPARE(panel->excessTable()->rowCount(),
                 static_cast<int>(review->excessByWorkload.size()));
        QVERIFY(panel->summaryText().contains(QStringLiteral("46 excess allowance(s)")));

        // Compare: the design blocks what the zone rule blocks, observed, which Google's allow.
        const ZoneFinding &blocked = doc()->intent().blocked.front();
        bool found = false;
        for (const Connection &c : review->comparison.newlyBlocked)
            found |= c.from == blocked.edge.from && c.to == blocked.edge.to
                     && c.port == blocked.edge.port && c.observed;
        QVERIFY(found);
        QVERIFY(column(panel->compareTable(), 0).contains(QStringLiteral("Newly blocked")));
        // Google's frontend admits everyone: the internet reaches it directly under both.
        const int frontend = doc()->findWorkload(QStringLiteral("boutique/frontend"));
        QVERIFY(std::find(review->internetNow.direct.begin(), review->internetNow.direct.end(),
                          frontend)
                != review->internetNow.direct.end());
        QCOMPARE(review->internetDesign.direct, std::vector<int>{frontend});

        // On the graph: the 46 summarised as "+N excess" badges on the boxes (no arrow per
        // connection), nothing marked as a break; the Compare tab marks the observed connection
        // the design newly blocks (frontend -> checkoutservice, by the zone rule) on its arrow.
        GraphView *view = m_window->graphView();
        QTRY_COMPARE(badgeSum(view, QStringLiteral("+")), 46);
        const EdgeItem *toCheckout = arrow(*m_window, QStringLiteral("boutique/frontend"),
                                           QStringLiteral("boutique/checkoutservice"));
        QVERIFY(toCheckout);
        QCOMPARE(toCheckout->mark(), EdgeItem::Mark::None);
        for (const EdgeItem *item : view->edgeItems())
            QVERIFY(item->mark() == EdgeItem::Mark::None);
        panel->showComparison();
        QCOMPARE(doc()->reviewMarks().mode, ReviewMarks::Mode::Compare);
        QCOMPARE(toCheckout->mark(), EdgeItem::Mark::NewlyBlocked);
        QVERIFY(toCheckout->label().endsWith(QStringLiteral("newly blocked")));
        int unseen = 0;
        for (const Connection &c : review->comparison.newlyBlocked)
            unseen += !c.observed;
        QCOMPARE(badgeSum(view, QStringLiteral("−")), unseen);
        panel->tabs()->setCurrentWidget(panel->excessTable());
        QCOMPARE(toCheckout->mark(), EdgeItem::Mark::None);
        QCOMPARE(badgeSum(view, QStringLiteral("+")), 46);

        // Blast radius under the loaded policies (as `blast-radius --policies ... -n boutique`):
        // frontend reaches 11 workloads, 8 directly; loadgenerator 12. Heat mode counts the same.
        QVERIFY(doc()->hasLoadedPolicyReach());
        const BlastRadius loaded = doc()->blastRadius(frontend, ReachBasis::Loaded);
        QCOMPARE(loaded.reach.size(), size_t(11));
        QCOMPARE(loaded.direct.size(), size_t(8));
        const int loadgenerator = doc()->findWorkload(QStringLiteral("boutique/loadgenerator"));
        QCOMPARE(doc()->blastRadius(loadgenerator, ReachBasis::Loaded).reach.size(), size_t(12));
        QCOMPARE(doc()->reachCounts(ReachBasis::Loaded)[static_cast<size_t>(frontend)], 11);
        auto *choice = m_window->findChild<QComboBox *>(QStringLiteral("radiusPolicy"));
        choice->setCurrentIndex(choice->findData(int(ReachBasis::Loaded)));
        QCOMPARE(doc()->radiusPolicy(), ReachBasis::Loaded);
        // Heat mode tags the boxes the internet reaches: under Google's, frontend and coredns
        // directly.
        view->setHeatMode(true);
        QCOMPARE(view->itemOfWorkload(frontend)->internetTag(), QStringLiteral("internet"));
        QCOMPARE(view->itemOfWorkload(doc()->findWorkload(QStringLiteral("kube-system/coredns")))
                     ->internetTag(),
                 QStringLiteral("internet"));
        QCOMPARE(view->itemOfWorkload(doc()->findWorkload(QStringLiteral("boutique/cartservice")))
                     ->internetTag(),
                 QStringLiteral("via internet"));
        view->setHeatMode(false);
        QCOMPARE(view->itemOfWorkload(frontend)->internetTag(), QString());
        choice->setCurrentIndex(choice->findData(int(ReachBasis::Design)));

        // A row selects its workload.
        panel->excessTable()->selectRow(0);
        QCOMPARE(doc()->selectedWorkload(), review->excessByWorkload.front().workload);

        // For the README: BULKHEAD_SCREENSHOTS=folder (run under xvfb-run with
        // QT_QPA_PLATFORM=xcb).
        if (const QString folder = qEnvironmentVariable("BULKHEAD_SCREENSHOTS");
            !folder.isEmpty()) {
            QDockWidget *dock = m_window->findChild<QDockWidget *>(QStringLiteral("reviewDock"));
            dock->raise();
            QDockWidget *tables = m_window->findChild<QDockWidget *>(QStringLiteral("tablesDock"));
            m_window->resizeDocks({tables, dock}, {360, 360}, Qt::Vertical);
            for (const auto &[size, suffix] : {std::pair{QSize(1024, 700), QStringLiteral("-1024")},
                                               std::pair{QSize(1600, 1000), QString()}}) {
                m_window->resize(size);
                QTest::qWait(300);
                m_window->resizeDocks(
                    {tables, dock}, {size.height() / 2 - 40, size.height() / 2 - 40}, Qt::Vertical);
                panel->findChild<QTabWidget *>()->setCurrentWidget(panel->excessTable());
                doc()->selectWorkload(-1); // every badge at full strength
                m_window->graphView()->fitGraph();
                QTest::qWait(1500);
                QVERIFY(m_window->grab().save(folder + "/review-excess" + suffix + ".png"));
                panel->showComparison();
                QTest::qWait(500);
                QVERIFY(m_window->grab().save(folder + "/review-compare" + suffix + ".png"));
            }
            m_window->resize(1024, 700);
        }

        // A design edit reviews compare again, the findings under the policies in force kept:
        // Google's cartservice admits only frontend and checkoutservice, so an added
        // adservice -> cartservice is newly allowed, and its new arrow is marked so on Compare.
        {
            QSignalSpy again(panel, &ReviewPanel::reviewed);
            QVERIFY(doc()->addEdge(ref("boutique/adservice", "boutique/cartservice", 7070)));
            QVERIFY(again.wait(60000));
            const PolicyReview *edited = panel->review();
            QCOMPARE(edited->check.excess.size(), size_t(46));
            QCOMPARE(edited->excessByWorkload.size(), size_t(2));
            const int ad = doc()->findWorkload(QStringLiteral("boutique/adservice"));
            const int cart = doc()->findWorkload(QStringLiteral("boutique/cartservice"));
            bool allowed = false;
            for (const Connection &c : edited->comparison.newlyAllowed)
                allowed |= c.from == Peer::workload(ad) && c.to == Peer::workload(cart)
                           && c.port == 7070 && !c.observed;
            QVERIFY(allowed);
            panel->showComparison();
            QTRY_VERIFY_WITH_TIMEOUT(arrow(*m_window, QStringLiteral("boutique/adservice"),
                                           QStringLiteral("boutique/cartservice")),
                                     30000);
            QTRY_COMPARE(arrow(*m_window, QStringLiteral("boutique/adservice"),
                               QStringLiteral("boutique/cartservice"))
                             ->mark(),
                         EdgeItem::Mark::NewlyAllowed);
            panel->tabs()->setCurrentWidget(panel->excessTable());
            QSignalSpy undone(panel, &ReviewPanel::reviewed);
            doc()->undo();
            QVERIFY(undone.wait(60000));
            QCOMPARE(panel->review()->check.excess.size(), size_t(46));
        }

        // Saved with the project (`policies:` relative to it) and opened again with it.
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("review.bulkhead");
        QVERIFY(doc()->save(projectFile));
        auto saved = loadProject(projectFile.toStdString());
        QVERIFY(saved);
        QCOMPARE(saved->policies.size(), size_t(13));
        QCOMPARE(saved->policiesNamespace, std::string("boutique"));
        QFile text(projectFile);
        QVERIFY(text.open(QIODevice::ReadOnly));
        QVERIFY(text.readAll().contains("policies:\n  - \"../"));
        panel->closePolicies();
        QSignalSpy opened(doc(), &Document::modelChanged);
        m_window->openPath(projectFile);
        QVERIFY(opened.wait(60000));
        QCOMPARE(panel->policyFiles().size(), 13);
        QCOMPARE(panel->namespaceEdit()->text(), QStringLiteral("boutique"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->review() && !panel->isReviewing(), 60000);
        QCOMPARE(panel->review()->check.excess.size(), size_t(46));

        // An inventory given as policies is named as such.
        m_messages.clear();
        QVERIFY(!panel->openPolicies({Sample + "/inventory.yaml"}, QStringLiteral("boutique")));
        QVERIFY(m_messages.first().contains(
            QStringLiteral("inventory.yaml: is a workload inventory (")));
        panel->closePolicies();
        QVERIFY(!doc()->hasLoadedPolicyReach());
        QVERIFY(doc()->reviewMarks().empty());
    }

    // The sample's guardrails (generate --guardrails) beside a NetworkPolicy that lets anything
    // into the namespace: evaluated in tiers, the Admin Deny wins and is named (4 dead
    // allowances: public frontend and loadgenerator into restricted paymentservice and
    // redis-cart); the guardrail's subject fenced on the graph with its name; an Admin Deny of an
    // observed flow is a break whose tier is "Admin"; the blast radius under them.
    void guardrailsInTheApplication()
    {
        QTemporaryDir dir;
        auto guardrails = generateGuardrails(doc()->model().zones, {});
        QVERIFY(guardrails);
        QCOMPARE(guardrails->policies.size(), size_t(1));
        const QString guardrailFile
            = writeFile(dir, "guardrails.yaml",
                        QByteArray::fromStdString(writeClusterPoliciesYaml(guardrails->policies)));
        const QString allowAll
            = writeFile(dir, "allow-all.yaml", R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all
spec:
  podSelector: {}
  ingress:
  - {}
)");
        ReviewPanel *panel = m_window->reviewPanel();
        QVERIFY(panel->openPolicies({allowAll, guardrailFile}, QStringLiteral("boutique")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->review() && !panel->isReviewing(), 60000);
        const PolicyReview *review = panel->review();
        QCOMPARE(review->clusterPolicies.size(), size_t(1));
        QCOMPARE(review->breaks.size(), size_t(0));
        QCOMPARE(panel->deadTable()->rowCount(), 4);
        QCOMPARE(column(panel->deadTable(), 0),
                 QStringList({"boutique/frontend", "boutique/frontend", "boutique/loadgenerator",
                              "boutique/loadgenerator"}));
        QCOMPARE(column(panel->deadTable(), 1),
                 QStringList({"boutique/paymentservice", "boutique/redis-cart",
                              "boutique/paymentservice", "boutique/redis-cart"}));
        for (const QString &deniedBy : column(panel->deadTable(), 4))
            QCOMPARE(
                deniedBy,
                QStringLiteral("ClusterNetworkPolicy/bulkhead-no-public-to-restricted ingress[0] "
                               "\"no-public-to-restricted\""));
        QCOMPARE(column(panel->deadTable(), 3),
                 QStringList(4, QStringLiteral("boutique/allow-all ingress[0]")));
        QCOMPARE(
            column(panel->guardrailsTable(), 0),
            QStringList{QStringLiteral("ClusterNetworkPolicy/bulkhead-no-public-to-restricted")});
        QCOMPARE(column(panel->guardrailsTable(), 1), QStringList{QStringLiteral("Admin")});
        QVERIFY(panel->summaryText().contains(
            QStringLiteral("4 NetworkPolicy allowance(s) dead under an Admin Deny")));

        // The fence: around paymentservice and redis-cart, named.
        const int payment = doc()->findWorkload(QStringLiteral("boutique/paymentservice"));
        const int redis = doc()->findWorkload(QStringLiteral("boutique/redis-cart"));
        QCOMPARE(doc()->reviewMarks().fences.size(), size_t(1));
        QCOMPARE(doc()->reviewMarks().fences.front().workloads,
                 (std::vector<int>{std::min(payment, redis), std::max(payment, redis)}));
        std::vector<const FenceItem *> fences;
        for (const QGraphicsItem *item : m_window->graphView()->scene()->items())
            if (item->type() == FenceItem::Type)
                fences.push_back(static_cast<const FenceItem *>(item));
        QCOMPARE(fences.size(), size_t(1));
        QCOMPARE(fences.front()->label(),
                 QStringLiteral("Admin: ClusterNetworkPolicy/bulkhead-no-public-to-restricted"));
        for (int w : {payment, redis}) {
            const NodeItem *box = m_window->graphView()->itemOfWorkload(w);
            QVERIFY(fences.front()->boundingRect().contains(box->sceneBoundingRect().center()));
        }
        QVERIFY(!fences.front()->boundingRect().contains(
            m_window->graphView()
                ->itemOfWorkload(doc()->findWorkload(QStringLiteral("boutique/frontend")))
                ->sceneBoundingRect()
                .center()));

        // Under them frontend reaches 12 workloads, 10 directly (not the restricted two).
        const int frontend = doc()->findWorkload(QStringLiteral("boutique/frontend"));
        const BlastRadius radius = doc()->blastRadius(frontend, ReachBasis::Loaded);
        QCOMPARE(radius.reach.size(), size_t(12));
        QCOMPARE(radius.direct.size(), size_t(10));
        QVERIFY(!std::binary_search(radius.direct.begin(), radius.direct.end(), payment));

        // An Admin Deny of observed traffic (frontend -> cartservice) breaks it, tier named, and
        // its arrow is marked; allow-all's allowance of it is dead.
        const QString denyCart
            = writeFile(dir, "deny-cart.yaml", R"(apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: deny-frontend-to-cart
spec:
  tier: Admin
  priority: 10
  subject:
    pods:
      namespaceSelector: {}
      podSelector:
        matchLabels:
          app: cartservice
  ingress:
  - name: not-from-frontend
    action: Deny
    from:
    - pods:
        namespaceSelector: {}
        podSelector:
          matchLabels:
            app: frontend
)");
        QVERIFY(
            panel->openPolicies({allowAll, guardrailFile, denyCart}, QStringLiteral("boutique")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->review() && !panel->isReviewing(), 60000);
        QCOMPARE(panel->breaksTable()->rowCount(), 1);
        QCOMPARE(panel->breaksTable()->item(0, 0)->text(), QStringLiteral("boutique/frontend"));
        QCOMPARE(panel->breaksTable()->item(0, 1)->text(), QStringLiteral("boutique/cartservice"));
        QCOMPARE(panel->breaksTable()->item(0, 5)->text(), QStringLiteral("Admin"));
        QCOMPARE(
            panel->breaksTable()->item(0, 6)->text(),
            QStringLiteral(
                "ClusterNetworkPolicy/deny-frontend-to-cart ingress[0] \"not-from-frontend\""));
        const EdgeItem *toCart = arrow(*m_window, QStringLiteral("boutique/frontend"),
                                       QStringLiteral("boutique/cartservice"));
        QVERIFY(toCart);
        panel->tabs()->setCurrentWidget(
            panel->breaksTable()); // (the Compare tab marks compare's changes)
        QCOMPARE(toCart->mark(), EdgeItem::Mark::Break);
        QVERIFY(column(panel->deadTable(), 1).contains(QStringLiteral("boutique/cartservice")));
        QCOMPARE(doc()->reviewMarks().fences.size(), size_t(2));

        if (const QString folder = qEnvironmentVariable("BULKHEAD_SCREENSHOTS");
            !folder.isEmpty()) {
            QDockWidget *dock = m_window->findChild<QDockWidget *>(QStringLiteral("reviewDock"));
            dock->raise();
            panel->tabs()->setCurrentWidget(panel->breaksTable());
            doc()->selectWorkload(-1);
            for (const auto &[size, suffix] : {std::pair{QSize(1024, 700), QStringLiteral("-1024")},
                                               std::pair{QSize(1600, 1000), QString()}}) {
                m_window->resize(size);
                QTest::qWait(300);
                m_window->graphView()->fitGraph();
                QTest::qWait(1000);
                QVERIFY(m_window->grab().save(folder + "/guardrails-gui" + suffix + ".png"));
            }
            m_window->resize(1024, 700);
        }
        panel->closePolicies();
        QCOMPARE(toCart->mark(), EdgeItem::Mark::None);
    }

    // Last: it adds an inventory to the open model. An Ingress's backends are hinted as likely
    // internet-facing in the review panel, beside the LoadBalancer's; the design is unchanged.
    void ingressHintInTheReviewPanel()
    {
        const QString before = doc()->allPoliciesYaml();
        QTemporaryDir dir;
        const QString file = writeFile(dir, "ingress.yaml", R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: boutique}
spec:
  defaultBackend: {service: {name: checkoutservice, port: {number: 5050}}}
)");
        QSignalSpy model(doc(), &Document::modelChanged);
        QVERIFY(m_window->importFiles({file}));
        QVERIFY(model.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!doc()->isRecomputing(), 30000);
        QCOMPARE(m_window->reviewPanel()->hintsText(),
                 QStringLiteral("Likely internet-facing: boutique/checkoutservice (Ingress "
                                "boutique/web routes to Service "
                                "boutique/checkoutservice); boutique/frontend (Service "
                                "boutique/frontend-external is a "
                                "LoadBalancer). A hint, not an allowance: add an edge from world "
                                "if the internet does "
                                "reach it."));
        QCOMPARE(doc()->allPoliciesYaml(), before);
    }
};

QTEST_MAIN(TestReview)
#include "tst_review.moc"
