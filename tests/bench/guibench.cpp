// bulkhead-guibench DATADIR: the desktop application at scale (issue 6's GUI targets).
//
// For 1k, 2k, 5k and 20k workloads (tests/tools/largemodel.py, written to DATADIR once and reused)
// it creates the real MainWindow, opens the model and prints one table:
//   open -> interactive   from openPath until the laid-out graph has been painted and a probe
//                         posted to the event loop runs within 50 ms; "max stall" is the longest
//                         gap of a 10 ms QTimer heartbeat meanwhile (how long the GUI froze)
//   select a workload     selectWorkload until its blast-radius highlight is applied and the
//                         view has painted it (the worst of 5 workloads)
//   deny an edge          denyEdge until the design's result is applied and the view has
//                         painted it; then undo the same way
//   open a zone, a        from the auto-level overview, Document::showLevel (a zone's namespaces,
//   namespace, focus      then the selected workload's namespace) and focusWorkload, each until
//                         laid out and painted
//   paint whole graph     the fitted view rendered into a QImage (best of 3); and zoomed in at 1:1
// Each size runs in its own process (this program with --case), so its peak memory is its own.
// The platform is QT_QPA_PLATFORM (offscreen when unset and there is no display).
//
//   bulkhead-guibench DATADIR [SIZES...]    the table (sizes default to 1000 2000 5000 20000)
//   bulkhead-guibench --case DIR            one model; prints "key value" lines
#include "document.h"
#include "mainwindow.h"
#include "model/model.h"
#include "views/graphview.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QLoggingCategory>
#include <QPainter>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <sys/resource.h>
#include <utility>
#include <vector>

using namespace bulkhead;
using namespace bulkhead::ui;

namespace {

double cpuNow()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// A 10 ms heartbeat on the GUI thread: the longest gap between two beats since reset() is the
// longest time the event loop could not run.
class Heartbeat : public QObject
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_maxGap = std::max(m_maxGap, now - m_last);
            if (now - m_last > 100'000'000 && qEnvironmentVariableIsSet("GUIBENCH_GAPS"))
                std::fprintf(stderr, "gap %.0f ms ending at %.3f s\n", (now - m_last) / 1e6,
                             now / 1e9);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    double now() const { return m_clock.nsecsElapsed() / 1e9; }
    void reset()
    {
        m_last = m_clock.nsecsElapsed();
        m_maxGap = 0;
    }
    // The longest gap so far, counting the one still open.
    double maxGapMs() const { return std::max(m_maxGap, m_clock.nsecsElapsed() - m_last) / 1e6; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGap = 0;
};

// Runs the event loop until `done` holds (checked after every event batch) or `seconds` pass.
template <typename Predicate>
bool spinUntil(Predicate done, double seconds)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > seconds * 1000)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

// Lets every posted event (scene updates, queued results) run, then paints the view at once.
void flushAndRepaint(GraphView *view)
{
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    view->viewport()->repaint();
}

double threadCpuNow()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// Wall-clock and GUI-thread processor milliseconds of rendering the view into an image, best of 3.
std::pair<double, double> renderMs(GraphView *view)
{
    double best = 1e9, bestCpu = 1e9;
    for (int round = 0; round < 3; ++round) {
        QImage image(view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QElapsedTimer timer;
        timer.start();
        const double c0 = threadCpuNow();
        QPainter painter(&image);
        view->render(&painter);
        painter.end();
        best = std::min(best, timer.nsecsElapsed() / 1e6);
        bestCpu = std::min(bestCpu, (threadCpuNow() - c0) * 1000);
    }
    return {best, bestCpu};
}

void put(const char *key, double value)
{
    std::printf("%s %.6f\n", key, value);
}

int runCase(int argc, char **argv, const QString &dir)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QApplication app(argc, argv);
    if (!qEnvironmentVariableIsSet("GUIBENCH_GAPS"))
        QLoggingCategory::setFilterRules(QStringLiteral("bulkhead.ui.info=false"));
    QApplication::setApplicationName(QStringLiteral("bulkhead-guibench"));
    QApplication::setOrganizationName(QStringLiteral("bulkhead-guibench"));
    QStandardPaths::setTestModeEnabled(true);

    MainWindow window;
    window.resize(1400, 900);
    if (qEnvironmentVariableIsSet("GUIBENCH_NO_DOCKS")) // the graph alone: what the docks cost
        for (QDockWidget *dock : window.findChildren<QDockWidget *>())
            dock->hide();
    window.show();
    Document *doc = window.document();
    GraphView *view = window.graphView();
    spinUntil([] { return false; }, 0.3); // the window is up and painted

    Heartbeat heartbeat;
    bool shown = false;
    bool painted = false;
    bool failed = false;
    QObject::connect(doc, &Document::layoutChanged, &window, [&] { shown = true; });
    if (qEnvironmentVariableIsSet("GUIBENCH_GAPS")) {
        // When each signal's handlers (connected before this) are done, on the heartbeat's clock.
        QObject::connect(doc, &Document::modelChanged, &window, [&heartbeat] {
            std::fprintf(stderr, "modelChanged handled at %.3f s\n", heartbeat.now());
        });
        QObject::connect(doc, &Document::layoutChanged, &window, [&heartbeat] {
            std::fprintf(stderr, "layoutChanged handled at %.3f s\n", heartbeat.now());
        });
    }
    QObject::connect(doc, &Document::loadFailed, &window, [&] { failed = true; });
    QObject::connect(doc, &Document::layoutFailed, &window, [&] { failed = true; });
    struct PaintWatch : QObject
    {
        bool *shown;
        bool *painted;
        int paints = 0; // of the graph's viewport, ever
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint) {
                ++paints;
                if (*shown)
                    *painted = true;
            }
            return false;
        }
    } watch;
    watch.shown = &shown;
    watch.painted = &painted;
    view->viewport()->installEventFilter(&watch);

    // Open, then probe the event loop every 10 ms once the graph is painted.
    heartbeat.reset();
    QElapsedTimer clock;
    clock.start();
    const double cpu0 = cpuNow();
    window.openPath(dir);
    double interactive = -1;
    double shownAt = -1;
    while (interactive < 0 && !failed && clock.elapsed() < 300000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
        if (shown && shownAt < 0)
            shownAt = clock.nsecsElapsed() / 1e9;
        if (!painted)
            continue;
        const qint64 posted = clock.nsecsElapsed();
        qint64 fired = -1;
        QTimer::singleShot(0, &window, [&] { fired = clock.nsecsElapsed(); });
        spinUntil([&] { return fired >= 0; }, 60);
        if ((fired - posted) / 1e6 < 50)
            interactive = fired / 1e9;
        else
            spinUntil([] { return false; }, 0.01);
    }
    if (interactive < 0) {
        std::fprintf(stderr, "bulkhead-guibench: %s did not open\n", qPrintable(dir));
        return 1;
    }
    put("interactive", interactive);
    put("interactive_cpu", cpuNow() - cpu0);
    put("shown", shownAt);
    put("load_stall_ms", heartbeat.maxGapMs());
    put("read_s", doc->loadSeconds());
    put("layout_s", doc->layoutSeconds());
    put("workloads", double(doc->model().inventory.workloads.size()));
    put("nodes", double(doc->graph().nodes.size()));
    put("edges", double(doc->graph().edges.size()));
    std::printf("engine %s\n", layoutEngineName(doc->layout().engine).data());

    // Selection: the worst of five workloads spread over the model, each until painted.
    const int n = static_cast<int>(doc->model().inventory.workloads.size());
    double worstHandler = 0, worstSelect = 0, worstSelectCpu = 0;
    // GUIBENCH_SELECT_ROUNDS repeats the five (for a profiler).
    const int rounds = std::max(1, qEnvironmentVariableIntValue("GUIBENCH_SELECT_ROUNDS"));
    for (int i = 1; i <= 5 * rounds; ++i) {
        const int workload = n * (1 + (i - 1) % 5) / 6;
        spinUntil([] { return false; }, 0.05);
        QElapsedTimer timer;
        timer.start();
        const double c0 = cpuNow();
        const int paints = watch.paints;
        doc->selectWorkload(workload);
        const double handler = timer.nsecsElapsed() / 1e6;
        // Until the view has painted the new highlight (the paint the selection asked for).
        if (!spinUntil([&] { return watch.paints > paints; }, 10))
            view->viewport()->repaint();
        if (qEnvironmentVariableIsSet("GUIBENCH_GAPS"))
            std::fprintf(stderr, "select %d: handlers %.1f ms, until painted %.1f ms\n", workload,
                         handler, timer.nsecsElapsed() / 1e6);
        worstHandler = std::max(worstHandler, handler);
        worstSelect = std::max(worstSelect, timer.nsecsElapsed() / 1e6);
        worstSelectCpu = std::max(worstSelectCpu, (cpuNow() - c0) * 1000);
    }
    put("select_handler_ms", worstHandler);
    put("select_ms", worstSelect);
    put("select_cpu_ms", worstSelectCpu);

    // A design change: deny one allowed edge of the selected workload, then undo it.
    const int selected = doc->selectedWorkload();
    const Edge *allowed = nullptr;
    for (const Edge &edge : doc->intent().edges)
        if (edge.from == Peer::workload(selected)) {
            allowed = &edge;
            break;
        }
    if (!allowed) {
        std::fprintf(stderr, "bulkhead-guibench: workload %d has no allowed edge\n", selected);
        return 1;
    }
    const EdgeRef ref = doc->edgeRefOf(*allowed);
    int designs = 0;
    QObject::connect(doc, &Document::designChanged, &window, [&] { ++designs; });
    const auto measureChange = [&](const char *name, auto change) {
        spinUntil([] { return false; }, 0.1);
        designs = 0;
        heartbeat.reset();
        QElapsedTimer timer;
        timer.start();
        const double c0 = cpuNow();
        change();
        const double returned = timer.nsecsElapsed() / 1e6;
        if (!spinUntil([&] { return designs > 0; }, 60))
            std::fprintf(stderr, "bulkhead-guibench: no designChanged after %s\n", name);
        // Until the view has painted the restyled graph.
        const int paints = watch.paints;
        if (!spinUntil([&] { return watch.paints > paints; }, 10))
            view->viewport()->repaint();
        const std::string key(name);
        put((key + "_ms").c_str(), timer.nsecsElapsed() / 1e6);
        put((key + "_cpu_ms").c_str(), (cpuNow() - c0) * 1000);
        put((key + "_call_ms").c_str(), returned);
        put((key + "_stall_ms").c_str(), heartbeat.maxGapMs());
    };
    measureChange("deny", [&] { doc->denyEdge(ref); });
    if (doc->isAllowed(ref))
        std::fprintf(stderr, "bulkhead-guibench: the denied edge is still allowed\n");
    measureChange("undo", [&] { doc->undo(); });

    // Levels (docs/gui.md): open a zone of the overview, then focus a workload; each until the
    // new view's layout has landed and the view has painted it.
    std::printf("level %s\n", std::string(graphLevelName(doc->view().level)).c_str());
    const auto measureView = [&](const char *name, auto change) {
        spinUntil([] { return false; }, 0.1);
        bool laid = false;
        int paints
            = 0; // when the layout landed (the view rebuilt its scene first; it paints later)
        const auto connection = QObject::connect(doc, &Document::layoutChanged, &window, [&] {
            laid = true;
            paints = watch.paints;
        });
        QElapsedTimer timer;
        timer.start();
        const double c0 = cpuNow();
        change();
        if (!spinUntil([&] { return laid; }, 60))
            std::fprintf(stderr, "bulkhead-guibench: no layout after %s\n", name);
        if (!spinUntil([&] { return watch.paints > paints; }, 10))
            view->viewport()->repaint();
        QObject::disconnect(connection);
        const std::string key(name);
        put((key + "_ms").c_str(), timer.nsecsElapsed() / 1e6);
        put((key + "_cpu_ms").c_str(), (cpuNow() - c0) * 1000);
        put((key + "_nodes").c_str(), double(doc->graph().nodes.size()));
    };
    measureView("open_zone", [&] {
        LevelView zone{GraphLevel::Namespaces};
        zone.zone = doc->model().zones.levels.front().name;
        doc->showLevel(zone);
    });
    measureView("open_namespace", [&] { // (a namespace of more than 300: its groups)
        const Workload &w = doc->model().inventory.workloads[selected];
        LevelView ns{GraphLevel::Workloads, w.zone, w.ns};
        doc->showLevel(ns);
    });
    measureView("focus", [&] { doc->focusWorkload(selected, 1); });
    doc->backTo(0);
    spinUntil([&] { return doc->hasLayout(); }, 60);

    // Painting: the whole graph fitted in the view, then 1:1 around the selected workload.
    view->fitGraph();
    flushAndRepaint(view);
    const auto [all, allCpu] = renderMs(view);
    put("paint_all_ms", all);
    put("paint_all_cpu_ms", allCpu);
    view->setTransform(QTransform());
    view->centreOnWorkload(selected);
    flushAndRepaint(view);
    const auto [zoom, zoomCpu] = renderMs(view);
    put("paint_zoom_ms", zoom);
    put("paint_zoom_cpu_ms", zoomCpu);

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    put("peak_mib", usage.ru_maxrss / 1024.0);
    std::fflush(stdout);
    return 0;
}

using Figures = std::map<std::string, std::string>;

Figures runChild(const std::string &self, const std::string &dir)
{
    Figures figures;
    const std::string command = "'" + self + "' --case '" + dir + "'";
    FILE *pipe = popen(command.c_str(), "r");
    if (!pipe)
        return figures;
    char line[512];
    while (std::fgets(line, sizeof line, pipe)) {
        char key[128], value[256];
        if (std::sscanf(line, "%127s %255s", key, value) == 2)
            figures[key] = value;
    }
    if (pclose(pipe) != 0)
        figures["failed"] = "1";
    return figures;
}

double num(const Figures &f, const std::string &key)
{
    auto it = f.find(key);
    return it == f.end() ? -1 : std::atof(it->second.c_str());
}

void row(const char *what, const std::string &input, double seconds, double cpu, double stallMs,
         double peak, const std::string &note)
{
    std::printf("| %-30s | %-26s | %9.3f | %7.3f | %9.0f | %8.1f | %-44s |\n", what, input.c_str(),
                seconds, cpu, stallMs, peak, note.c_str());
    std::fflush(stdout);
}

int runSuite(const std::string &self, const std::string &data, std::vector<int> sizes)
{
    if (sizes.empty())
        sizes = {1000, 2000, 5000, 20000};
    std::printf(
        "\nBulkhead GUI benchmark (QT_QPA_PLATFORM=%s); seconds: wall-clock; cpu s: processor "
        "time of the process (all threads); max stall: longest gap of a 10 ms heartbeat on "
        "the GUI thread\n\n",
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")
            ? (qEnvironmentVariableIsEmpty("DISPLAY") ? "offscreen" : "xcb")
            : qgetenv("QT_QPA_PLATFORM").constData());
    std::printf("| %-30s | %-26s | %9s | %7s | %9s | %8s | %-44s |\n", "case", "input", "seconds",
                "cpu s", "stall ms", "peak MiB", "note");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", std::string(32, '-').c_str(),
                std::string(28, '-').c_str(), std::string(11, '-').c_str(),
                std::string(9, '-').c_str(), std::string(11, '-').c_str(),
                std::string(10, '-').c_str(), std::string(46, '-').c_str());
    for (int n : sizes) {
        const std::string dir = data + "/largemodel-" + std::to_string(n);
        if (!std::filesystem::exists(dir + "/inventory.yaml")) {
            const std::string command = "python3 '" BULKHEAD_SOURCE_DIR
                                        "/tests/tools/largemodel.py' '"
                                        + dir + "' " + std::to_string(n);
            if (std::system(command.c_str()) != 0) {
                std::fprintf(stderr, "bulkhead-guibench: cannot write %s\n", dir.c_str());
                return 1;
            }
        }
        const Figures f = runChild(self, dir);
        if (f.count("failed") || !f.count("peak_mib")) {
            std::printf("| %-30s | %-26s | %9s |\n", "open -> interactive",
                        (std::to_string(n) + " workloads").c_str(), "FAILED");
            continue;
        }
        char input[64], note[128];
        std::snprintf(input, sizeof input, "%d boxes, %d arrows", int(num(f, "nodes")),
                      int(num(f, "edges")));
        const double peak = num(f, "peak_mib");
        std::snprintf(note, sizeof note, "read %.2f s, %s layout %.2f s, shown at %.2f s",
                      num(f, "read_s"), f.at("engine").c_str(), num(f, "layout_s"),
                      num(f, "shown"));
        row("open -> interactive", input, num(f, "interactive"), num(f, "interactive_cpu"),
            num(f, "load_stall_ms"), peak, note);
        std::snprintf(note, sizeof note, "handlers %.1f ms, then the paint; worst of 5",
                      num(f, "select_handler_ms"));
        row("select -> highlight painted", input, num(f, "select_ms") / 1000,
            num(f, "select_cpu_ms") / 1000, num(f, "select_ms"), peak, note);
        for (const char *change : {"deny", "undo"}) {
            const std::string key(change);
            std::snprintf(note, sizeof note, "call returns after %.1f ms",
                          num(f, key + "_call_ms"));
            row(key == "deny" ? "deny an edge -> view updated" : "undo it -> view updated", input,
                num(f, key + "_ms") / 1000, num(f, key + "_cpu_ms") / 1000,
                num(f, key + "_stall_ms"), peak, note);
        }
        for (const char *change : {"open_zone", "open_namespace", "focus"}) {
            const std::string key(change);
            std::snprintf(note, sizeof note, "%d boxes; from the %s overview",
                          int(num(f, key + "_nodes")),
                          f.count("level") ? f.at("level").c_str() : "?");
            row(key == "open_zone"        ? "open a zone -> painted"
                : key == "open_namespace" ? "then its namespace -> painted"
                                          : "focus a workload -> painted",
                input, num(f, key + "_ms") / 1000, num(f, key + "_cpu_ms") / 1000,
                num(f, key + "_ms"), peak, note);
        }
        row("paint whole graph (fitted)", input, num(f, "paint_all_ms") / 1000,
            num(f, "paint_all_cpu_ms") / 1000, num(f, "paint_all_ms"), peak,
            "QGraphicsView::render, best of 3");
        row("paint zoomed-in view (1:1)", input, num(f, "paint_zoom_ms") / 1000,
            num(f, "paint_zoom_cpu_ms") / 1000, num(f, "paint_zoom_ms"), peak,
            "QGraphicsView::render, best of 3");
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string self = std::filesystem::canonical("/proc/self/exe").string();
    if (argc >= 3 && std::strcmp(argv[1], "--case") == 0)
        return runCase(argc, argv, QString::fromLocal8Bit(argv[2]));
    if (argc < 2) {
        std::fprintf(stderr, "usage: bulkhead-guibench DATADIR [WORKLOADS...]\n");
        return 2;
    }
    std::filesystem::create_directories(argv[1]);
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    return runSuite(self, std::filesystem::absolute(argv[1]).string(), sizes);
}
