// The map of a big model at 1024x700 (docs/gui.md): the breadcrumb is read whole, never cut by
// the focus hops and Re-layout beside it, and a namespace of more than 60 workloads opens on
// groups of them (generated 1,220-workload model: each of its 20 namespaces holds 61 workloads
// of one name stem, so two name ranges) that open in turn.
#include "document.h"
#include "mainwindow.h"
#include "views/breadcrumbbar.h"
#include "views/graphitems.h"
#include "views/graphview.h"

#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

bool openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy layout(window.document(), &Document::layoutChanged);
    window.openPath(path);
    return layout.wait(120000) && window.document()->hasLayout();
}

bool laidOut(Document *document)
{
    if (document->hasLayout())
        return true;
    QSignalSpy layout(document, &Document::layoutChanged);
    return layout.wait(60000);
}

bool generate(const QString &dir, int workloads)
{
    QProcess python;
    python.start(QStringLiteral("python3"),
                 {QStringLiteral(BULKHEAD_SOURCE_DIR "/tests/tools/largemodel.py"), dir,
                  QString::number(workloads)});
    return python.waitForFinished(60000) && python.exitCode() == 0;
}

const NodeItem *boxKeyed(const GraphView *view, const std::string &key)
{
    for (const NodeItem *item : view->nodeItems())
        if (item->data().key == key)
            return item;
    return nullptr;
}

QRect rectIn(const QWidget *widget, const QWidget *ancestor)
{
    return QRect(widget->mapTo(ancestor, QPoint(0, 0)), widget->size());
}

// Every crumb of the bar is shown inside it with its text whole (an earlier crumb's shortened
// text whole in its button; the current crumb's full caption), and none overlaps the hops and
// Re-layout.
void checkCrumbsReadable(BreadcrumbBar *bar, int expected)
{
    const QWidget *window = bar->window();
    QVERIFY(window->rect().contains(rectIn(bar, window)));
    const auto *controls = bar->findChild<QWidget *>(QStringLiteral("crumbControls"));
    QVERIFY(controls && controls->isVisible());
    const QRect controlsRect = rectIn(controls, bar);
    QVERIFY(bar->rect().contains(controlsRect));
    for (const char *name : {"focusHopsLabel", "focusHops", "relayout"}) {
        const auto *control = controls->findChild<QWidget *>(QString::fromLatin1(name));
        QVERIFY2(control && control->isVisible(), name);
        QVERIFY2(control->width() >= control->sizeHint().width(), name);
    }
    int shown = 0;
    for (QWidget *crumb : bar->findChildren<QWidget *>()) {
        const QVariant caption = crumb->property("caption");
        if (!caption.isValid() || !crumb->isVisible())
            continue;
        ++shown;
        const QRect r = rectIn(crumb, bar);
        const QString what = caption.toString();
        QVERIFY2(bar->rect().contains(r), qPrintable(what));
        QVERIFY2(!r.intersects(controlsRect), qPrintable(what));
        if (auto *button = qobject_cast<QPushButton *>(crumb)) {
            QVERIFY2(button->width() >= button->sizeHint().width(), qPrintable(what));
            QVERIFY2(button->text() == what || button->text().contains(QChar(0x2026)),
                     qPrintable(button->text()));
        } else {
            const auto *label = qobject_cast<QLabel *>(crumb);
            QVERIFY(label);
            QVERIFY2(label->contentsRect().width() >= label->fontMetrics().horizontalAdvance(what),
                     qPrintable(QStringLiteral("%1: %2 px").arg(what).arg(label->width())));
        }
    }
    QCOMPARE(shown, expected);
    QCOMPARE(bar->crumbs().size(), expected);
}

} // namespace

class TestMapScale : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("BulkheadTest"));
        QVERIFY(m_dir.isValid());
        QVERIFY(generate(m_dir.path(), 1220));
    }

    void bigNamespaceOpensOnGroupsAt1024x700()
    {
        QSettings().remove(QStringLiteral("window")); // a first start: no dock layout to restore
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, m_dir.path()));
        Document *document = window.document();
        GraphView *view = window.graphView();
        auto *bar = window.findChild<BreadcrumbBar *>();
        QVERIFY(bar);
        QCOMPARE(document->view().level, GraphLevel::Namespaces);
        QCOMPARE(view->nodeItems().size(), size_t(20));
        checkCrumbsReadable(bar, 1);

        // ns00 holds svc00000, svc00020, ..., svc01200: 61 workloads, one stem ("svc"), over
        // the limit of 60 (kGroupLimit): two name ranges (30 and 31) beside public's 4 other
        // namespaces and the 3 other zones.
        const NodeItem *ns00 = boxKeyed(view, "n:public/ns00");
        QVERIFY(ns00);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(ns00->pos()));
        QVERIFY(laidOut(document));
        QCOMPARE(document->view().ns, std::string("ns00"));
        QCOMPARE(view->nodeItems().size(), size_t(2 + 4 + 3));
        const NodeItem *low = boxKeyed(view, "s:public/ns00/svc00000 – svc00580");
        const NodeItem *high = boxKeyed(view, "s:public/ns00/svc00600 – svc01200");
        QVERIFY(low && high);
        QCOMPARE(low->data().kind, BoxKind::Group);
        QCOMPARE(low->data().workloads.size(), size_t(30));
        QCOMPARE(high->data().workloads.size(), size_t(31));
        QVERIFY(low->data().captionText().startsWith(QStringLiteral("30 workloads")));
        QCOMPARE(low->data().clusterName(), QStringLiteral("ns00 (public)"));
        QCOMPARE(document->layout().engine, LayoutEngine::Dot);
        checkCrumbsReadable(bar, 2);

        // Double-click a range: its 31 workloads, the other range folded beside them.
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(high->pos()));
        QVERIFY(laidOut(document));
        QCOMPARE(document->view().group, std::string("svc00600 – svc01200"));
        QCOMPARE(view->nodeItems().size(), size_t(31 + 1 + 4 + 3));
        const NodeItem *svc3000 = boxKeyed(view, "w:ns00/svc00600");
        QVERIFY(svc3000);
        QCOMPARE(svc3000->data().clusterName(),
                 QStringLiteral("ns00 › svc00600 – svc01200 (public)"));
        QVERIFY(boxKeyed(view, "s:public/ns00/svc00000 – svc00580"));
        QCOMPARE(bar->crumbs(),
                 (QStringList{QStringLiteral("All namespaces"), QStringLiteral("ns00 in public"),
                              QStringLiteral("svc00600 – svc01200")}));
        checkCrumbsReadable(bar, 3);

        // Focus a workload from there (the find box): four crumbs, still whole at 1024x700.
        QVERIFY(window.findWorkload(QStringLiteral("ns00/svc00000")));
        QVERIFY(laidOut(document));
        QCOMPARE(document->view().level, GraphLevel::Focus);
        QTest::qWait(20);
        checkCrumbsReadable(bar, 4);
        QCOMPARE(bar->crumbs().last(), QStringLiteral("Focus ns00/svc00000 (1 hop)"));

        // Back to the namespace: its groups again.
        auto *second = bar->findChild<QPushButton *>(QStringLiteral("crumb-1"));
        QVERIFY(second);
        second->click();
        QVERIFY(laidOut(document));
        QCOMPARE(view->nodeItems().size(), size_t(2 + 4 + 3));
    }

    void breadcrumbOfAFocusReadsAt1024x700()
    {
        // The window as --screenshot --size 1024x700 --select ns00/svc00000 shows it: the focus
        // view's crumb was cut by the focus hops beside it.
        QSettings().remove(QStringLiteral("window"));
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, m_dir.path()));
        QVERIFY(window.findWorkload(QStringLiteral("ns00/svc00000")));
        QVERIFY(laidOut(window.document()));
        QTest::qWait(20);
        auto *bar = window.findChild<BreadcrumbBar *>();
        QCOMPARE(bar->crumbs(), (QStringList{QStringLiteral("All namespaces"),
                                             QStringLiteral("Focus ns00/svc00000 (1 hop)")}));
        checkCrumbsReadable(bar, 2);
        // A wide window keeps the hops and Re-layout beside the crumbs, on one row.
        window.resize(1600, 1000);
        QTest::qWait(20);
        QVERIFY(!bar->controlsBelow());
        checkCrumbsReadable(bar, 2);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMapScale)
#include "tst_mapscale.moc"
