// bulkhead: the desktop application. `bulkhead [PROJECT | DIRECTORY]`.
#include "document.h"
#include "mainwindow.h"
#include "views/graphview.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Bulkhead"));
    QApplication::setOrganizationName(QStringLiteral("Bulkhead"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

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
    parser.addOptions({screenshot, select, heat, deny});
    parser.process(app);

    bulkhead::ui::MainWindow window;
    if (parser.isSet(screenshot)) {
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
