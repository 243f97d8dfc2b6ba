#include "document.h"

#include "design/decisionnetworks.h"
#include "designresult.h"
#include "graph/graphlevel.h"
#include "layout/stablelayout.h"
#include "layoutjob.h"
#include "logging.h"
#include "model/model.h"
#include "peernames.h"
#include "policy/policywriter.h"
#include "projectload.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QUndoStack>
#include <QtConcurrent>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>

namespace bulkhead::ui {

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
    watcher->setFuture(
        QtConcurrent::run([project, sink, mode = m_clusterMode, font = QApplication::font()] {
            return readProject(project, sink.get(), mode, font);
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
    m_allowedRefs = std::move(design.allowedRefs);
    m_radius.setDesign(m_model, &m_intent.edges, std::move(design.reachDesign),
                       std::move(design.reachNone));
    if (initial) { // a new model: the panel reviews it again
        m_radius.setLoaded(nullptr, {});
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
    return m_loaded ? texts().reportJson() : QString();
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
    GraphModel level; // openBox reads the box's kind, title, peer and cluster
    const GraphNode &shown = m_graph.nodes[node];
    GraphModelNode &box = level.nodes.emplace_back(shown);
    if (shown.kind == BoxKind::Workload && shown.peer.isWorkload())
        box.cluster = m_model->inventory.workloads[shown.peer.index].zone;
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
    watcher->setFuture(
        QtConcurrent::run([input = m_graph.layoutInput(), keys = m_graph.keys(),
                           kept = std::move(kept)] { return runLayout(input, keys, kept); }));
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
    return m_loaded ? bulkhead::ui::findWorkload(m_model->inventory, text) : -1;
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
    return m_radius.blastRadius(workload, policy);
}

const std::vector<int> &Document::reachCounts(ReachBasis policy) const
{
    return m_radius.reachCounts(policy);
}

std::shared_ptr<const InternetExposure> Document::internetExposure(ReachBasis policy) const
{
    if (!m_loaded)
        return std::make_shared<const InternetExposure>();
    return m_radius.internetExposure(policy);
}

void Document::setLoadedPolicyReach(std::shared_ptr<const ReachGraph> reach,
                                    std::vector<int> internetDirect)
{
    m_radius.setLoaded(std::move(reach), std::move(internetDirect));
    emit loadedPolicyReachChanged();
    if (m_radiusPolicy == ReachBasis::Loaded)
        emit radiusPolicyChanged(); // the views show the new reach
}

void Document::setReviewMarks(ReviewMarks marks)
{
    m_reviewMarks = std::move(marks);
    emit reviewMarksChanged();
}

PolicyTexts Document::texts() const
{
    return PolicyTexts(*m_model, m_intent, m_generated, m_project.decisions, pathCollapse());
}

std::vector<const NetworkPolicy *> Document::policiesOf(int workload) const
{
    if (!m_loaded || workload < 0)
        return {};
    return texts().policiesOf(workload);
}

QString Document::policyYamlOf(int workload) const
{
    return policiesYamlOf({workload});
}

QString Document::policiesYamlOf(const std::vector<int> &workloads) const
{
    if (!m_loaded)
        return QString::fromStdString(writePoliciesYaml({}));
    return texts().policiesYamlOf(workloads);
}

QString Document::allPoliciesYaml() const
{
    return m_loaded ? texts().allPoliciesYaml() : QString();
}

QString Document::ciliumPoliciesYaml(QStringList *warnings) const
{
    if (!m_loaded || !m_model)
        return {};
    return texts().ciliumPoliciesYaml(warnings);
}

} // namespace bulkhead::ui
