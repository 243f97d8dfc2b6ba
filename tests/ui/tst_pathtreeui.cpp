// The HTTP path tree of the selected arrow in the desktop application (docs/cilium.md "Path
// decisions"), on the HTTP capture of tests/tools/httpapp.h: known nodes and counts, collapse and
// split as undoable decisions, the decisions panel, the saved project and the Cilium export.
#include "docks/decisionspanel.h"
#include "document.h"
#include "httpapp.h"
#include "mainwindow.h"
#include "views/graphitems.h"
#include "views/graphview.h"
#include "views/pathtreewidget.h"

#include <QDockWidget>
#include <QFile>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

bool openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy layout(window.document(), &Document::layoutChanged);
    window.openPath(path);
    return layout.wait(120000) && window.document()->hasLayout();
}

int edgeBetween(const Document *document, const char *from, const char *to)
{
    const GraphData &graph = document->graph();
    for (size_t i = 0; i < graph.edges.size(); ++i)
        if (graph.nodes[graph.edges[i].from].title == from
            && graph.nodes[graph.edges[i].to].title == to)
            return static_cast<int>(i);
    return -1;
}

QString cell(const QTreeWidgetItem *item, int column)
{
    return item ? item->text(column) : QStringLiteral("<no row>");
}

} // namespace

class TestPathTreeUi : public QObject
{
    Q_OBJECT

private slots:
    void treeCollapseSplitUndoSave();
    void projectThreshold();
};

void TestPathTreeUi::treeCollapseSplitUndoSave()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(testing::writeHttpApp(dir.path().toStdString()));
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, dir.path()));
    Document *document = window.document();
    auto *paths = window.findChild<PathTreeWidget *>();
    QVERIFY(paths);

    // The TLS arrow: no paths, said in one line.
    const int tls = edgeBetween(document, "web", "pay");
    QVERIFY(tls >= 0);
    window.graphView()->selectEdge(tls);
    QTRY_COMPARE(window.graphView()->selectedEdge(), tls);
    QCOMPARE(paths->note(),
             QStringLiteral("No HTTP requests seen on this arrow; TLS traffic carries no paths."));
    QCOMPARE(paths->tree()->topLevelItemCount(), 0);

    // web -> api: the tree with its known counts; /users collapsed by the threshold.
    const int api = edgeBetween(document, "web", "api");
    QVERIFY(api >= 0);
    window.graphView()->selectEdge(api);
    QTRY_COMPARE(window.graphView()->selectedEdge(), api);
    QCOMPARE(paths->tree()->topLevelItemCount(), 1);
    const QTreeWidgetItem *top = paths->tree()->topLevelItem(0);
    QCOMPARE(top->text(PathTreeWidget::Segment), QStringLiteral("shop/web → shop/api · TCP/8080"));
    const auto row
        = [&](const char *node) { return paths->itemOf("shop/web", "shop/api", 8080, node); };
    QCOMPARE(cell(row("/"), PathTreeWidget::Requests), QStringLiteral("8"));
    QCOMPARE(cell(row("/"), PathTreeWidget::Paths), QStringLiteral("7"));
    QCOMPARE(cell(row("/"), PathTreeWidget::Methods), QStringLiteral("GET, POST"));
    QCOMPARE(cell(row("/users"), PathTreeWidget::Requests), QStringLiteral("5"));
    QCOMPARE(cell(row("/users"), PathTreeWidget::Collapsed),
             QStringLiteral("→ /users/[^/]+ · threshold"));
    // GET /users/4?full=1: the pattern takes an optional query string in.
    QCOMPARE(cell(row("/users/[^/]+"), PathTreeWidget::Rules),
             QStringLiteral("GET /users/[^/]+([?].*)?"));
    QCOMPARE(cell(row("/orders"), PathTreeWidget::Requests), QStringLiteral("3"));
    QCOMPARE(cell(row("/orders"), PathTreeWidget::Methods), QStringLiteral("GET, POST"));
    QCOMPARE(cell(row("/orders"), PathTreeWidget::Collapsed), QString());
    QCOMPARE(cell(row("/orders"), PathTreeWidget::Rules), QStringLiteral("POST /orders"));
    QCOMPARE(cell(row("/orders/1"), PathTreeWidget::Rules), QStringLiteral("GET /orders/1"));
    QVERIFY(!row("/users/1"));

    // Collapse /orders: the pattern shown changes; one undo command; the decisions panel lists it.
    const int commands = document->undoStack()->count();
    paths->tree()->setCurrentItem(row("/orders"));
    QVERIFY(paths->collapseSelected());
    QCOMPARE(document->undoStack()->count(), commands + 1);
    QCOMPARE(cell(row("/orders"), PathTreeWidget::Collapsed),
             QStringLiteral("→ /orders/[^/]+ · decision"));
    QCOMPARE(cell(row("/orders/[^/]+"), PathTreeWidget::Rules),
             QStringLiteral("GET /orders/[^/]+"));
    QVERIFY(!row("/orders/1"));
    QCOMPARE(document->decisions().paths.size(), size_t(1));
    QVERIFY(!paths->collapseSelected()); // already so: nothing pushed
    auto *panel = window.findChild<DecisionsPanel *>();
    QVERIFY(panel);
    QCOMPARE(panel->table()->rowCount(), 1);
    QCOMPARE(panel->table()->item(0, 0)->text(), QStringLiteral("Paths collapsed"));
    QCOMPARE(panel->table()->item(0, 1)->text(),
             QStringLiteral("/orders on shop/web → shop/api TCP/8080"));

    // Undo: back to the threshold's tree; redo: collapsed again.
    document->undo();
    QCOMPARE(cell(row("/orders"), PathTreeWidget::Collapsed), QString());
    QCOMPARE(cell(row("/orders/2"), PathTreeWidget::Rules), QStringLiteral("GET /orders/2"));
    QVERIFY(document->decisions().paths.empty());
    document->redo();
    QCOMPARE(cell(row("/orders/[^/]+"), PathTreeWidget::Rules),
             QStringLiteral("GET /orders/[^/]+"));

    // Split /users: every user path listed.
    paths->tree()->setCurrentItem(row("/users"));
    QVERIFY(paths->splitSelected());
    QCOMPARE(cell(row("/users"), PathTreeWidget::Collapsed),
             QStringLiteral("kept apart · decision"));
    QCOMPARE(cell(row("/users/4"), PathTreeWidget::Requests), QStringLiteral("2"));
    QVERIFY(!row("/users/[^/]+"));

    // Saved with the project; the Cilium export honours both decisions.
    const QString project = dir.filePath("app.bulkhead");
    QVERIFY(window.saveAs(project));
    QFile saved(project);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray text = saved.readAll();
    QVERIFY2(text.contains("  paths:\n"
                           "    - {from: \"shop/web\", to: \"shop/api\", port: 8080, path: "
                           "\"/orders\", action: \"collapse\"}\n"
                           "    - {from: \"shop/web\", to: \"shop/api\", port: 8080, path: "
                           "\"/users\", action: \"split\"}\n"),
             text.constData());
    const QString cilium = dir.filePath("cilium.yaml");
    QVERIFY(window.exportCiliumTo(cilium));
    QFile exported(cilium);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QByteArray yaml = exported.readAll();
    QVERIFY2(yaml.contains("          path: \"/orders/[^/]+\"\n"), yaml.constData());
    QVERIFY2(yaml.contains("          path: \"/users/4([?].*)?\"\n"), yaml.constData());
    QVERIFY2(!yaml.contains("/users/[^/]+"), yaml.constData());
    QVERIFY2(yaml.contains("          path: /users/9\n"), yaml.constData()); // the admin's own rule

    // Remove the split from the tree: the threshold decides again.
    paths->tree()->setCurrentItem(row("/users"));
    QVERIFY(paths->removeSelectedDecision());
    // GET /users/4?full=1: the pattern takes an optional query string in.
    QCOMPARE(cell(row("/users/[^/]+"), PathTreeWidget::Rules),
             QStringLiteral("GET /users/[^/]+([?].*)?"));
}

// The project's options.pathCollapse is the threshold of the dock's trees and of the Cilium
// export: 5 keeps the four user ids apart.
void TestPathTreeUi::projectThreshold()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(testing::writeHttpApp(dir.path().toStdString()));
    const QString project = dir.filePath("app.bulkhead");
    QFile file(project);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("formatVersion: 1\ninventories: [inventory.yaml]\ncaptures: [http.pcap]\n"
               "options:\n  pathCollapse: 5\n");
    file.close();
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, project));
    Document *document = window.document();
    QCOMPARE(document->pathCollapse(), 5);
    auto *paths = window.findChild<PathTreeWidget *>();
    QVERIFY(paths);
    const int api = edgeBetween(document, "web", "api");
    QVERIFY(api >= 0);
    window.graphView()->selectEdge(api);
    QTRY_COMPARE(window.graphView()->selectedEdge(), api);
    const auto row
        = [&](const char *node) { return paths->itemOf("shop/web", "shop/api", 8080, node); };
    QCOMPARE(cell(row("/users"), PathTreeWidget::Collapsed), QString());
    QCOMPARE(cell(row("/users/1"), PathTreeWidget::Rules), QStringLiteral("GET /users/1"));
    QVERIFY(!row("/users/[^/]+"));
    const QString cilium = dir.filePath("cilium.yaml");
    QVERIFY(window.exportCiliumTo(cilium));
    QFile exported(cilium);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QByteArray yaml = exported.readAll();
    QVERIFY2(yaml.contains("          path: /users/1\n"), yaml.constData());
    QVERIFY2(!yaml.contains("[^/]+"), yaml.constData());
    // Saved back with the project.
    QVERIFY(window.saveAs(project));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("\n  pathCollapse: 5\n"));
}

QTEST_MAIN(TestPathTreeUi)
#include "tst_pathtreeui.moc"
