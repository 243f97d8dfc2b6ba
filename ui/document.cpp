#include "document.h"

#include "analysis/pipeline.h"
#include "policy/generator.h"
#include "policy/policywriter.h"
#include "util/progress.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QUndoStack>
#include <QtConcurrent>

#include <atomic>

Q_LOGGING_CATEGORY(lcUi, "bulkhead.ui")

namespace bulkhead::ui {

struct LoadedModel
{
    Model model;
    GenerateResult generated;
};

namespace {

struct LoadOutcome
{
    std::shared_ptr<const LoadedModel> loaded;
    QString error;
    double seconds = 0;
};

struct LayoutOutcome
{
    GraphLayout layout;
    QString error;
};

// Reports capture-reading progress to the Document (queued to the GUI thread, only when the
// percentage changes) and carries the cancel flag.
class LoadProgress : public ProgressSink
{
public:
    LoadProgress(Document *document, std::shared_ptr<std::atomic<bool>> cancel)
        : m_document(document), m_cancel(std::move(cancel))
    {}
    void progress(uint64_t done, uint64_t total) override
    {
        const int percent = total == 0 ? -1 : static_cast<int>(done * 100 / total);
        if (percent == m_lastPercent.exchange(percent))
            return;
        Document *document = m_document;
        QMetaObject::invokeMethod(document, [document, percent] {
            emit document->progressChanged(percent);
        }, Qt::QueuedConnection);
    }
    bool isCancelled() const override { return m_cancel->load(); }

private:
    Document *m_document;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::atomic<int> m_lastPercent{-2};
};

// The inputs of a folder: inventory.yaml, every capture, zones.yaml when present.
Expected<PipelineInputs> inputsOfPath(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(path.toStdString(), 0, "There is no such file or folder.");
    if (!info.isDir())
        return makeError(path.toStdString(), 0,
                         "Opening a project file is not available yet: open the folder that "
                         "holds inventory.yaml and the captures.");
    const QDir dir(path);
    PipelineInputs inputs;
    if (!dir.exists(QStringLiteral("inventory.yaml")))
        return makeError(path.toStdString(), 0, "The folder holds no inventory.yaml.");
    inputs.inventories.push_back(dir.filePath(QStringLiteral("inventory.yaml")).toStdString());
    const QStringList captures = dir.entryList({QStringLiteral("*.pcap"),
                                                QStringLiteral("*.pcapng")},
                                               QDir::Files, QDir::Name);
    for (const QString &capture : captures)
        inputs.captures.push_back(dir.filePath(capture).toStdString());
    if (dir.exists(QStringLiteral("zones.yaml")))
        inputs.zonesFile = dir.filePath(QStringLiteral("zones.yaml")).toStdString();
    return inputs;
}

} // namespace

Document::Document(QObject *parent) : QObject(parent), m_undoStack(new QUndoStack(this))
{
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
    connect(m_undoStack, &QUndoStack::canUndoChanged, this, &Document::canUndoChanged);
    connect(m_undoStack, &QUndoStack::canRedoChanged, this, &Document::canRedoChanged);
}

Document::~Document()
{
    // Workers hold a pointer to this document for progress: stop and wait for them first.
    const auto watchers = findChildren<QFutureWatcherBase *>();
    for (QFutureWatcherBase *watcher : watchers) {
        watcher->disconnect(this);
        watcher->cancel();
        watcher->waitForFinished();
    }
}

const Model &Document::model() const
{
    return m_loaded->model;
}

const GenerateResult &Document::generated() const
{
    return m_loaded->generated;
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
    const int serial = ++m_loadSerial;
    m_path = path;
    m_loading = true;
    emit loadingStarted(path);

    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto *watcher = new QFutureWatcher<LoadOutcome>(this);
    connect(watcher, &QFutureWatcher<LoadOutcome>::finished, this, [this, watcher, serial] {
        watcher->deleteLater();
        if (serial != m_loadSerial)
            return; // superseded by a newer open()
        m_loading = false;
        const LoadOutcome outcome = watcher->result();
        if (!outcome.loaded) {
            emit loadFailed(outcome.error);
            return;
        }
        m_loaded = outcome.loaded;
        m_loadSeconds = outcome.seconds;
        m_selected = -1;
        m_undoStack->clear();
        m_graph = buildGraphData(m_loaded->model, m_clusterMode, QApplication::font());
        m_hasLayout = false;
        m_layout = {};
        emit modelChanged();
        emit selectionChanged(-1);
        startLayout();
    });
    auto sink = std::make_shared<LoadProgress>(this, cancel);
    watcher->setFuture(QtConcurrent::run([path, sink]() -> LoadOutcome {
        QElapsedTimer timer;
        timer.start();
        auto inputs = inputsOfPath(path);
        if (!inputs)
            return {nullptr, QString::fromStdString(inputs.error().toString())};
        auto model = buildModel(*inputs, sink.get());
        if (!model)
            return {nullptr, QString::fromStdString(model.error().toString())};
        auto loaded = std::make_shared<LoadedModel>();
        loaded->model = std::move(*model);
        loaded->generated = generatePolicies(loaded->model.inventory,
                                             loaded->model.analysis.edges, GenerateOptions{},
                                             loaded->model.analysis.captureFiles);
        return {std::move(loaded), {}, timer.elapsed() / 1000.0};
    }));
}

void Document::setClusterMode(ClusterMode mode)
{
    if (mode == m_clusterMode)
        return;
    m_clusterMode = mode;
    if (!m_loaded)
        return;
    m_graph = buildGraphData(m_loaded->model, m_clusterMode, QApplication::font());
    m_hasLayout = false;
    emit modelChanged();
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
        qCInfo(lcUi, "layout: %zu nodes, %zu edges, %s, %.3f s", m_graph.nodes.size(),
               m_graph.edges.size(), layoutEngineName(m_layout.engine).data(), m_layout.seconds);
        emit layoutChanged();
    });
    watcher->setFuture(QtConcurrent::run([input = m_graph.layoutInput()]() -> LayoutOutcome {
        auto layout = layoutGraph(input);
        if (!layout)
            return {{}, QString::fromStdString(layout.error().toString())};
        return {std::move(*layout), {}};
    }));
}

void Document::selectWorkload(int workload)
{
    if (!m_loaded || workload >= static_cast<int>(m_loaded->model.inventory.workloads.size()))
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
    const auto &workloads = m_loaded->model.inventory.workloads;
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
            && QString::fromStdString(workloads[i].id()).contains(text.trimmed(), Qt::CaseInsensitive))
            containing = i;
    }
    return byNameCount == 1 ? byName : containing;
}

void Document::setRadiusPolicy(RadiusPolicy policy)
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

std::map<int, int> Document::reach(int workload, RadiusPolicy policy) const
{
    if (!m_loaded)
        return {};
    return reachFrom(m_loaded->model, workload, policy);
}

std::vector<const NetworkPolicy *> Document::policiesOf(int workload) const
{
    std::vector<const NetworkPolicy *> result;
    if (!m_loaded || workload < 0)
        return result;
    const Workload &w = m_loaded->model.inventory.workloads.at(workload);
    for (const NetworkPolicy &policy : m_loaded->generated.policies)
        if (policy.ns == w.ns && policy.podSelector.matches(w.labels))
            result.push_back(&policy);
    return result;
}

QString Document::policyYamlOf(int workload) const
{
    std::vector<NetworkPolicy> policies;
    for (const NetworkPolicy *policy : policiesOf(workload))
        policies.push_back(*policy);
    return QString::fromStdString(writePoliciesYaml(policies));
}

QString Document::allPoliciesYaml() const
{
    return m_loaded ? QString::fromStdString(writePoliciesYaml(m_loaded->generated.policies))
                    : QString();
}

} // namespace bulkhead::ui
