// The map at any size (docs/gui.md): levels on a generated 600-workload model (auto level, opening
// a namespace with a double-click, the breadcrumb back, the find box opening a focus view), a
// stable picture on the sample (deny, allow, move and add keep every box that stays where it was),
// the legend, clicking an arrow to list its flows, keyboard navigation, and the inspector read at
// 1024x700 (its fields and the edge table's Peer, Port, Decision and buttons inside the dock).
#include "document.h"
#include "mainwindow.h"
#include "model/model.h"
#include "views/breadcrumbbar.h"
#include "views/edgeflowswidget.h"
#include "views/graphitems.h"
#include "views/graphview.h"
#include "views/inspector.h"
#include "views/legendwidget.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyleOptionViewItem>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

const QString sampleDir = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");

EdgeRef ref(const char *from, const char *to, uint16_t port, Protocol protocol = Protocol::TCP)
{
    return EdgeRef{from, to, protocol, port};
}

bool openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy layout(window.document(), &Document::layoutChanged);
    window.openPath(path);
    return layout.wait(120000) && window.document()->hasLayout();
}

// Waits for the layout of a view just asked for.
bool laidOut(Document *document)
{
    if (document->hasLayout())
        return true;
    QSignalSpy layout(document, &Document::layoutChanged);
    return layout.wait(60000);
}

std::map<std::string, QPointF> positions(const GraphView *view)
{
    std::map<std::string, QPointF> out;
    for (const NodeItem *item : view->nodeItems())
        out[item->data().key] = item->pos();
    return out;
}

int boxKeyed(const GraphView *view, const std::string &key)
{
    for (const NodeItem *item : view->nodeItems())
        if (item->data().key == key)
            return item->node();
    return -1;
}

// Every box kept by `after` is where it was in `before`.
void compareKept(const std::map<std::string, QPointF> &before,
                 const std::map<std::string, QPointF> &after, const std::string &except = {})
{
    int kept = 0;
    for (const auto &[key, pos] : after)
        if (auto it = before.find(key); it != before.end() && key != except) {
            QVERIFY2(it->second == pos, key.c_str());
            ++kept;
        }
    QVERIFY(kept > 0);
}

// A widget is readable: shown, with its whole rectangle inside `container`'s visible rectangle.
bool insideVisibly(const QWidget *widget, const QWidget *container)
{
    if (!widget->isVisible())
        return false;
    const QRect rect(widget->mapTo(container->window(), QPoint(0, 0)), widget->size());
    const QRect area(container->mapTo(container->window(), QPoint(0, 0)), container->size());
    return area.contains(rect);
}

} // namespace

class TestMap : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BulkheadTest"));
        QVERIFY(m_large.isValid());
        QProcess python;
        python.start(QStringLiteral("python3"),
                     {QStringLiteral(BULKHEAD_SOURCE_DIR "/tests/tools/largemodel.py"),
                      m_large.path(), QStringLiteral("600")});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
    }

    void largeModelOpensAtItsAutoLevel()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(openAndWait(window, m_large.path()));
        Document *document = window.document();
        // 600 workloads: too many boxes; 20 namespaces each in one zone (ns N holds svc N, N+20,
        // ...: zone N % 4) fit, so the namespaces level with 20 folded boxes of 30 workloads.
        QCOMPARE(document->view().level, GraphLevel::Namespaces);
        GraphView *view = window.graphView();
        QCOMPARE(view->nodeItems().size(), size_t(20));
        const int ns0 = boxKeyed(view, "n:public/ns00");
        QVERIFY(ns0 >= 0);
        QCOMPARE(document->graph().nodes[ns0].workloads.size(), size_t(30));
        const Model &model = document->model();
        // The namespaces ns00's workloads call and are called from (the generator picks them at
        // random; each namespace lies in one zone): counted on its box, not drawn one by one.
        std::set<std::string> calls, calledFrom;
        size_t crossZone = 0;
        for (const Edge &edge : model.analysis.edges) {
            if (!edge.from.isWorkload() || !edge.to.isWorkload())
                continue;
            const Workload &a = model.inventory.workloads[edge.from.index];
            const Workload &b = model.inventory.workloads[edge.to.index];
            crossZone += a.zone != b.zone;
            if (a.ns == "ns00" && b.ns != "ns00")
                calls.insert(b.ns);
            if (b.ns == "ns00" && a.ns != "ns00")
                calledFrom.insert(a.ns);
        }
        QCOMPARE(document->graph().nodes[ns0].captionText(),
                 QStringLiteral("30 workloads · %1 out, %2 in")
                     .arg(calls.size())
                     .arg(calledFrom.size()));
        QCOMPARE(document->layout().engine, LayoutEngine::Dot); // laid out by dot, in zone clusters
        QCOMPARE(document->layout().clusters.size(), size_t(4));
        // Not 380 namespace arrows (every namespace calls nearly every other): one arrow per pair
        // of zones, drawn once for both ways, from cluster to cluster, carrying every workload
        // arrow that crosses zones; the arrows inside a zone are counted on the boxes.
        QCOMPARE(document->graph().edges.size(), size_t(6));
        size_t carried = 0;
        for (const GraphEdge &edge : document->graph().edges) {
            QVERIFY(edge.bothWays);
            QVERIFY(!edge.tailCluster.empty() && !edge.headCluster.empty());
            carried += size_t(edge.arrows);
        }
        QCOMPARE(carried, crossZone);
        auto *bar = window.findChild<BreadcrumbBar *>();
        QVERIFY(bar);
        QCOMPARE(bar->crumbs(), QStringList{QStringLiteral("All namespaces")});

        // Double-click opens the namespace: its 30 workloads, public's 4 other namespaces and the
        // 3 other zones folded.
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {},
                           view->mapFromScene(view->nodeItems()[ns0]->pos()));
        QVERIFY(laidOut(document));
        QCOMPARE(document->view().level, GraphLevel::Workloads);
        QCOMPARE(document->view().ns, std::string("ns00"));
        QCOMPARE(view->nodeItems().size(), size_t(30 + 4 + 3));
        QVERIFY(boxKeyed(view, "w:ns00/svc00020") >= 0);
        QVERIFY(boxKeyed(view, "z:internal") >= 0);
        // Laid out by dot (no grid), the namespace a cluster of its own; its arrows to the folded
        // boxes drawn once per box (or cluster) from the namespace's frame: ns00 with the 3 other
        // zones and with public's other namespaces, those with the 3 zones, the 3 zones among
        // themselves; and every arrow between two of ns00's workloads.
        QCOMPARE(document->layout().engine, LayoutEngine::Dot);
        size_t inside = 0;
        for (const Edge &edge : model.analysis.edges)
            inside += edge.from.isWorkload() && edge.to.isWorkload() && edge.from != edge.to
                      && model.inventory.workloads[edge.from.index].ns == "ns00"
                      && model.inventory.workloads[edge.to.index].ns == "ns00";
        QCOMPARE(document->graph().edges.size(), 3 + 1 + 3 + 3 + inside);
        int fromNamespace = 0;
        for (const GraphEdge &edge : document->graph().edges)
            fromNamespace += edge.tailCluster == "ns00 (public)";
        QCOMPARE(fromNamespace, 4);
        QVERIFY(!view->nodeItems()[boxKeyed(view, "w:ns00/svc00020")]->data().caption.empty());

        // Deny one of svc00020's folded edges and allow it again: nothing moves.
        const auto beforeDeny = positions(view);
        const int svc20 = document->findWorkload(QStringLiteral("ns00/svc00020"));
        const auto folded = std::find_if(
            model.analysis.edges.begin(), model.analysis.edges.end(), [&](const Edge &edge) {
                return edge.from == Peer::workload(svc20) && edge.to.isWorkload()
                       && model.inventory.workloads[edge.to.index].ns != "ns00";
            });
        QVERIFY(folded != model.analysis.edges.end());
        const EdgeRef deny = document->edgeRefOf(*folded);
        QVERIFY(document->denyEdge(deny));
        QVERIFY(laidOut(document));
        QCOMPARE(positions(view), beforeDeny);
        QTRY_VERIFY_WITH_TIMEOUT(document->allowEdge(deny), 30000); // once the denial is applied
        QVERIFY(laidOut(document));
        QCOMPARE(positions(view), beforeDeny);
        QCOMPARE(bar->crumbs(),
                 (QStringList{QStringLiteral("All namespaces"), QStringLiteral("ns00 in public")}));

        // The find box jumps to a workload folded away: its focus view, one hop both ways.
        auto *find = window.findChild<QLineEdit *>(QStringLiteral("find"));
        find->setText(QStringLiteral("ns07/svc00007"));
        QTest::keyClick(find, Qt::Key_Return);
        QVERIFY(laidOut(document));
        QCOMPARE(document->view().level, GraphLevel::Focus);
        const int svc7
            = document->findWorkload(QStringLiteral("ns07/svc00007")); // (the inventory is sorted)
        QCOMPARE(document->selectedWorkload(), svc7);
        QCOMPARE(document->view().focus, svc7);
        const int self = boxKeyed(view, "w:ns07/svc00007");
        QVERIFY(self >= 0);
        QCOMPARE(document->graph().nodes[self].hops, 0);
        std::set<std::string> expected{"w:ns07/svc00007"};
        const Model &now = document->model(); // (a design change made a new model)
        for (const Edge &edge : now.analysis.edges) {
            if (edge.from == Peer::workload(svc7) && edge.to.isWorkload())
                expected.insert("w:" + now.inventory.workloads[edge.to.index].id());
            if (edge.to == Peer::workload(svc7) && edge.from.isWorkload())
                expected.insert("w:" + now.inventory.workloads[edge.from.index].id());
        }
        std::set<std::string> shown;
        for (const NodeItem *item : view->nodeItems())
            shown.insert(item->data().key);
        QCOMPARE(shown, expected);
        QCOMPARE(bar->crumbs().size(), 3);

        // Back to the overview through the breadcrumb.
        auto *first = bar->findChild<QPushButton *>(QStringLiteral("crumb-0"));
        QVERIFY(first);
        first->click();
        QVERIFY(laidOut(document));
        QCOMPARE(document->view().level, GraphLevel::Namespaces);
        QCOMPARE(view->nodeItems().size(), size_t(20));
        QVERIFY(document->trail().empty());

        // The blast radius at the folded level: the selected workload's namespace box is
        // selected, the boxes it reaches lit with hop counts.
        document->selectWorkload(svc7);
        const int own = boxKeyed(view, "n:restricted/ns07");
        QVERIFY(view->nodeItems()[own]->isSelected());
        int lit = 0;
        for (const NodeItem *item : view->nodeItems())
            lit += item->hops() > 0;
        QVERIFY(lit > 0);

        // A design change that adds a box (svc00007 moved out of restricted: ns07 gets a box in
        // public) keeps the folded zone-to-zone arrows on their dot routes, not straight lines.
        const auto routes = [&] {
            std::map<std::pair<std::string, std::string>, std::vector<LayoutPoint>> out;
            for (size_t i = 0; i < document->graph().edges.size(); ++i) {
                const GraphEdge &edge = document->graph().edges[i];
                if (!edge.tailCluster.empty() && !edge.headCluster.empty())
                    out[{edge.tailCluster, edge.headCluster}] = document->layout().edges[i].bezier;
            }
            return out;
        };
        const auto before = routes();
        QCOMPARE(before.size(), size_t(6));
        QVERIFY(document->moveWorkload(svc7, QStringLiteral("public")));
        QTRY_VERIFY_WITH_TIMEOUT(document->hasLayout() && boxKeyed(view, "n:public/ns07") >= 0,
                                 30000);
        const auto after = routes();
        QCOMPARE(after.size(), size_t(6));
        for (const auto &[ends, curve] : after) {
            const auto was = before.find(ends);
            QVERIFY(was != before.end());
            QVERIFY2(curve.size() >= 4 && curve.size() == was->second.size(),
                     (ends.first + " -> " + ends.second).c_str());
            for (size_t p = 1; p + 1 < curve.size(); ++p) // (its ends follow the frames)
                QCOMPARE(curve[p], was->second[p]);
        }
    }

    void foldedLevelReadsWhenFitted()
    {
        // The namespaces level fitted whole at 1280x800 is drawn below DetailLod: each
        // folded box still writes its name and how many workloads it holds, every arrow has its
        // heads, and arrow labels are written where they cover no box, name or other label.
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(openAndWait(window, m_large.path()));
        QCOMPARE(window.document()->view().level, GraphLevel::Namespaces);
        GraphView *view = window.graphView();
        const double scale = view->transform().m11();
        QVERIFY2(scale < DetailLod, qPrintable(QString::number(scale)));
        std::vector<QRectF> bands;
        for (const NodeItem *item : view->nodeItems()) {
            QCOMPARE(item->legibleScale(), scale);
            const QRectF band = item->legibleBand(scale).translated(item->pos());
            // two lines: the name and "30 workloads"
            QVERIFY2(band.height() * scale >= LegibleTitlePixels + LegibleCaptionPixels,
                     qPrintable(item->title()));
            bands.push_back(band);
        }
        QCOMPARE(view->edgeItems().size(), size_t(6));
        std::vector<QRectF> labels;
        for (const EdgeItem *item : view->edgeItems()) {
            QCOMPARE(item->legibleScale(), scale);
            if (!item->legibleLabel())
                continue;
            const QRectF label = item->legibleLabelRect(scale);
            QVERIFY(label.height() * scale >= LegibleCaptionPixels);
            for (const QRectF &band : bands)
                QVERIFY2(!band.intersects(label), qPrintable(item->label()));
            for (const QRectF &other : labels)
                QVERIFY2(!other.intersects(label), qPrintable(item->label()));
            labels.push_back(label);
        }
        QVERIFY2(labels.size() >= 3, qPrintable(QString::number(labels.size())));
    }

    void aDesignChangeKeepsEveryBoxInPlace()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(openAndWait(window, sampleDir));
        Document *document = window.document();
        GraphView *view = window.graphView();
        QCOMPARE(document->view().level, GraphLevel::Workloads);
        const auto before = positions(view);

        // Deny and allow again: restyled in place.
        QVERIFY(document->denyEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379)));
        QVERIFY(laidOut(document));
        QCOMPARE(positions(view), before);
        QVERIFY(document->allowEdge(ref("boutique/cartservice", "boutique/redis-cart", 6379)));
        QVERIFY(laidOut(document));
        QCOMPARE(positions(view), before);

        // Add an edge nobody observed: a new arrow, every box where it was.
        QSignalSpy layouts(document, &Document::layoutChanged);
        QVERIFY(document->addEdge(ref("boutique/emailservice", "boutique/currencyservice", 7000)));
        QVERIFY(laidOut(document));
        compareKept(before, positions(view));
        QCOMPARE(positions(view).size(), before.size());

        // Move a workload to another zone: it joins the other cluster, nothing else moves.
        const int checkout = document->findWorkload(QStringLiteral("boutique/checkoutservice"));
        QVERIFY(document->moveWorkload(checkout, QStringLiteral("restricted")));
        QVERIFY(laidOut(document));
        const auto moved = positions(view);
        compareKept(before, moved, "w:boutique/checkoutservice");
        // ... and its box lies inside the restricted cluster.
        const NodeItem *box = view->nodeItems()[boxKeyed(view, "w:boutique/checkoutservice")];
        bool inside = false;
        for (const ClusterBox &cluster : document->layout().clusters)
            if (cluster.name == "restricted")
                inside = QRectF(cluster.rect.x, cluster.rect.y, cluster.rect.width,
                                cluster.rect.height)
                             .contains(box->pos());
        QVERIFY(inside);

        // Re-layout is explicit; undoing everything keeps the boxes where they are now.
        document->undo();
        QVERIFY(laidOut(document));
        document->undo();
        QVERIFY(laidOut(document));
        compareKept(moved, positions(view), "w:boutique/checkoutservice");
    }

    void legendArrowsAndKeyboard()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(openAndWait(window, sampleDir));
        auto *legendDock = window.findChild<QDockWidget *>(QStringLiteral("legendDock"));
        QVERIFY(legendDock);
        QVERIFY(legendDock->isVisible());
        auto *legend = legendDock->findChild<LegendWidget *>();
        const QStringList entries = legend->entries();
        for (const char *text :
             {"public", "restricted", "blocked by a zone rule (dashed)", "denied by you (dashed)",
              "added by you, allowed", "flagged by a zone rule, allowed"})
            QVERIFY2(entries.contains(QString::fromUtf8(text)), text);
        QVERIFY(entries.filter(QStringLiteral("hops from the selected")).size() == 1);
        QVERIFY(entries.filter(QStringLiteral("share of workloads reached")).size() == 1);

        // Click an arrow (beside it: the hit area is generous): its flows are listed.
        GraphView *view = window.graphView();
        Document *document = window.document();
        EdgeItem *cartRedis = nullptr;
        for (EdgeItem *edge : view->edgeItems())
            if (document->graph().nodes[edge->data().from].title == "cartservice"
                && document->graph().nodes[edge->data().to].title == "redis-cart")
                cartRedis = edge;
        QVERIFY(cartRedis);
        QSignalSpy selected(view, &GraphView::edgeSelected);
        // A click 5 pixels beside the line, a third of the way along (away from the label), at
        // scale 1: inside the 14-point hit area.
        view->setTransform(QTransform());
        const qreal angle = cartRedis->path().angleAtPercent(0.3) * M_PI / 180;
        const QPointF point = cartRedis->mapToScene(cartRedis->path().pointAtPercent(0.3));
        view->centerOn(point);
        const QPointF normal(std::sin(angle), std::cos(angle)); // (y grows downwards)
        const QPoint click = view->mapFromScene(point) + (normal * 5).toPoint();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, click);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(view->selectedEdge(), cartRedis->edge());
        QVERIFY(cartRedis->isSelected());
        auto *flows = window.findChild<EdgeFlowsWidget *>();
        QVERIFY(flows);
        QVERIFY2(flows->summary().contains(QStringLiteral("cartservice → redis-cart")),
                 qPrintable(flows->summary()));
        QVERIFY(flows->table()->rowCount() >= 1);
        QCOMPARE(flows->table()->item(0, 2)->text(), QStringLiteral("TCP/6379"));

        // Keyboard: arrows move between boxes.
        view->setFocus();
        const int start = boxKeyed(view, "w:boutique/frontend");
        view->selectBox(start);
        QCOMPARE(document->selectedWorkload(),
                 document->findWorkload(QStringLiteral("boutique/frontend")));
        const int right = view->neighbourBox(start, Qt::Key_Right);
        QVERIFY(right >= 0);
        QVERIFY(view->nodeItems()[right]->pos().x() > view->nodeItems()[start]->pos().x());
        QTest::keyClick(view, Qt::Key_Right);
        QCOMPARE(view->currentBox(), right);
        QVERIFY(view->nodeItems()[right]->isSelected());
    }

    void inspectorReadsAt1024x700()
    {
        QSettings().remove(QStringLiteral("window")); // a first start: no dock layout to restore
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, sampleDir));
        QVERIFY(window.findWorkload(QStringLiteral("boutique/frontend")));
        QTest::qWait(50);
        // The window fits a 1024-pixel screen, the map keeps a usable share, no dock is squeezed.
        QCOMPARE(window.width(), 1024);
        QVERIFY2(window.centralWidget()->width() >= 400,
                 qPrintable(QString::number(window.centralWidget()->width())));
        auto *legendDock = window.findChild<QDockWidget *>(QStringLiteral("legendDock"));
        QVERIFY(legendDock && legendDock->isVisible());
        QVERIFY2(legendDock->width() >= 150, qPrintable(QString::number(legendDock->width())));
        auto *legendScroll = legendDock->findChild<QScrollArea *>();
        QVERIFY(legendScroll);
        for (QLabel *entry : legendDock->findChildren<QLabel *>(QStringLiteral("entry"))) {
            // every entry's text lies inside the legend's visible width, wrapped to its height
            const QRect r(entry->mapTo(legendScroll->viewport(), QPoint(0, 0)), entry->size());
            QVERIFY2(r.right() <= legendScroll->viewport()->width(), qPrintable(entry->text()));
            QVERIFY2(entry->height() >= entry->heightForWidth(entry->width()),
                     qPrintable(entry->text()));
        }
        // The bottom docks open on the Tables tab (not on the last tab added, Arrow Paths).
        for (const char *name : {"tablesDock", "edgeFlowsDock", "pathTreeDock"}) {
            auto *bottom = window.findChild<QDockWidget *>(QString::fromLatin1(name));
            QVERIFY2(bottom, name);
            // (a tab behind another has no visible region; isVisible() stays true)
            QVERIFY2(bottom->visibleRegion().isEmpty() == (QByteArray(name) != "tablesDock"), name);
        }
        // The breadcrumb's "double-click a box to open it" is shown whole or not at all, never cut.
        auto *hint = window.findChild<QLabel *>(QStringLiteral("openHint"));
        QVERIFY(hint && hint->isVisible());
        if (hint->width() < hint->sizeHint().width()) {
            const QImage drawn = hint->grab().toImage();
            const QRgb background = drawn.pixel(0, 0);
            for (int y = 0; y < drawn.height(); ++y)
                for (int x = 0; x < drawn.width(); ++x)
                    QVERIFY2(drawn.pixel(x, y) == background,
                             qPrintable(QStringLiteral("cut hint drawn at %1,%2 (%3 of %4 px)")
                                            .arg(x)
                                            .arg(y)
                                            .arg(hint->width())
                                            .arg(hint->sizeHint().width())));
        }
        // The whole map is in sight at 1024x700 (fitted, not cut), and below the scale where
        // names are drawn normally every box writes its name at the readable size.
        GraphView *view = window.graphView();
        const double scale = view->transform().m11();
        QVERIFY2(scale < DetailLod, qPrintable(QString::number(scale)));
        for (const NodeItem *item : view->nodeItems()) {
            const QRect shown = view->mapFromScene(item->sceneBoundingRect()).boundingRect();
            QVERIFY2(view->viewport()->rect().contains(shown), qPrintable(item->title()));
            QCOMPARE(item->legibleScale(), scale);
            QVERIFY(item->legibleBand(scale).height() * scale >= LegibleTitlePixels);
        }
        Inspector *inspector = window.inspector();
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("inspectorDock"));
        QVERIFY(dock->width() >= 340);
        auto *scroll = inspector->findChild<QScrollArea *>(QStringLiteral("fieldsScroll"));
        QVERIFY(scroll);
        // Every field wraps: its height fits its text at its width (nothing cut in half), and
        // it lies inside the scroll area's width (no horizontal clipping).
        for (const char *name : {"title", "labels", "addresses", "ports", "radius", "zone"}) {
            auto *label = inspector->findChild<QLabel *>(QString::fromLatin1(name));
            QVERIFY2(label && label->isVisible(), name);
            // (the fields' height follows the texts once the layout has settled)
            QTRY_VERIFY2_WITH_TIMEOUT(label->height() >= label->heightForWidth(label->width()),
                                      name, 3000);
            const QRect inViewport(label->mapTo(scroll->widget(), QPoint(0, 0)), label->size());
            QVERIFY2(inViewport.right() <= scroll->viewport()->width(), name);
        }
        // The edge table: Peer, Port and Decision columns and the buttons within the visible width.
        QTableWidget *edges = inspector->edgesTable();
        QVERIFY(edges->isVisible());
        QVERIFY(edges->rowCount() >= 5);
        QVERIFY(edges->height() >= 100);
        const int width = edges->viewport()->width();
        for (int column : {1, 2, 4, 5}) {
            const int x = edges->columnViewportPosition(column);
            QVERIFY2(x >= 0 && x + edges->columnWidth(column) <= width + 1,
                     qPrintable(QStringLiteral("column %1 at %2+%3 of %4")
                                    .arg(column)
                                    .arg(x)
                                    .arg(edges->columnWidth(column))
                                    .arg(width)));
            QVERIFY(edges->columnWidth(column) >= 24);
        }
        // Peer, Port and Decision are wide enough for the text they show (nothing elided); the
        // decision wraps within its column, the row as high as its lines. frontend (public)
        // calls cartservice (confidential), two levels up: flagged by one-step-up.
        int flagged = 0;
        for (int r = 0; r < edges->rowCount(); ++r) {
            flagged += edges->item(r, 4)->text() == QStringLiteral("allow, flagged by one-step-up");
            for (int column : {1, 2, 4}) {
                QStyleOptionViewItem option;
                option.initFrom(edges->viewport());
                option.font = edges->font();
                option.rect = QRect(0, 0, edges->columnWidth(column), edges->rowHeight(r));
                option.features |= QStyleOptionViewItem::WrapText; // (as the table asks)
                const QSize needed
                    = edges->itemDelegate()->sizeHint(option, edges->model()->index(r, column));
                QVERIFY2(edges->columnWidth(column) >= needed.width()
                             && edges->rowHeight(r) >= needed.height(),
                         qPrintable(QStringLiteral("row %1 column %2 (%3): %4x%5 < %6x%7")
                                        .arg(r)
                                        .arg(column)
                                        .arg(edges->item(r, column)->text())
                                        .arg(edges->columnWidth(column))
                                        .arg(edges->rowHeight(r))
                                        .arg(needed.width())
                                        .arg(needed.height())));
            }
            // The shown decision is its whole text: "allow", "flagged by", the rule's name in
            // three lines for a flagged edge.
            const QString decision = edges->item(r, 4)->text();
            const int lines = edges->rowHeight(r) / QFontMetrics(edges->font()).lineSpacing();
            QVERIFY2(decision.contains(QStringLiteral("flagged")) ? lines >= 3 : lines >= 1,
                     qPrintable(decision));
        }
        QCOMPARE(flagged, 2); // cartservice and checkoutservice
        auto *button = qobject_cast<QPushButton *>(edges->cellWidget(0, 5));
        QVERIFY(button);
        QVERIFY(insideVisibly(button, edges->viewport()));
        // The workload's own policy comes first, the namespace default-deny after it.
        const QString yaml = inspector->policyYaml();
        const qsizetype own = yaml.indexOf(QStringLiteral("name: frontend"));
        const qsizetype general = yaml.indexOf(QStringLiteral("name: default-deny"));
        QVERIFY2(own >= 0 && general > own, qPrintable(yaml.left(400)));
        // A disabled Allow says why.
        QVERIFY(window.findWorkload(QStringLiteral("boutique/checkoutservice")));
        document(window)->moveWorkload(
            document(window)->findWorkload(QStringLiteral("boutique/checkoutservice")),
            QStringLiteral("restricted"));
        QVERIFY(laidOut(document(window)));
        bool explained = false;
        for (int r = 0; r < edges->rowCount(); ++r)
            if (auto *b = qobject_cast<QPushButton *>(edges->cellWidget(r, 5));
                b && !b->isEnabled())
                explained = b->toolTip().startsWith(
                    QStringLiteral("Blocked by zone rule no-public-to-restricted"));
        QVERIFY(explained);
    }

private:
    static Document *document(MainWindow &window) { return window.document(); }
    QTemporaryDir m_large;
};

QTEST_MAIN(TestMap)
#include "tst_map.moc"
