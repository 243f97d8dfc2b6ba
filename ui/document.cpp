#include "document.h"

#include "graph/graphlevel.h"
#include "layout/readablelayout.h"
#include "layout/stablelayout.h"
#include <cmath>

#include "commands/addedgecommand.h"
#include "commands/allowedgecommand.h"
#include "commands/denyedgecommand.h"
#include "commands/moveworkloadcommand.h"
#include "commands/pathdecisioncommand.h"
#include "commands/removedecisioncommand.h"
#include "design/decisionnetworks.h"
#include "model/buildmodel.h"
#include "policy/ciliumgenerator.h"
#include "policy/ciliumwriter.h"
#include "policy/generator.h"
#include "policy/policywriter.h"
#include "report/report.h"
#include "util/atomicfile.h"
#include "util/progress.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QUndoStack>
#include <QtConcurrent>

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>

Q_LOGGING_CATEGORY(lcUi, "bulkhead.ui")

namespace bulkhead::ui {

struct LoadedModel
{
    Model model; // as read: zones from labels, no override
};

struct DesignResult
{
    std::unique_ptr<Model> derived; // the model with the zone overrides applied
    Intent intent;
    GenerateResult generated;
    ReachGraph reachDesign;
    ReachGraph reachNone;
    GraphData graph;
    std::shared_ptr<const GraphModel> full; // the workload-level graph, zone clusters (levels)
    std::set<EdgeRef> allowedRefs;
    double seconds = 0;
};

namespace {

// What the decisions give, from the model as read: pure, so it runs on any thread (the font only
// measures the graph's boxes).
DesignResult computeDesign(const Model &loaded, const Project &project, ClusterMode mode,
                           const QFont &font, std::optional<LevelView> view = std::nullopt)
{
    QElapsedTimer timer;
    timer.start();
    DesignResult result;
    auto derived = std::make_unique<Model>(loaded);
    std::vector<std::string> designWarnings;
    applyZoneOverrides(derived->inventory, derived->zones, project.decisions, designWarnings);
    addDecisionNetworks(derived->inventory, project.decisions); // `world` and CIDRs as peers
    result.intent
        = computeIntent(derived->inventory, derived->zones, derived->analysis, project.decisions);
    result.intent.warnings.insert(result.intent.warnings.end(), designWarnings.begin(),
                                  designWarnings.end());
    GenerateOptions options;
    options.granularity = project.options.granularity == "zone"
                              ? GenerateOptions::Granularity::Zone
                              : GenerateOptions::Granularity::Workload;
    options.dnsAll = project.options.dns == "all";
    options.namedPorts = project.options.namedPorts;
    options.includeSystemNamespaces = project.options.includeSystemNamespaces;
    options.zoneLabelKey = derived->zones.labelKey;
    options.externalNames = derived->analysis.externalNames;
    options.namespaceEdges = result.intent.namespaceEdges;
    const qint64 tIntent = timer.nsecsElapsed();
    result.generated = generatePolicies(derived->inventory, result.intent.edges, options,
                                        derived->analysis.captureFiles);
    const qint64 tPolicies = timer.nsecsElapsed();
    result.reachDesign = reachFromEdges(derived->inventory, result.intent.edges);
    result.reachNone = reachWithoutPolicy(derived->inventory);
    for (const Edge &edge : result.intent.edges)
        result.allowedRefs.insert(edgeRef(derived->inventory, edge));
    for (const NamespaceEdge &n : result.intent.namespaceEdges) {
        const std::string ns = namespacePeerName(n.ns);
        const std::string workload
            = derived->inventory.workloads[static_cast<size_t>(n.workload)].id();
        result.allowedRefs.insert(n.namespaceIsSource ? EdgeRef{ns, workload, n.protocol, n.port}
                                                      : EdgeRef{workload, ns, n.protocol, n.port});
    }
    const qint64 tReach = timer.nsecsElapsed();
    // The view's graph from the workload-level one; no view yet: the auto level.
    auto full = std::make_shared<const GraphModel>(
        buildGraphModel(*derived, result.intent, GraphClusters::Zone));
    const LevelView shown = view ? *view : LevelView{autoLevel(*full, *derived)};
    GraphModel byNamespace;
    if (mode == ClusterMode::Namespace && shown.level == GraphLevel::Workloads
        && shown.zone.empty())
        byNamespace = buildGraphModel(*derived, result.intent, GraphClusters::Namespace);
    result.graph = buildViewData(*full, &byNamespace, *derived, shown, mode, font);
    qCInfo(lcUi, "design stages: intent %.3f s, policies %.3f s, reach %.3f s, graph %.3f s",
           tIntent / 1e9, (tPolicies - tIntent) / 1e9, (tReach - tPolicies) / 1e9,
           (timer.nsecsElapsed() - tReach) / 1e9);
    result.full = std::move(full);
    result.derived = std::move(derived);
    result.seconds = timer.elapsed() / 1000.0;
    return result;
}

struct LoadOutcome
{
    std::shared_ptr<const LoadedModel> loaded;
    QString error;
    double seconds = 0;
    std::shared_ptr<DesignResult> design; // of the project's decisions
};

struct LayoutOutcome
{
    GraphLayout layout;
    QString error;
};

// Reports capture-reading progress (only when the percentage changes; `report` queues it to the
// GUI thread) and carries the cancel flag.
class LoadProgress : public ProgressSink
{
public:
    LoadProgress(std::function<void(int)> report, std::shared_ptr<std::atomic<bool>> cancel)
        : m_report(std::move(report))
        , m_cancel(std::move(cancel))
    {
    }
    void progress(uint64_t done, uint64_t total) override
    {
        const int percent = total == 0 ? -1 : static_cast<int>(done * 100 / total);
        if (percent == m_lastPercent.exchange(percent))
            return;
        m_report(percent);
    }
    bool isCancelled() const override { return m_cancel->load(); }

private:
    std::function<void(int)> m_report;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::atomic<int> m_lastPercent{-2};
};

// The project of a path: a `.bulkhead` file, or a folder (inventory.yaml, every capture,
// zones.yaml when present) as an unsaved project.
Expected<Project> projectOfPath(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(path.toStdString(), 0, "There is no such file or folder.");
    if (!info.isDir())
        return loadProject(path.toStdString());
    const QDir dir(path);
    Project project;
    if (!dir.exists(QStringLiteral("inventory.yaml")))
        return makeError(path.toStdString(), 0, "The folder holds no inventory.yaml.");
    project.inventories.push_back(dir.filePath(QStringLiteral("inventory.yaml")).toStdString());
    const QStringList captures = dir.entryList(
        {QStringLiteral("*.pcap"), QStringLiteral("*.pcapng")}, QDir::Files, QDir::Name);
    for (const QString &capture : captures)
        project.captures.push_back(dir.filePath(capture).toStdString());
    if (dir.exists(QStringLiteral("zones.yaml")))
        project.zones = dir.filePath(QStringLiteral("zones.yaml")).toStdString();
    return project;
}

} // namespace

Document::Document(QObject *parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
{
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
    connect(m_undoStack, &QUndoStack::canUndoChanged, this, &Document::canUndoChanged);
    connect(m_undoStack, &QUndoStack::canRedoChanged, this, &Document::canRedoChanged);
}

Document::~Document()
{
    // Workers hold a pointer to this document for progress: stop and wait for them first (a
    // read in progress stops at its next cancel check instead of running to its end).
    if (m_cancel)
        m_cancel->store(true);
    const auto watchers = findChildren<QFutureWatcherBase *>();
    for (QFutureWatcherBase *watcher : watchers) {
        watcher->disconnect(this);
        watcher->cancel();
        watcher->waitForFinished();
    }
}

const Model &Document::model() const
{
    return *m_model;
}

bool Document::isModified() const
{
    return !m_undoStack->isClean();
}

void Document::undo()
{
    m_undoStack->undo();
}

void Document::redo()
{
    m_undoStack->redo();
}

void Document::open(const QString &path)
{
    m_path = path;
    auto project = projectOfPath(path);
    if (!project) {
        ++m_loadSerial; // an older load still running must not land after this failure
        m_loading = false;
        emit loadFailed(QString::fromStdString(project.error().toString()));
        return;
    }
    startLoad(*project, false);
}

void Document::importFiles(const QStringList &inventories, const QStringList &captures,
                           const QStringList &flows)
{
    Project project = m_project;
    for (const QString &file : inventories)
        project.inventories.push_back(QFileInfo(file).absoluteFilePath().toStdString());
    for (const QString &file : captures)
        project.captures.push_back(QFileInfo(file).absoluteFilePath().toStdString());
    for (const QString &file : flows)
        project.flows.push_back(QFileInfo(file).absoluteFilePath().toStdString());
    startLoad(project, hasModel());
}

void Document::restoreAutosave(const QString &autosaveFile, const QString &origin)
{
    auto project = loadProject(autosaveFile.toStdString());
    if (!project) {
        ++m_loadSerial;
        m_loading = false;
        emit loadFailed(QString::fromStdString(project.error().toString()));
        return;
    }
    const bool fromProjectFile = origin.endsWith(QLatin1String(".bulkhead"));
    project->path
        = fromProjectFile ? QFileInfo(origin).absoluteFilePath().toStdString() : std::string();
    m_path = origin.isEmpty() ? autosaveFile : QFileInfo(origin).absoluteFilePath();
    startLoad(*project, false, true);
}

void Document::cancelLoading()
{
    if (!m_loading)
        return;
    if (m_cancel)
        m_cancel->store(true);
    ++m_loadSerial; // drop the result
    m_loading = false;
    emit loadCancelled();
}

void Document::startLoad(const Project &project, bool keepState, bool markModified)
{
    const int serial = ++m_loadSerial;
    m_loading = true;
    m_autoView = true; // a (re)read model opens at its auto level
    emit loadingStarted(m_path);

    if (m_cancel)
        m_cancel->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    auto *watcher = new QFutureWatcher<LoadOutcome>(this);
    connect(watcher, &QFutureWatcher<LoadOutcome>::finished, this,
            [this, watcher, serial, project, keepState, markModified] {
                watcher->deleteLater();
                if (serial != m_loadSerial)
                    return; // superseded by a newer load, or cancelled
                m_loading = false;
                const LoadOutcome outcome = watcher->result();
                if (!outcome.loaded) {
                    emit loadFailed(outcome.error);
                    return;
                }
                m_loaded = outcome.loaded;
                m_loadSeconds = outcome.seconds;
                qCInfo(lcUi, "read the inputs in %.3f s", m_loadSeconds);
                // Decisions made while the inputs were read are the user's latest: keep them.
                const Decisions decisions = m_project.decisions;
                m_project = project;
                if (keepState)
                    m_project.decisions = decisions;
                if (!keepState) {
                    m_selected = -1;
                    m_undoStack->clear();
                    if (markModified)
                        m_undoStack->resetClean(); // emits modifiedChanged(true)
                } else if (m_selected
                           >= static_cast<int>(m_loaded->model.inventory.workloads.size())) {
                    m_selected = -1;
                }
                ++m_designSerial; // a design change still running was about the previous model
                m_recomputing = false;
                // The worker's design is of the decisions the read started with.
                if (outcome.design && m_project.decisions == project.decisions)
                    applyDesign(std::move(*outcome.design), true);
                else
                    applyDesign(computeDesign(m_loaded->model, m_project, m_clusterMode,
                                              QApplication::font()),
                                true);
                emit selectionChanged(m_selected);
            });
    // Reports still queued when this load was cancelled or superseded are dropped: a late one
    // would show the progress dialog again over a finished window.
    auto sink = std::make_shared<LoadProgress>(
        [this, serial](int percent) {
            QMetaObject::invokeMethod(
                this,
                [this, serial, percent] {
                    if (serial == m_loadSerial && m_loading)
                        emit progressChanged(percent);
                },
                Qt::QueuedConnection);
        },
        cancel);
    watcher->setFuture(QtConcurrent::run([project, sink, mode = m_clusterMode,
                                          font = QApplication::font()]() -> LoadOutcome {
        QElapsedTimer timer;
        timer.start();
        PipelineInputs inputs{project.inventories, project.captures, project.flows, project.zones};
        auto model = buildModel(inputs, sink.get());
        if (!model)
            return {nullptr, QString::fromStdString(model.error().toString())};
        auto loaded = std::make_shared<LoadedModel>();
        loaded->model = std::move(*model);
        const double seconds = timer.elapsed() / 1000.0;
        if (sink->isCancelled())
            return {std::move(loaded), {}, seconds};
        // The design of the project's decisions too, off the GUI thread.
        auto design
            = std::make_shared<DesignResult>(computeDesign(loaded->model, project, mode, font));
        return {std::move(loaded), {}, seconds, std::move(design)};
    }));
}

void Document::recompute()
{
    const int serial = ++m_designSerial;
    const int workloads = static_cast<int>(m_loaded->model.inventory.workloads.size());
    if (workloads <= m_synchronousLimit) {
        m_recomputing = false;
        applyDesign(computeDesign(m_loaded->model, m_project, m_clusterMode, QApplication::font(),
                                  requestedView()),
                    false);
        return;
    }
    m_recomputing = true;
    emit designRecomputing();
    auto *watcher = new QFutureWatcher<std::shared_ptr<DesignResult>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<DesignResult>>::finished, this,
            [this, watcher, serial] {
                watcher->deleteLater();
                if (serial != m_designSerial)
                    return; // a newer edit, undo or load superseded it
                m_recomputing = false;
                applyDesign(std::move(*watcher->result()), false);
            });
    watcher->setFuture(
        QtConcurrent::run([loaded = m_loaded, project = m_project, mode = m_clusterMode,
                           font = QApplication::font(), view = requestedView()] {
            return std::make_shared<DesignResult>(
                computeDesign(loaded->model, project, mode, font, view));
        }));
}

void Document::applyDesign(DesignResult &&design, bool initial)
{
    m_derived = std::move(design.derived);
    m_model = m_derived.get();
    m_intent = std::move(design.intent);
    m_generated = std::move(design.generated);
    m_reachDesign = std::move(design.reachDesign);
    m_reachNone = std::move(design.reachNone);
    m_allowedRefs = std::move(design.allowedRefs);
    m_reachCounts.clear();
    m_internet.clear();
    m_radiusCache.reset();
    m_radiusCacheKey = {-1, ReachBasis::Design};
    if (initial) { // a new model: the panel reviews it again
        m_reachLoaded.reset();
        m_internetLoaded.clear();
        m_reviewMarks = {};
    }
    m_full = std::move(design.full);
    GraphData graph = std::move(design.graph);
    if (initial) { // a new model: its auto level, no way back; the project's positions
        m_trail.clear();
        m_autoView = false;
        m_view = graph.view;
        m_kept.clear();
        for (const auto &[view, boxes] : m_project.layout) {
            KeptLayout &kept = m_kept[view];
            for (const auto &[key, centre] : boxes)
                kept.boxes[key]
                    = {std::string(), {double(centre.first), double(centre.second)}, 0, 0};
        }
    }
    if (graph.clusterMode != m_clusterMode
        || !(graph.view == m_view)) // changed while it was computed
        graph = viewData(m_view);
    qCInfo(lcUi, "design: %zu intent edges, %zu policies, computed in %.3f s%s",
           m_intent.edges.size(), m_generated.policies.size(), design.seconds,
           initial ? " (after reading the inputs)" : "");
    if (initial) {
        m_graph = std::move(graph);
        m_hasLayout = false;
        m_layout = {};
        emit modelChanged();
        startLayout();
        return;
    }
    const bool keepLayout = m_hasLayout && sameShape(graph, m_graph);
    m_graph = std::move(graph);
    if (!keepLayout)
        m_hasLayout = false;
    emit designChanged();
    if (!keepLayout)
        startLayout();
}

void Document::setDecisions(const Decisions &decisions)
{
    m_project.decisions = decisions;
    if (m_loaded)
        recompute();
}

EdgeRef Document::edgeRefOf(const Edge &edge) const
{
    return edgeRef(m_model->inventory, edge);
}

bool Document::isAllowed(const EdgeRef &ref) const
{
    return m_allowedRefs.count(ref) > 0;
}

bool Document::denyEdge(const EdgeRef &edge)
{
    const auto &denied = m_project.decisions.denied;
    if (std::find(denied.begin(), denied.end(), edge) != denied.end())
        return false;
    // An edge added by hand and never observed is removed, not denied: a denial of something that
    // does not exist would stay in the project and be drawn as if it were traffic.
    const auto &added = m_project.decisions.added;
    if (m_model && std::find(added.begin(), added.end(), edge) != added.end()) {
        const auto &observed = m_model->analysis.edges;
        const bool seen = std::any_of(observed.begin(), observed.end(), [&](const Edge &e) {
            return edgeRef(m_model->inventory, e) == edge;
        });
        if (!seen) {
            m_undoStack->push(new RemoveDecisionCommand(
                this, DecisionEntry{DecisionEntry::Kind::Added, edge, {}, {}}));
            return true;
        }
    }
    m_undoStack->push(new DenyEdgeCommand(this, edge));
    return true;
}

bool Document::allowEdge(const EdgeRef &edge)
{
    if (isAllowed(edge))
        return false;
    m_undoStack->push(new AllowEdgeCommand(this, edge));
    return true;
}

QStringList Document::endpointNames() const
{
    QStringList names;
    if (!m_loaded)
        return names;
    for (const Workload &w : m_model->inventory.workloads)
        names << QString::fromStdString(w.id());
    QStringList others{QString::fromUtf8(WorldPeerName.data(), WorldPeerName.size())};
    for (const GraphNode &node : m_graph.nodes)
        if (!node.peer.isWorkload())
            others << QString::fromStdString(peerName(m_model->inventory, node.peer));
    for (const auto &network : m_model->inventory.externals)
        others << QString::fromStdString(network.name);
    for (const std::string &ns :
         inventoryNamespaces(m_model->inventory)) // every pod of a namespace
        others << QString::fromStdString(namespacePeerName(ns));
    others.removeDuplicates();
    others.sort();
    names.sort();
    return names + others;
}

Expected<void> Document::checkNewEdge(const EdgeRef &edge) const
{
    if (!m_loaded)
        return makeError("", 0, "Open a model first.");
    const QStringList names = endpointNames();
    // `world` (the internet) and CIDRs are peers of any model (design/decisionnetworks.h).
    const auto known = [&](const std::string &name) {
        return names.contains(QString::fromStdString(name)) || isDecisionPeerName(name);
    };
    for (const std::string *end : {&edge.from, &edge.to}) {
        if (end->starts_with(NamespacePeerPrefix) && !known(*end))
            return makeError("", 0,
                             "\"" + *end + "\": no namespace \""
                                 + std::string(namespaceOfPeerName(*end)) + "\" in the inventory.");
        if (!known(*end))
            return makeError("", 0,
                             "\"" + *end
                                 + "\" is no workload, namespace (ns:NAME), network or address of "
                                   "this model, nor world or a CIDR.");
    }
    const auto isWorkload = [this](const std::string &name) {
        for (const Workload &w : m_model->inventory.workloads)
            if (w.id() == name)
                return true;
        return false;
    };
    if (!isWorkload(edge.from) && !isWorkload(edge.to))
        return makeError("", 0, "One end of an edge must be a workload: a policy selects it.");
    if (edge.protocol != Protocol::TCP && edge.protocol != Protocol::UDP
        && edge.protocol != Protocol::SCTP)
        return makeError("", 0, "A NetworkPolicy allows TCP, UDP or SCTP only.");
    if (edge.port == 0)
        return makeError("", 0, "The port must be between 1 and 65535.");
    if (isAllowed(edge))
        return makeError("", 0, edgeRefText(edge) + " is already allowed.");
    return {};
}

Expected<void> Document::addEdge(const EdgeRef &edge)
{
    if (auto ok = checkNewEdge(edge); !ok)
        return ok;
    m_undoStack->push(new AddEdgeCommand(this, edge));
    return {};
}

bool Document::moveWorkload(int workload, const QString &zone)
{
    if (!m_loaded || workload < 0
        || workload >= static_cast<int>(m_model->inventory.workloads.size()))
        return false;
    if (!m_model->zones.level(zone.toStdString()))
        return false;
    if (m_model->inventory.workloads[workload].zone == zone.toStdString())
        return false;
    m_undoStack->push(new MoveWorkloadCommand(this, workload, zone));
    return true;
}

void Document::setReviewPolicies(const QStringList &files, const QString &defaultNamespace)
{
    m_project.policies.clear();
    for (const QString &file : files)
        m_project.policies.push_back(QFileInfo(file).absoluteFilePath().toStdString());
    m_project.policiesNamespace = files.isEmpty() ? std::string() : defaultNamespace.toStdString();
}

Expected<void> Document::save(const QString &path)
{
    // Where the boxes of every view seen are (views of at most a few thousand boxes).
    for (const auto &[view, kept] : m_kept) {
        if (kept.boxes.size() > 2500)
            continue;
        auto &boxes = m_project.layout[view];
        boxes.clear();
        for (const auto &[key, box] : kept.boxes)
            boxes[key] = {std::llround(box.centre.x), std::llround(box.centre.y)};
    }
    Project project = m_project;
    project.path = QFileInfo(path).absoluteFilePath().toStdString();
    if (auto saved = saveProject(project, project.path); !saved)
        return saved;
    m_project.path = project.path;
    m_path = QString::fromStdString(project.path);
    m_undoStack->setClean();
    emit modifiedChanged(false);
    return {};
}

QString Document::serializedState() const
{
    const QString dir
        = m_project.path.empty()
              ? (QFileInfo(m_path).isDir() ? m_path : QFileInfo(m_path).absolutePath())
              : QFileInfo(QString::fromStdString(m_project.path)).absolutePath();
    return QString::fromStdString(projectToYaml(m_project, dir.toStdString()))
           + QStringLiteral("---\n") + allPoliciesYaml();
}

QString Document::reportJson() const
{
    if (!m_loaded)
        return {};
    nlohmann::json j = generateReportJson(*m_model, m_generated);
    j.update(intentReportJson(*m_model, m_intent));
    for (const std::string &w : m_intent.warnings)
        j["warnings"].push_back(w);
    return QString::fromStdString(j.dump(2) + '\n');
}

void Document::setClusterMode(ClusterMode mode)
{
    if (mode == m_clusterMode)
        return;
    m_clusterMode = mode;
    if (!m_loaded)
        return;
    m_graph = viewData(m_view);
    m_hasLayout = false;
    emit modelChanged();
    startLayout();
}

std::optional<LevelView> Document::requestedView() const
{
    if (m_autoView)
        return std::nullopt;
    return m_view;
}

GraphData Document::viewData(const LevelView &view) const
{
    const QFont font = QApplication::font();
    if (!m_full)
        return buildGraphData(*m_model, m_intent, m_clusterMode, font);
    if (m_clusterMode == ClusterMode::Namespace && view.level == GraphLevel::Workloads
        && view.zone.empty()) {
        const GraphModel byNamespace
            = buildGraphModel(*m_model, m_intent, GraphClusters::Namespace);
        return buildViewData(*m_full, &byNamespace, *m_model, view, m_clusterMode, font);
    }
    return buildViewData(*m_full, nullptr, *m_model, view, m_clusterMode, font);
}

void Document::showView(const LevelView &view, bool remember)
{
    if (!m_loaded || view == m_view)
        return;
    if (remember)
        m_trail.push_back(m_view);
    m_view = view;
    m_graph = viewData(m_view);
    m_hasLayout = false;
    emit viewChanged(); // the scene empties until the layout lands
    startLayout();
}

void Document::showLevel(const LevelView &view)
{
    showView(view, true);
}

bool Document::openBox(int node)
{
    if (!m_full || node < 0 || node >= static_cast<int>(m_graph.nodes.size()))
        return false;
    GraphModel level; // openBox needs the box's kind, title, peer and cluster only
    level.nodes.resize(1);
    GraphModelNode &box = level.nodes[0];
    const GraphNode &shown = m_graph.nodes[node];
    box.kind = shown.kind;
    box.cluster = shown.kind == BoxKind::Workload && shown.peer.isWorkload()
                      ? m_model->inventory.workloads[shown.peer.index].zone
                      : shown.cluster.toStdString();
    box.title = shown.title.toStdString();
    box.peer = shown.peer;
    const auto next = bulkhead::openBox(level, 0, m_view, m_focusHops);
    if (!next)
        return false;
    showView(*next, true);
    return true;
}

void Document::focusWorkload(int workload, int hops, bool remember)
{
    if (!m_loaded || workload < 0
        || workload >= static_cast<int>(m_model->inventory.workloads.size()))
        return;
    LevelView view{GraphLevel::Focus};
    view.focus = workload;
    view.hops = hops > 0 ? hops : m_focusHops;
    showView(view, remember);
}

void Document::backTo(int index)
{
    if (index < 0 || index >= static_cast<int>(m_trail.size()))
        return;
    const LevelView view = m_trail[index];
    m_trail.resize(index);
    showView(view, false);
}

void Document::relayout()
{
    if (!m_loaded)
        return;
    m_kept.erase(m_graph.viewKey);
    m_hasLayout = false;
    emit viewChanged();
    startLayout();
}

void Document::startLayout()
{
    const int serial = ++m_layoutSerial;
    emit layoutStarted();
    auto *watcher = new QFutureWatcher<LayoutOutcome>(this);
    connect(watcher, &QFutureWatcher<LayoutOutcome>::finished, this, [this, watcher, serial] {
        watcher->deleteLater();
        if (serial != m_layoutSerial)
            return;
        LayoutOutcome outcome = watcher->result();
        if (!outcome.error.isEmpty()) {
            emit layoutFailed(outcome.error);
            return;
        }
        m_layout = std::move(outcome.layout);
        m_hasLayout = true;
        m_kept[m_graph.viewKey] = keepLayout(m_graph.layoutInput(), m_graph.keys(), m_layout);
        qCInfo(lcUi, "layout: %zu nodes, %zu edges, %s, %.3f s", m_graph.nodes.size(),
               m_graph.edges.size(), layoutEngineName(m_layout.engine).data(), m_layout.seconds);
        emit layoutChanged();
    });
    // Boxes seen before in this view stay where they were (a stable picture); only relayout()
    // starts over.
    KeptLayout kept;
    if (auto it = m_kept.find(m_graph.viewKey); it != m_kept.end())
        kept = it->second;
    watcher->setFuture(QtConcurrent::run([input = m_graph.layoutInput(), keys = m_graph.keys(),
                                          kept = std::move(kept)]() -> LayoutOutcome {
        QElapsedTimer timer;
        timer.start();
        if (auto reused = reuseLayout(input, keys, kept)) {
            reused->seconds = timer.elapsed() / 1000.0;
            return {std::move(*reused), {}};
        }
        auto layout = layoutGraph(input);
        if (!layout)
            return {{}, QString::fromStdString(layout.error().toString())};
        const double seconds = layout->seconds;
        GraphLayout stable
            = stabilizeLayout(readableLayout(std::move(*layout), input), input, keys, kept);
        stable.seconds = seconds;
        return {std::move(stable), {}};
    }));
}

void Document::selectWorkload(int workload)
{
    if (!m_loaded || workload >= static_cast<int>(m_model->inventory.workloads.size()))
        workload = -1;
    if (workload == m_selected)
        return;
    m_selected = workload;
    emit selectionChanged(workload);
}

int Document::findWorkload(const QString &text) const
{
    if (!m_loaded || text.trimmed().isEmpty())
        return -1;
    const std::string wanted = text.trimmed().toStdString();
    const auto &workloads = m_model->inventory.workloads;
    int byName = -1;
    int byNameCount = 0;
    int containing = -1;
    for (int i = 0; i < static_cast<int>(workloads.size()); ++i) {
        if (workloads[i].id() == wanted)
            return i;
        if (workloads[i].name == wanted) {
            byName = i;
            ++byNameCount;
        }
        if (containing < 0
            && QString::fromStdString(workloads[i].id())
                   .contains(text.trimmed(), Qt::CaseInsensitive))
            containing = i;
    }
    return byNameCount == 1 ? byName : containing;
}

void Document::setRadiusPolicy(ReachBasis policy)
{
    if (policy == m_radiusPolicy)
        return;
    m_radiusPolicy = policy;
    emit radiusPolicyChanged();
}

std::map<int, int> Document::reach(int workload) const
{
    return reach(workload, m_radiusPolicy);
}

std::map<int, int> Document::reach(int workload, ReachBasis policy) const
{
    std::map<int, int> hops;
    if (!m_loaded || workload < 0)
        return hops;
    const auto radius = sharedBlastRadius(workload, policy);
    for (int reached : radius->reach)
        hops[reached] = radius->hops.empty() ? 1 : radius->hops[reached];
    return hops;
}

BlastRadius Document::blastRadius(int workload, ReachBasis policy) const
{
    if (!m_loaded || workload < 0)
        return {};
    return *sharedBlastRadius(workload, policy);
}

std::shared_ptr<const BlastRadius> Document::sharedBlastRadius(int workload,
                                                               ReachBasis policy) const
{
    if (!m_loaded || workload < 0)
        return std::make_shared<const BlastRadius>();
    if (!m_radiusCache || m_radiusCacheKey != std::pair(workload, policy)) {
        m_radiusCache = std::make_shared<const BlastRadius>(
            computeBlastRadius(m_model->inventory, m_model->zones, reachGraph(policy), workload));
        m_radiusCacheKey = {workload, policy};
    }
    return m_radiusCache;
}

const std::vector<int> &Document::reachCounts(ReachBasis policy) const
{
    auto it = m_reachCounts.find(policy);
    if (it != m_reachCounts.end())
        return it->second;
    std::vector<int> counts;
    if (m_loaded) // every workload's count at once, over the reach graph's strongly connected
                  // components
        counts = bulkhead::reachCounts(reachGraph(policy), m_model->inventory.workloads.size());
    return m_reachCounts.emplace(policy, std::move(counts)).first->second;
}

const ReachGraph &Document::reachGraph(ReachBasis policy) const
{
    switch (policy) {
    case ReachBasis::NoPolicy: return m_reachNone;
    case ReachBasis::Loaded:
        // A reach graph of the model reviewed: the same workloads (a design change moves zones,
        // never workloads); until the review lands, the design's.
        if (m_reachLoaded && m_reachLoaded->workloadCount() == m_reachDesign.workloadCount())
            return *m_reachLoaded;
        return m_reachDesign;
    case ReachBasis::Design: break;
    }
    return m_reachDesign;
}

std::shared_ptr<const InternetExposure> Document::internetExposure(ReachBasis policy) const
{
    if (!m_loaded)
        return std::make_shared<const InternetExposure>();
    auto &cached = m_internet[policy];
    if (!cached) {
        const Inventory &inventory = m_model->inventory;
        std::vector<int> direct;
        if (policy == ReachBasis::NoPolicy)
            direct = internetDirectWithoutPolicy(inventory);
        else if (policy == ReachBasis::Loaded && &reachGraph(policy) != &m_reachDesign)
            direct = m_internetLoaded;
        else
            direct = internetDirectFromEdges(inventory, m_intent.edges);
        cached = std::make_shared<const InternetExposure>(computeInternetExposure(
            inventory, m_model->zones, reachGraph(policy), std::move(direct)));
    }
    return cached;
}

void Document::setLoadedPolicyReach(std::shared_ptr<const ReachGraph> reach,
                                    std::vector<int> internetDirect)
{
    m_reachLoaded = std::move(reach);
    m_internetLoaded = std::move(internetDirect);
    m_reachCounts.erase(ReachBasis::Loaded);
    m_internet.erase(ReachBasis::Loaded);
    if (m_radiusCacheKey.second == ReachBasis::Loaded) {
        m_radiusCache.reset();
        m_radiusCacheKey = {-1, ReachBasis::Design};
    }
    emit loadedPolicyReachChanged();
    if (m_radiusPolicy == ReachBasis::Loaded)
        emit radiusPolicyChanged(); // the views show the new reach
}

void Document::setReviewMarks(ReviewMarks marks)
{
    m_reviewMarks = std::move(marks);
    emit reviewMarksChanged();
}

std::vector<const NetworkPolicy *> Document::policiesOf(int workload) const
{
    std::vector<const NetworkPolicy *> result;
    if (!m_loaded || workload < 0)
        return result;
    const Workload &w = m_model->inventory.workloads.at(workload);
    for (const NetworkPolicy &policy : m_generated.policies)
        if (policy.ns == w.ns && policy.podSelector.matches(w.labels))
            result.push_back(&policy);
    return result;
}

QString Document::policyYamlOf(int workload) const
{
    return policiesYamlOf({workload});
}

QString Document::policiesYamlOf(const std::vector<int> &workloads) const
{
    std::set<const NetworkPolicy *> selecting;
    for (int workload : workloads)
        for (const NetworkPolicy *p : policiesOf(workload))
            selecting.insert(p);
    std::vector<NetworkPolicy> policies; // in export order
    for (const NetworkPolicy &policy : m_generated.policies)
        if (selecting.count(&policy))
            policies.push_back(policy);
    return QString::fromStdString(writePoliciesYaml(policies));
}

QString Document::allPoliciesYaml() const
{
    return m_loaded ? QString::fromStdString(writePoliciesYaml(m_generated.policies)) : QString();
}

PathTree Document::pathTreeOf(const std::string &from, const std::string &to, uint16_t port) const
{
    if (!m_model)
        return {};
    return edgePathTree(m_model->inventory, m_model->analysis.httpRequests, kPathCollapse,
                        m_project.decisions.paths, from, to, port);
}

bool Document::setPathDecision(const PathDecision &node, std::optional<PathAction> action)
{
    const auto &paths = m_project.decisions.paths;
    const auto it = std::find_if(paths.begin(), paths.end(),
                                 [&](const PathDecision &d) { return d.sameNode(node); });
    if ((it == paths.end() && !action) || (it != paths.end() && action && it->action == *action))
        return false;
    m_undoStack->push(new PathDecisionCommand(this, node, action));
    return true;
}

QString Document::ciliumPoliciesYaml(QStringList *warnings) const
{
    if (!m_loaded || !m_model)
        return {};
    CiliumOptions options;
    options.externalNames = m_model->analysis.externalNames;
    options.resolvedNames = m_model->analysis.resolvedNames;
    options.requests = m_model->analysis.httpRequests;
    options.pathCollapse = kPathCollapse;
    options.pathDecisions = m_project.decisions.paths;
    const CiliumResult result = toCiliumPolicies(m_model->inventory, m_generated.policies, options);
    if (warnings) {
        warnings->clear();
        for (const std::string &w : stalePathDecisions(m_model->inventory, options.requests,
                                                       kPathCollapse, options.pathDecisions))
            *warnings << QString::fromStdString(w);
        for (const std::string &w : result.warnings)
            *warnings << QString::fromStdString(w);
    }
    return QString::fromStdString(writeCiliumPoliciesYaml(result.policies));
}

} // namespace bulkhead::ui
