#include "document.h"
#include "mainwindow.h"
#include "model/model.h"
#include "models/flowtablemodel.h"
#include "models/workloadtablemodel.h"
#include "views/graphitems.h"
#include "views/graphview.h"
#include "views/inspector.h"
#include "views/tablespanel.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableWidget>
#include <QtTest>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

const QString sampleDir = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");

NodeItem *nodeNamed(GraphView *view, const QString &title)
{
    for (NodeItem *item : view->nodeItems())
        if (item->title() == title)
            return item;
    return nullptr;
}

} // namespace

// The desktop application on the Online Boutique sample (samples/online-boutique/README.md
// describes its 13 workloads, its traffic and its zones).
class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings away from the user's
        QCoreApplication::setOrganizationName(QStringLiteral("BulkheadTest"));
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QSignalSpy modelSpy(m_window->document(), &Document::modelChanged);
        QSignalSpy layoutSpy(m_window->document(), &Document::layoutChanged);
        m_window->openPath(sampleDir);
        QVERIFY(m_window->document()->isLoading()); // the load runs in the background
        QTRY_COMPARE_WITH_TIMEOUT(layoutSpy.count(), 1, 60000);
        QCOMPARE(modelSpy.count(), 1);
        QVERIFY(!m_window->document()->isLoading());
    }

    void cleanupTestCase() { m_window.reset(); }

    void sceneHasOneBoxPerWorkloadAtItsLayoutPosition()
    {
        Document *document = m_window->document();
        const Model &model = document->model();
        QCOMPARE(model.inventory.workloads.size(), size_t(13));
        GraphView *view = m_window->graphView();
        QCOMPARE(view->nodeItems().size(), document->graph().nodes.size());
        int workloadItems = 0;
        QSet<int> seen;
        for (NodeItem *item : view->nodeItems()) {
            const LayoutPoint centre = document->layout().nodes[item->node()].centre;
            QCOMPARE(item->pos(), QPointF(centre.x, centre.y));
            QCOMPARE(item->scene(), view->scene());
            if (item->peer().isWorkload()) {
                ++workloadItems;
                seen.insert(item->peer().index);
                QCOMPARE(item->title(), QString::fromStdString(
                                            model.inventory.workloads[item->peer().index].name));
            }
        }
        QCOMPARE(workloadItems, 13);
        QCOMPARE(seen.size(), 13);
        // The two internet clients are set apart, outside the workload clusters.
        QVERIFY(nodeNamed(view, QStringLiteral("203.0.113.50")));
        QVERIFY(nodeNamed(view, QStringLiteral("2001:db8::50")));
        QCOMPARE(view->edgeItems().size(), document->graph().edges.size());
        // Edge labels drawn by Qt: checkout -> email on the container port 8080, not 5000.
        bool emailEdge = false;
        for (EdgeItem *edge : view->edgeItems()) {
            const auto &graph = document->graph();
            if (graph.nodes[edge->data().from].title == "checkoutservice"
                && graph.nodes[edge->data().to].title == "emailservice") {
                QCOMPARE(edge->label(), QStringLiteral("TCP/8080"));
                emailEdge = true;
            }
        }
        QVERIFY(emailEdge);
    }

    void inspectorShowsTheSelectedWorkload()
    {
        QSignalSpy selection(m_window->document(), &Document::selectionChanged);
        QVERIFY(m_window->findWorkload(QStringLiteral("cartservice")));
        QCOMPARE(selection.count(), 1);
        Inspector *inspector = m_window->inspector();
        QCOMPARE(inspector->titleText(), QStringLiteral("boutique/cartservice"));
        QVERIFY2(inspector->labelsText().split('\n').contains("app=cartservice"),
                 qPrintable(inspector->labelsText()));
        QVERIFY(inspector->labelsText().contains("bulkhead.io/sensitivity=confidential"));
        QCOMPARE(inspector->portsText(), QStringLiteral("TCP/7070"));
        QCOMPARE(inspector->zoneText(), QStringLiteral("confidential"));
        // In: frontend and checkoutservice on 7070; out: redis-cart on 6379 and DNS.
        QTableWidget *edges = inspector->edgesTable();
        QStringList rows;
        for (int r = 0; r < edges->rowCount(); ++r)
            rows << edges->item(r, 0)->text() + ' ' + edges->item(r, 1)->text() + ' '
                        + edges->item(r, 2)->text();
        rows.sort();
        QCOMPARE(rows, (QStringList{
                           "in boutique/checkoutservice TCP/7070", "in boutique/frontend TCP/7070",
                           "out boutique/redis-cart TCP/6379", "out kube-system/coredns UDP/53"}));
        // The policy as exported: selects cartservice, admits 7070, lets it reach redis on 6379.
        const QString yaml = inspector->policyYaml();
        QVERIFY2(yaml.contains("name: cartservice"), qPrintable(yaml));
        QVERIFY(yaml.contains("port: 7070"));
        QVERIFY(yaml.contains("port: 6379"));
        QVERIFY(yaml.contains("name: default-deny"));
        // The graph selected it too.
        NodeItem *item = nodeNamed(m_window->graphView(), QStringLiteral("cartservice"));
        QVERIFY(item && item->isSelected());
    }

    void blastRadiusLightsWhatTheWorkloadReaches()
    {
        Document *document = m_window->document();
        GraphView *view = m_window->graphView();
        QVERIFY(m_window->findWorkload(QStringLiteral("boutique/frontend")));
        // Design: frontend reaches every workload but loadgenerator (11 of 12).
        QCOMPARE(document->reach(document->selectedWorkload()).size(), size_t(11));
        QCOMPARE(nodeNamed(view, "productcatalogservice")->hops(), 1);
        QCOMPARE(nodeNamed(view, "redis-cart")->hops(), 2);     // via cartservice
        QCOMPARE(nodeNamed(view, "paymentservice")->hops(), 2); // via checkoutservice
        QCOMPARE(nodeNamed(view, "loadgenerator")->hops(), -1);
        QVERIFY(nodeNamed(view, "loadgenerator")->opacity() < 0.5);
        QCOMPARE(nodeNamed(view, "redis-cart")->opacity(), 1.0);
        QVERIFY(m_window->inspector()->radiusText().startsWith("reaches 11 of 12"));

        document->setRadiusPolicy(ReachBasis::NoPolicy);
        QCOMPARE(nodeNamed(view, "loadgenerator")->hops(), 1);
        QCOMPARE(nodeNamed(view, "redis-cart")->hops(), 1);
        QCOMPARE(nodeNamed(view, "loadgenerator")->opacity(), 1.0);
        document->setRadiusPolicy(ReachBasis::Design);

        // redis-cart reaches nothing.
        QVERIFY(m_window->findWorkload(QStringLiteral("redis-cart")));
        QVERIFY(document->reach(document->selectedWorkload()).empty());
        QVERIFY(nodeNamed(view, "frontend")->opacity() < 0.5);
        document->selectWorkload(-1);
        QCOMPARE(nodeNamed(view, "frontend")->opacity(), 1.0);
    }

    void modelsPassTheModelTester()
    {
        TablesPanel *tables = m_window->tables();
        QAbstractItemModelTester workloads(tables->workloadModel(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester flows(tables->flowModel(),
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester workloadProxy(
            tables->workloadProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester flowProxy(tables->flowProxy(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(tables->workloadModel()->rowCount(), 13);
        QCOMPARE(size_t(tables->flowModel()->rowCount()),
                 m_window->document()->model().analysis.flows.size());
        tables->flowFilter()->setText(QStringLiteral("refused"));
        tables->flowFilter()->clear();
    }

    void flowFilterNarrowsRows_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("rows");
        // From the sample's traffic table (samples/online-boutique/README.md).
        QTest::newRow("the refused SYN to 8081") << "refused" << 1;
        QTest::newRow("the unanswered SYN to a gone pod") << "unanswered" << 1;
        QTest::newRow("loadgenerator's 3 connections to the frontend VIP")
            << "service boutique/frontend" << 3;
        QTest::newRow("the redis VIP (mid-stream)") << "service boutique/redis-cart" << 1;
        QTest::newRow("case-insensitive") << "SERVICE BOUTIQUE/REDIS-CART" << 1;
        QTest::newRow("nothing") << "no such thing" << 0;
    }

    void flowFilterNarrowsRows()
    {
        QFETCH(QString, filter);
        QFETCH(int, rows);
        TablesPanel *tables = m_window->tables();
        tables->flowFilter()->setText(filter);
        QCOMPARE(tables->flowProxy()->rowCount(), rows);
        tables->flowFilter()->clear();
        QCOMPARE(tables->flowProxy()->rowCount(), tables->flowModel()->rowCount());
    }

    void workloadFilterNarrowsRows()
    {
        TablesPanel *tables = m_window->tables();
        tables->workloadFilter()->setText(QStringLiteral("restricted"));
        QCOMPARE(tables->workloadProxy()->rowCount(), 2); // paymentservice, redis-cart
        tables->workloadFilter()->clear();
        QCOMPARE(tables->workloadProxy()->rowCount(), 13);
    }

    void namespaceClustersRelayOutInTheBackground()
    {
        Document *document = m_window->document();
        QSignalSpy layoutSpy(document, &Document::layoutChanged);
        document->setClusterMode(ClusterMode::Namespace);
        QTRY_COMPARE_WITH_TIMEOUT(layoutSpy.count(), 1, 60000);
        QStringList clusters;
        for (const ClusterBox &box : document->layout().clusters)
            clusters << QString::fromStdString(box.name);
        QCOMPARE(clusters, (QStringList{"boutique", "kube-system", "outside the workloads"}));
        document->setClusterMode(ClusterMode::Zone);
        QTRY_COMPARE_WITH_TIMEOUT(layoutSpy.count(), 2, 60000);
        QCOMPARE(document->layout().clusters.size(), size_t(5)); // four zones + outside
    }

    void badFolderFailsWithAMessage()
    {
        Document document;
        QSignalSpy failed(&document, &Document::loadFailed);
        document.open(QStringLiteral(BULKHEAD_SOURCE_DIR "/core"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QVERIFY(failed.at(0).at(0).toString().contains("no inventory.yaml"));
        QVERIFY(!document.hasModel());
    }

private:
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
