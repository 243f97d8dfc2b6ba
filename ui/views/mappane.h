#pragma once

class QMainWindow;
class QWidget;
class QDockWidget;

namespace bulkhead::ui {

class Document;
class GraphView;

// The map's pieces around the graph view, so that MainWindow only calls these: the central
// pane (breadcrumb bar over the graph), the legend dock (shown by default) and the arrow's flows
// dock (tabbed with `tablesDock`), and the check that keeps restored docks usable.
QWidget *createMapPane(Document *document, GraphView *graphView);
void addMapDocks(QMainWindow *window, Document *document, GraphView *graphView,
                 QDockWidget *inspectorDock, QDockWidget *tablesDock);
// Docks squeezed narrower than they can be read (a restored state, a small screen) get a usable
// width back: the inspector at least 380 points (or a third of the window on small windows).
void restoreUsableDockWidths(QMainWindow *window);

} // namespace bulkhead::ui
