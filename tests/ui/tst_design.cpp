// The design loop of the desktop application on the Online Boutique sample: inspector figures and
// YAML, deny / allow / add an edge / move a workload (each one undo command, state compared
// before and after), save and reopen, background import, models under QAbstractItemModelTester.
#include "dialogs/addedgedialog.h"
#include "dialogs/livecapturedialog.h"
#include "dialogs/policytextdialog.h"
#include "document.h"
#include "mainwindow.h"
#include "model/model.h"
#include "models/findingtablemodel.h"
#include "models/flowtablemodel.h"
#include "models/workloadtablemodel.h"
#include "policy/policyloader.h"
#include "review/evaluator.h"
#include "views/graphitems.h"
#include "views/graphview.h"
#include "views/inspector.h"
#include "views/tablespanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include <algorithm>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

const QString Sample = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");

EdgeRef ref(const char *from, const char *to, uint16_t port, Protocol protocol = Protocol::TCP)
{
    return EdgeRef{from, to, protocol, port};
}

// Whether the exported YAML, read back and evaluated with Kubernetes semantics, allows it.
bool exportAllows(const Document &document, const EdgeRef &edge)
{
    auto policies = loadPoliciesText(document.allPoliciesYaml().toStdString(), "exported.yaml");
    if (!policies)
        qFatal("exported YAML does not load: %s", policies.error().toString().c_str());
    const Inventory &inventory = document.model().inventory;
    const PolicyEvaluator evaluator(inventory, *policies);
    const auto peerOf = [&](const std::string &name) {
        for (size_t i = 0; i < inventory.workloads.size(); ++i)
            if (inventory.workloads[i].id() == name)
                return Peer::workload(static_cast<int>(i));
        qFatal("no workload %s", name.c_str());
    };
    return evaluator.allows(peerOf(edge.from), peerOf(edge.to), edge.protocol, edge.port);
}

bool waitForModel(Document *document)
{
    QSignalSpy spy(document, &Document::modelChanged);
    return spy.wait(60000);
}

} // namespace

class TestDesign : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    Document *doc() const { return m_window->document(); }
    int workload(const char *id) const { return doc()->findWorkload(QString::fromLatin1(id)); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>();
        QVERIFY(m_window->startPageShown());
        m_window->openPath(Sample);
        QVERIFY(waitForModel(doc()));
        QVERIFY(!m_window->startPageShown());
        QTRY_VERIFY_WITH_TIMEOUT(doc()->hasLayout(), 60000);
    }

    void cleanup()
    {
        // Each test starts from the sample as read.
        doc()->setSynchronousLimit(300);
        while (doc()->undoStack()->canUndo())
            doc()->undo();
    }

    void inspectorShowsFiguresAndTheExportedYaml()
    {
        QVERIFY(m_window->findWorkload(QStringLiteral("cartservice")));
        const Inspector *inspector = m_window->inspector();
        // Hand-checked on the sample (bulkhead-cli blast-radius): cartservice reaches
        // redis-cart and coredns, both directly; restricted is the highest zone; three
        // workloads reach it (frontend, checkoutservice, loadgenerator); no policy: 12. The
        // design has no edge from `world`: the internet reaches nothing.
        QCOMPARE(inspector->radiusText(),
                 QStringLiteral("reaches 2 of 12 workloads (17%), 2 directly; highest zone "
                                "restricted; reached by 3; no policy: 12\n"
                                "not reachable from the internet (design)"));
        const QString yaml = inspector->policyYaml();
        QCOMPARE(yaml, doc()->policiesYamlOf({workload("boutique/cartservice")}));
        QVERIFY(yaml.contains(QStringLiteral("name: cartservice")));
        QVERIFY(yaml.contains(QStringLiteral("name: default-deny")));
        // Every policy of the inspector is in the full export, byte for byte.
        for (const QString &document : yaml.split(QStringLiteral("---\n")))
            QVERIFY(doc()->allPoliciesYaml().contains(document.trimmed()));
        // "Open in Window": the same YAML in a window of its own, named after the workload.
        auto *detach = inspector->findChild<QToolButton *>(QStringLiteral("detachYaml"));
        QVERIFY(detach);
        detach->click();
        const QList<PolicyTextDialog *> windows = inspector->findChildren<PolicyTextDialog *>();
        QCOMPARE(windows.size(), 1);
        QCOMPARE(windows.front()->windowTitle(), "Policies of " + inspector->titleText());
        QVERIFY(windows.front()->windowTitle().contains(QStringLiteral("cartservice")));
        QCOMPARE(windows.front()->text(), yaml);
        QVERIFY(windows.front()->testAttribute(Qt::WA_DeleteOnClose));
        windows.front()->close();
        // Edges in and out, each with a decision and a button.
        const QTableWidget *edges = inspector->edgesTable();
        QStringList rows;
        for (int r = 0; r < edges->rowCount(); ++r)
            rows << edges->item(r, 0)->text() + ' ' + edges->item(r, 1)->text() + ' '
                        + edges->item(r, 2)->text() + ' ' + edges->item(r, 4)->text();
        // confidential -> restricted climbs one level: allowed; public -> confidential climbs two.
        QCOMPARE(rows,
                 (QStringList{"out boutique/redis-cart TCP/6379 allow",
                              "out kube-system/coredns UDP/53 allow",
                              "in boutique/checkoutservice TCP/7070 allow",
                              "in boutique/frontend TCP/7070 allow, flagged by one-step-up"}));
    }

    void denyingAnEdgeShrinksTheRadiusAndUndoRestores()
    {
        const EdgeRef edge = ref("boutique/cartservice", "boutique/redis-cart", 6379);
        const QString before = doc()->serializedState();
        const int cart = workload("boutique/cartservice");
        const int frontend = workload("boutique/frontend");
        QVERIFY(exportAllows(*doc(), edge));
        QCOMPARE(doc()->reach(cart, ReachBasis::Design).size(), size_t(2));
        QCOMPARE(doc()->reach(frontend, ReachBasis::Design).size(), size_t(11));
        QSignalSpy modified(doc(), &Document::modifiedChanged);

        // Through the inspector's button, as a user would.
        QVERIFY(m_window->findWorkload(QStringLiteral("boutique/cartservice")));
        QTableWidget *edges = m_window->inspector()->edgesTable();
        QPushButton *deny = nullptr;
        for (int r = 0; r < edges->rowCount(); ++r)
            if (edges->item(r, 1)->text() == QLatin1String("boutique/redis-cart"))
                deny = qobject_cast<QPushButton *>(edges->cellWidget(r, 5));
        QVERIFY(deny);
        QCOMPARE(deny->text(), QStringLiteral("Deny"));
        deny->click();

        QCOMPARE(doc()->undoStack()->count(), 1);
        QVERIFY(doc()->isModified());
        QCOMPARE(modified.count(), 1);
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("[*]")));
        QVERIFY(m_window->isWindowModified());
        QVERIFY(!exportAllows(*doc(), edge));
        // Other edges stay allowed.
        QVERIFY(exportAllows(*doc(), ref("boutique/frontend", "boutique/cartservice", 7070)));
        QCOMPARE(doc()->reach(cart, ReachBasis::Design).size(), size_t(1));      // coredns only
        QCOMPARE(doc()->reach(frontend, ReachBasis::Design).size(), size_t(10)); // not redis
        QVERIFY(m_window->inspector()->radiusText().startsWith(QStringLiteral("reaches 1 of 12")));
        const QString denied = doc()->serializedState();
        QVERIFY(denied.contains(QStringLiteral("denied")));
        QVERIFY(denied != before);

        doc()->undo();
        QCOMPARE(doc()->serializedState(), before);
        QVERIFY(exportAllows(*doc(), edge));
        QCOMPARE(doc()->reach(frontend, ReachBasis::Design).size(), size_t(11));
        QVERIFY(!doc()->isModified());
        doc()->redo();
        QCOMPARE(doc()->serializedState(), denied);
        // Allowing again is its own command; the state is the original one.
        QVERIFY(doc()->allowEdge(edge));
        QCOMPARE(doc()->undoStack()->count(), 2);
        QCOMPARE(doc()->serializedState().section(QStringLiteral("---\n"), 1),
                 before.section(QStringLiteral("---\n"), 1)); // same policies
    }

    void aDesignChangeRestylesTheGraphInPlace()
    {
        // Denying keeps the graph's shape: no new layout, the same items, the arrow restyled.
        GraphView *view = m_window->graphView();
        const std::vector<EdgeItem *> before = view->edgeItems();
        QSignalSpy layouts(doc(), &Document::layoutStarted);
        QVERIFY(doc()->denyEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379)));
        QCOMPARE(layouts.count(), 0);
        QVERIFY(view->edgeItems() == before);
        EdgeItem *redis = nullptr;
        for (EdgeItem *item : view->edgeItems())
            if (doc()->graph().nodes[item->data().from].title == "cartservice"
                && doc()->graph().nodes[item->data().to].title == "redis-cart")
                redis = item;
        QVERIFY(redis);
        QCOMPARE(redis->label(), QStringLiteral("TCP/6379 denied"));
        QVERIFY(redis->data().denied);
        QVERIFY(view->toolTipOf(redis).contains(QStringLiteral("denied by you")));
        doc()->undo();
        QCOMPARE(redis->label(), QStringLiteral("TCP/6379"));
        QVERIFY(!view->toolTipOf(redis).contains(QStringLiteral("denied by you")));
    }

    void largeModelsRecomputeInTheBackground()
    {
        // Above synchronousLimit() the design is computed off the GUI thread; an edit made while
        // an older one runs supersedes it (the older result is dropped).
        const EdgeRef edge = ref("boutique/cartservice", "boutique/redis-cart", 6379);
        const int cart = workload("boutique/cartservice");
        const QString before = doc()->serializedState();
        doc()->setSynchronousLimit(0);
        QSignalSpy changed(doc(), &Document::designChanged);
        QSignalSpy recomputing(doc(), &Document::designRecomputing);

        QVERIFY(doc()->denyEdge(edge));
        QVERIFY(doc()->isRecomputing());
        QCOMPARE(recomputing.count(), 1);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(doc()->decisions().denied.size(), size_t(1)); // the decision is there at once
        QVERIFY(changed.wait(30000));
        QVERIFY(!doc()->isRecomputing());
        QVERIFY(!doc()->isAllowed(edge));
        QVERIFY(!exportAllows(*doc(), edge));
        QCOMPARE(doc()->reach(cart, ReachBasis::Design).size(), size_t(1));
        QVERIFY(m_window->graphView()->edgeItems().size() == doc()->graph().edges.size());

        // Undo and redo and undo at once: one result lands, the last one's.
        changed.clear();
        doc()->undo();
        doc()->redo();
        doc()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(!doc()->isRecomputing(), 30000);
        QTest::qWait(200); // the superseded jobs finish too, and must not land
        QCOMPARE(changed.count(), 1);
        QCOMPARE(doc()->serializedState(), before);
        QVERIFY(exportAllows(*doc(), edge));
        QCOMPARE(doc()->reach(cart, ReachBasis::Design).size(), size_t(2));
        doc()->setSynchronousLimit(300);
    }

    void addingAnEdgeByHand_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("problem"); // empty: accepted
        QTest::newRow("valid") << "boutique/emailservice"
                               << "boutique/currencyservice" << 7000 << "";
        QTest::newRow("no port") << "boutique/emailservice"
                                 << "boutique/currencyservice" << 0
                                 << "The port must be between 1 and 65535.";
        QTest::newRow("unknown")
            << "boutique/nosuch"
            << "boutique/currencyservice" << 7000
            << "\"boutique/nosuch\" is no workload, namespace (ns:NAME), network or address of "
               "this model, nor world or a CIDR.";
        QTest::newRow("already allowed") << "boutique/frontend"
                                         << "boutique/cartservice" << 7070
                                         << "boutique/frontend -> boutique/cartservice TCP/7070 "
                                            "is already allowed.";
    }

    void addingAnEdgeByHand()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(int, port);
        QFETCH(QString, problem);
        const EdgeRef edge{from.toStdString(), to.toStdString(), Protocol::TCP,
                           static_cast<uint16_t>(port)};
        AddEdgeDialog dialog(doc());
        dialog.setEdge(edge);
        QCOMPARE(dialog.problem(), problem);
        QCOMPARE(dialog.isAcceptable(), problem.isEmpty());
        const QString before = doc()->serializedState();
        const int commands = doc()->undoStack()->index();
        const auto added = doc()->addEdge(dialog.edge());
        QCOMPARE(added.has_value(), problem.isEmpty());
        if (!problem.isEmpty()) {
            QCOMPARE(QString::fromStdString(added.error().message), problem);
            QCOMPARE(doc()->undoStack()->index(), commands);
            QCOMPARE(doc()->serializedState(), before);
            return;
        }
        QCOMPARE(doc()->undoStack()->index(), commands + 1);
        const int email = workload("boutique/emailservice");
        QVERIFY(exportAllows(*doc(), edge));
        QCOMPARE(doc()->reach(email, ReachBasis::Design).size(), size_t(1));
        // The graph shows the new arrow, marked as added.
        bool shown = false;
        for (const GraphEdge &e : doc()->graph().edges)
            shown = shown || (e.added && std::ranges::find(e.ports, "TCP/7000") != e.ports.end());
        QVERIFY(shown);
        doc()->undo();
        QCOMPARE(doc()->serializedState(), before);
        QVERIFY(!exportAllows(*doc(), edge));
    }

    void movingAWorkloadChangesZonesAndRules()
    {
        // frontend (public) -> checkoutservice (confidential) is flagged by one-step-up... moving
        // checkoutservice to restricted makes no-public-to-restricted block it.
        const EdgeRef edge = ref("boutique/frontend", "boutique/checkoutservice", 5050);
        const int checkout = workload("boutique/checkoutservice");
        const QString before = doc()->serializedState();
        QVERIFY(exportAllows(*doc(), edge));
        QVERIFY(m_window->findWorkload(QStringLiteral("boutique/checkoutservice")));
        QComboBox *zones = m_window->inspector()->zoneCombo();
        QCOMPARE(zones->currentText(), QStringLiteral("confidential"));
        QVERIFY(doc()->moveWorkload(checkout, QStringLiteral("restricted")));
        QCOMPARE(QString::fromStdString(doc()->model().inventory.workloads[checkout].zone),
                 QStringLiteral("restricted"));
        QCOMPARE(m_window->inspector()->zoneText(), QStringLiteral("restricted"));
        QVERIFY(!exportAllows(*doc(), edge));
        bool blocked = false;
        for (const ZoneFinding &f : doc()->intent().blocked)
            blocked = blocked
                      || (doc()->edgeRefOf(f.edge) == edge && f.rule == "no-public-to-restricted");
        QVERIFY(blocked);
        QVERIFY(doc()->serializedState().contains(QStringLiteral("boutique/checkoutservice")));
        // The workload table shows the new zone.
        const auto *table = m_window->tables()->workloadModel();
        bool tableShowsIt = false;
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c)
                tableShowsIt = tableShowsIt
                               || (table->index(r, WorkloadTableModel::Name).data().toString()
                                       == "checkoutservice"
                                   && table->index(r, c).data().toString() == "restricted");
        QVERIFY(tableShowsIt);
        doc()->undo();
        QCOMPARE(doc()->serializedState(), before);
        QVERIFY(exportAllows(*doc(), edge));
    }

    void saveAndReopenGiveTheSameState()
    {
        QTemporaryDir dir;
        doc()->denyEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379));
        doc()->moveWorkload(workload("boutique/adservice"), QStringLiteral("confidential"));
        QVERIFY(doc()->addEdge(ref("boutique/emailservice", "boutique/currencyservice", 7000)));
        const QString file = dir.filePath(QStringLiteral("shop.bulkhead"));
        QVERIFY(m_window->saveAs(file));
        QVERIFY(!doc()->isModified());
        QVERIFY(!m_window->isWindowModified());
        const QString saved = doc()->serializedState();

        Document reopened;
        reopened.open(file);
        QVERIFY(waitForModel(&reopened));
        QCOMPARE(reopened.serializedState(), saved);
        QCOMPARE(reopened.decisions(), doc()->decisions());
        QCOMPARE(reopened.decisions().denied.size(), size_t(1));
        QCOMPARE(reopened.decisions().added.size(), size_t(1));
        QCOMPARE(reopened.decisions().zoneOverrides.size(), size_t(1));
        QVERIFY(!reopened.isModified());
    }

    void exportsWriteFiles()
    {
        QTemporaryDir dir;
        QVERIFY(m_window->findWorkload(QStringLiteral("boutique/cartservice")));
        const QString selection = dir.filePath(QStringLiteral("cart.yaml"));
        QVERIFY(m_window->exportPoliciesTo(selection, true));
        QFile f(selection);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), m_window->inspector()->policyYaml());
        QVERIFY(m_window->exportPoliciesToFolder(dir.path()));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("boutique-cartservice.yaml"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("boutique-default-deny.yaml"))));
        const QString report = dir.filePath(QStringLiteral("report.json"));
        QVERIFY(m_window->exportReportTo(report));
        QFile r(report);
        QVERIFY(r.open(QIODevice::ReadOnly));
        const QByteArray json = r.readAll();
        QVERIFY(json.contains("\"flagged\""));
        QVERIFY(json.contains("\"intentEdges\""));
        QVERIFY(m_window->exportGraphTo(dir.filePath(QStringLiteral("g.svg")), true));
        QVERIFY(m_window->exportGraphTo(dir.filePath(QStringLiteral("g.png")), false));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("g.png"))).size() > 1000);
        QFile svg(dir.filePath(QStringLiteral("g.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("cartservice"));
    }

    void modelsPassTheTesterThroughDesignChanges()
    {
        TablesPanel *tables = m_window->tables();
        QAbstractItemModelTester w(tables->workloadModel(),
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester f(tables->flowModel(),
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester wp(tables->workloadProxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester fp(tables->flowProxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        doc()->moveWorkload(workload("boutique/adservice"), QStringLiteral("public"));
        doc()->undo();
        tables->flowFilter()->setText(QStringLiteral("redis"));
        QVERIFY(tables->flowProxy()->rowCount() > 0);
        QVERIFY(tables->flowProxy()->rowCount() < tables->flowModel()->rowCount());
        tables->flowFilter()->clear();
    }

    void findingsListAttemptsFlagsAndDenials()
    {
        TablesPanel *tables = m_window->tables();
        QAbstractItemModelTester tester(tables->findingModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto rowsOfKind = [&](const QString &kind) {
            QStringList rows;
            const auto *model = tables->findingModel();
            for (int r = 0; r < model->rowCount(); ++r)
                if (model->index(r, FindingTableModel::Kind).data().toString() == kind)
                    rows << model->index(r, FindingTableModel::Subject).data().toString();
            return rows;
        };
        // The sample holds one refused and one unanswered attempt
        // (samples/online-boutique/README.md).
        QCOMPARE(rowsOfKind("attempt").size(), 2);
        QCOMPARE(size_t(rowsOfKind("attempt").size()), doc()->model().analysis.attempts.size());
        QCOMPARE(rowsOfKind("zone flag"),
                 (QStringList{"boutique/frontend -> boutique/cartservice TCP/7070",
                              "boutique/frontend -> boutique/checkoutservice TCP/5050"}));
        QVERIFY(rowsOfKind("denied").isEmpty());
        doc()->denyEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379));
        QCOMPARE(rowsOfKind("denied"),
                 QStringList{"boutique/cartservice -> boutique/redis-cart TCP/6379"});
        doc()->undo();
        QVERIFY(rowsOfKind("denied").isEmpty());
    }

    void graphSelectionShowsInTheWorkloadTable()
    {
        TablesPanel *tables = m_window->tables();
        QVERIFY(m_window->findWorkload(QStringLiteral("boutique/paymentservice")));
        const QModelIndex current = tables->workloadView()->selectionModel()->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(current.data(WorkloadTableModel::WorkloadIndexRole).toInt(),
                 doc()->selectedWorkload());
        QCOMPARE(tables->workloadProxy()
                     ->index(current.row(), WorkloadTableModel::Name)
                     .data()
                     .toString(),
                 QStringLiteral("paymentservice"));
        // And back: a row picked in the table selects that workload.
        const int row = current.row() == 0 ? 1 : 0;
        tables->workloadView()->selectionModel()->setCurrentIndex(
            tables->workloadProxy()->index(row, 0),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(doc()->selectedWorkload(), tables->workloadProxy()
                                                ->index(row, 0)
                                                .data(WorkloadTableModel::WorkloadIndexRole)
                                                .toInt());
    }

    void flowsBelongToTheirEdges()
    {
        // Every established flow from frontend to cartservice (through the cartservice Service
        // or not) belongs to exactly the edge frontend -> cartservice TCP/7070.
        const Model &model = doc()->model();
        int checked = 0;
        for (const ObservedFlow &flow : model.analysis.flows) {
            if (flow.state != FlowState::Established || flow.ownNode
                || !flow.clientPeer.isWorkload()
                || model.inventory.workloads[flow.clientPeer.index].name != "frontend")
                continue;
            const auto refs = edgesOfFlow(*doc(), flow);
            for (const EdgeRef &r : refs)
                if (r.to == "boutique/cartservice") {
                    QCOMPARE(refs.size(), size_t(1));
                    QCOMPARE(r, ref("boutique/frontend", "boutique/cartservice", 7070));
                    ++checked;
                }
        }
        QVERIFY(checked >= 1);
    }

    void importsACaptureInTheBackground()
    {
        // A folder with the inventory only, then the captures imported.
        QTemporaryDir dir;
        QVERIFY(QFile::copy(Sample + "/inventory.yaml", dir.filePath("inventory.yaml")));
        QVERIFY(QFile::copy(Sample + "/zones.yaml", dir.filePath("zones.yaml")));
        MainWindow window;
        window.openPath(dir.path());
        QVERIFY(waitForModel(window.document()));
        QCOMPARE(window.document()->model().analysis.flows.size(), size_t(0));
        QSignalSpy started(window.document(), &Document::loadingStarted);
        QSignalSpy changed(window.document(), &Document::modelChanged);
        window.importFiles({Sample + "/node1.pcapng", Sample + "/node2.pcap"});
        QCOMPARE(started.count(), 1);
        QVERIFY(window.document()->isLoading()); // the read runs in the background
        QVERIFY(window.progressDialog());
        QVERIFY(changed.wait(60000));
        QVERIFY(!window.document()->isLoading());
        QCOMPARE(window.document()->model().analysis.flows.size(),
                 doc()->model().analysis.flows.size());
        QCOMPARE(window.document()->allPoliciesYaml(), doc()->allPoliciesYaml());
    }

    void liveCaptureDialogChecksTheFilterAsTyped_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << "" << true;
        QTest::newRow("tcp port") << "tcp port 443" << true;
        QTest::newRow("typo") << "tcp prot 443" << false;
        QTest::newRow("dangling and") << "udp and" << false;
    }

    void liveCaptureDialogChecksTheFilterAsTyped()
    {
        QFETCH(QString, filter);
        QFETCH(bool, valid);
        LiveCaptureDialog dialog(doc());
        dialog.filter()->setText(filter);
        QCOMPARE(dialog.filterIsValid(), valid);
        QCOMPARE(dialog.filterProblem().isEmpty(), valid);
    }
};

QTEST_MAIN(TestDesign)
#include "tst_design.moc"
