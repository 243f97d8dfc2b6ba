// bulkhead: the desktop application. `bulkhead [PROJECT | DIRECTORY]`.
#include "document.h"
#include "mainwindow.h"
#include "views/graphview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <memory>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Bulkhead"));
    QApplication::setOrganizationName(QStringLiteral("Bulkhead"));
    QApplication::setApplicationVersion(QStringLiteral(BULKHEAD_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/bulkhead/bulkhead.svg"))); // resources/
    QGuiApplication::setDesktopFileName(QStringLiteral("bulkhead"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Bulkhead: least-privilege Kubernetes NetworkPolicies from observed "
                       "traffic, and the blast radius of each workload."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("path"),
                                 QStringLiteral("A folder with inventory.yaml, captures and an "
                                                "optional zones.yaml (or a project file)."),
                                 QStringLiteral("[PROJECT | DIRECTORY]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a PNG of the window once the graph is laid "
                                                 "out, then quit."),
                                  QStringLiteral("FILE"));
    QCommandLineOption select(QStringLiteral("select"),
                              QStringLiteral("Select a workload (ns/name or name) once loaded."),
                              QStringLiteral("WORKLOAD"));
    QCommandLineOption heat(QStringLiteral("heat"), QStringLiteral("Start in heat mode."));
    QCommandLineOption deny(QStringLiteral("deny"),
                            QStringLiteral("Deny an edge once loaded (for pictures): "
                                           "FROM,TO,PROTOCOL,PORT."),
                            QStringLiteral("EDGE"));
    QCommandLineOption size(QStringLiteral("size"),
                            QStringLiteral("Window size for --screenshot (default 1600x1000)."),
                            QStringLiteral("WxH"));
    QCommandLineOption level(
        QStringLiteral("level"),
        QStringLiteral("Show this level once loaded: zones, namespaces or workloads; "
                       "with --open, inside ZONE or ZONE/NAMESPACE."),
        QStringLiteral("LEVEL"));
    QCommandLineOption openView(QStringLiteral("open"),
                                QStringLiteral("Open a zone, ZONE/NAMESPACE or, in a big "
                                               "namespace, ZONE/NAMESPACE/GROUP once loaded."),
                                QStringLiteral("ZONE[/NAMESPACE[/GROUP]]"));
    QCommandLineOption focus(
        QStringLiteral("focus"),
        QStringLiteral("Show the focus view of a workload (ns/name) once loaded."),
        QStringLiteral("WORKLOAD"));
    QCommandLineOption hops(QStringLiteral("hops"),
                            QStringLiteral("Hops of the focus view (default 1)."),
                            QStringLiteral("K"));
    QCommandLineOption selectEdge(
        QStringLiteral("select-edge"),
        QStringLiteral("Select the arrow between two workloads once laid out (FROM,TO)."),
        QStringLiteral("FROM,TO"));
    parser.addOptions(
        {screenshot, select, heat, deny, size, level, openView, focus, hops, selectEdge});
    parser.process(app);

    bulkhead::ui::MainWindow window;
    if (parser.isSet(screenshot)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0)
            window.resize(wh[0].toInt(), wh[1].toInt());
        else
            window.resize(1600, 1000);
        window.screenshotWhenReady(parser.value(screenshot));
    }
    if (parser.isSet(select) || parser.isSet(heat) || parser.isSet(deny)) {
        const QString workload = parser.value(select);
        const bool heatMode = parser.isSet(heat);
        const QStringList denied = parser.value(deny).split(QLatin1Char(','));
        QObject::connect(window.document(), &bulkhead::ui::Document::layoutChanged, &window,
                         [&window, workload, heatMode, denied] {
                             if (denied.size() == 4 && !window.document()->isModified()) {
                                 bulkhead::EdgeRef edge;
                                 edge.from = denied[0].toStdString();
                                 edge.to = denied[1].toStdString();
                                 edge.protocol = denied[2] == QLatin1String("UDP")
                                                     ? bulkhead::Protocol::UDP
                                                     : bulkhead::Protocol::TCP;
                                 edge.port = static_cast<uint16_t>(denied[3].toUInt());
                                 window.document()->denyEdge(edge);
                             }
                             if (!workload.isEmpty())
                                 window.findWorkload(workload);
                             if (heatMode)
                                 window.graphView()->setHeatMode(true);
                         });
    }
    if (parser.isSet(level) || parser.isSet(openView) || parser.isSet(focus)) {
        // Once, after the first layout: the view asked for (it lays out again).
        auto applied = std::make_shared<bool>(false);
        bulkhead::LevelView view;
        const QStringList opened = parser.value(openView).split(QLatin1Char('/'));
        view.level = bulkhead::graphLevelFromName(parser.value(level).toStdString())
                         .value_or(opened.size() >= 2       ? bulkhead::GraphLevel::Workloads
                                   : parser.isSet(openView) ? bulkhead::GraphLevel::Namespaces
                                                            : bulkhead::GraphLevel::Zones);
        if (parser.isSet(openView)) {
            view.zone = opened.value(0).toStdString();
            view.ns = opened.value(1).toStdString();
            view.group = opened.mid(2).join(QLatin1Char('/')).toStdString();
        }
        const QString focused = parser.value(focus);
        const int hopCount = std::max(1, parser.value(hops).toInt());
        QObject::connect(window.document(), &bulkhead::ui::Document::layoutChanged, &window,
                         [&window, view, focused, hopCount, applied] {
                             if (*applied)
                                 return;
                             *applied = true;
                             auto *document = window.document();
                             if (!focused.isEmpty()) {
                                 const int workload = document->findWorkload(focused);
                                 if (workload >= 0) {
                                     document->focusWorkload(workload, hopCount);
                                     document->selectWorkload(workload);
                                 }
                             } else {
                                 if (!view.group.empty()) { // the namespace first, in the trail
                                     bulkhead::LevelView ns = view;
                                     ns.group.clear();
                                     document->showLevel(ns);
                                 }
                                 document->showLevel(view);
                             }
                         });
    }
    if (parser.isSet(selectEdge)) {
        const QStringList ends = parser.value(selectEdge).split(QLatin1Char(','));
        QObject::connect(
            window.document(), &bulkhead::ui::Document::layoutChanged, &window, [&window, ends] {
                const bulkhead::ui::GraphData &graph = window.document()->graph();
                for (size_t i = 0; ends.size() == 2 && i < graph.edges.size(); ++i) {
                    if (graph.nodes[graph.edges[i].from].key == "w:" + ends[0].toStdString()
                        && graph.nodes[graph.edges[i].to].key == "w:" + ends[1].toStdString())
                        window.graphView()->selectEdge(static_cast<int>(i));
                }
            });
    }
    window.show();
    const QStringList paths = parser.positionalArguments();
    if (!paths.isEmpty())
        window.openPath(paths.first());
    else if (parser.isSet(screenshot))
        window.openPath(bulkhead::ui::MainWindow::sampleDirectory());
    else
        window.offerAutosaveRestore(); // the start page shows otherwise
    return app.exec();
}
