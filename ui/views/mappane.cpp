#include "views/mappane.h"

#include "document.h"
#include "views/breadcrumbbar.h"
#include "views/edgeflowswidget.h"
#include "views/graphview.h"
#include "views/legendwidget.h"
#include "views/pathtreewidget.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace bulkhead::ui {

QWidget *createMapPane(Document *document, GraphView *graphView)
{
    auto *pane = new QWidget;
    pane->setObjectName(QStringLiteral("mapPane"));
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(new BreadcrumbBar(document));
    layout->addWidget(graphView, 1);
    return pane;
}

void addMapDocks(QMainWindow *window, Document *document, GraphView *graphView,
                 QDockWidget *inspectorDock, QDockWidget *tablesDock)
{
    auto *legendDock = new QDockWidget(QObject::tr("Legend"), window);
    legendDock->setObjectName(QStringLiteral("legendDock"));
    legendDock->setWidget(new LegendWidget(document, legendDock));
    window->addDockWidget(Qt::LeftDockWidgetArea, legendDock);
    window->resizeDocks({legendDock}, {230}, Qt::Horizontal);

    auto *flowsDock = new QDockWidget(QObject::tr("Arrow Flows"), window);
    flowsDock->setObjectName(QStringLiteral("edgeFlowsDock"));
    auto *flows = new EdgeFlowsWidget(document, flowsDock);
    flowsDock->setWidget(flows);
    window->addDockWidget(Qt::BottomDockWidgetArea, flowsDock);
    if (tablesDock)
        window->tabifyDockWidget(tablesDock, flowsDock);
    // The arrow's HTTP path tree (docs/cilium.md "Path decisions"), tabbed with its flows.
    auto *pathsDock = new QDockWidget(QObject::tr("Arrow Paths"), window);
    pathsDock->setObjectName(QStringLiteral("pathTreeDock"));
    auto *paths = new PathTreeWidget(document, pathsDock);
    pathsDock->setWidget(paths);
    window->addDockWidget(Qt::BottomDockWidgetArea, pathsDock);
    window->tabifyDockWidget(flowsDock, pathsDock);
    if (tablesDock)
        tablesDock->raise(); // the tables first; a click on an arrow raises its flows or paths
    QObject::connect(graphView, &GraphView::edgeSelected, flows,
                     [flows, flowsDock, paths, pathsDock](int edge) {
                         flows->showEdge(edge);
                         paths->showEdge(edge);
                         if (edge < 0)
                             return;
                         // An arrow with HTTP requests opens on its paths, any other on its flows.
                         if (paths->tree()->topLevelItemCount() > 0)
                             pathsDock->raise();
                         else
                             flowsDock->raise();
                     });
    (void)inspectorDock;
    // Once the window has its real size and a model to show: docks squeezed meanwhile get a
    // usable width back.
    QObject::connect(document, &Document::modelChanged, window, [window] {
        QTimer::singleShot(0, window, [window] { restoreUsableDockWidths(window); });
    });
}

void restoreUsableDockWidths(QMainWindow *window)
{
    // One resizeDocks call for all of them: one at a time, widening one squeezes the other.
    const int windowWidth = window->width();
    QList<QDockWidget *> docks;
    QList<int> widths;
    for (QDockWidget *dock : window->findChildren<QDockWidget *>()) {
        if (dock->isFloating() || !dock->isVisible())
            continue;
        const Qt::DockWidgetArea area = window->dockWidgetArea(dock);
        if (area != Qt::LeftDockWidgetArea && area != Qt::RightDockWidgetArea)
            continue;
        const bool inspector = dock->objectName() == QLatin1String("inspectorDock");
        const int usable
            = inspector ? std::min(400, windowWidth / 3 + 60) : std::min(200, windowWidth / 6);
        docks << dock;
        widths << std::max(usable, dock->width());
    }
    bool narrow = false;
    for (int i = 0; i < docks.size(); ++i)
        narrow = narrow || docks[i]->width() < widths[i];
    // Nor do the docks eat the map: when it has less than 45% of the window (a small screen), they
    // go back to their usable widths.
    const QWidget *centre = window->centralWidget();
    if (centre && centre->width() < windowWidth * 45 / 100) {
        narrow = true;
        for (int i = 0; i < docks.size(); ++i) {
            const bool inspector = docks[i]->objectName() == QLatin1String("inspectorDock");
            widths[i]
                = inspector ? std::min(400, windowWidth / 3 + 60) : std::min(200, windowWidth / 6);
        }
    }
    if (narrow)
        window->resizeDocks(docks, widths, Qt::Horizontal);
}

} // namespace bulkhead::ui
