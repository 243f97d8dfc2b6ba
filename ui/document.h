#pragma once

#include "graph/graphdata.h"
#include "graph/reach.h"
#include "layout/graphlayout.h"

#include <QObject>
#include <QString>

#include <map>
#include <memory>

class QUndoStack;
template<typename T>
class QFutureWatcher;

namespace bulkhead {
struct Model;
struct GenerateResult;
struct NetworkPolicy;
} // namespace bulkhead

namespace bulkhead::ui {

// What one background load produced: the model and its generated policies.
struct LoadedModel;
struct LayoutJob;

// The open document: the model, its policies, the graph and its layout, the selection and the
// undo stack. Loading and layout run in the background (QtConcurrent); results are applied on the
// GUI thread, and a newer request supersedes an older one still running.
class Document : public QObject
{
    Q_OBJECT

public:
    explicit Document(QObject *parent = nullptr);
    ~Document() override;

    // Starts loading a folder (inventory.yaml, *.pcap/*.pcapng, optional zones.yaml). Emits
    // loadingStarted, then modelChanged (and later layoutChanged) or loadFailed.
    void open(const QString &path);
    QString path() const { return m_path; }
    bool isLoading() const { return m_loading; }
    bool hasModel() const { return m_loaded != nullptr; }

    const Model &model() const;                 // only when hasModel()
    const GenerateResult &generated() const;    // the policies as they would be exported
    const GraphData &graph() const { return m_graph; }
    const GraphLayout &layout() const { return m_layout; }
    bool hasLayout() const { return m_hasLayout; }
    double layoutSeconds() const { return m_layout.seconds; }
    double loadSeconds() const { return m_loadSeconds; }

    ClusterMode clusterMode() const { return m_clusterMode; }
    void setClusterMode(ClusterMode mode); // lays the graph out again, in the background

    QUndoStack *undoStack() const { return m_undoStack; }
    bool isModified() const;
    void undo();
    void redo();

    // The selected workload (Inventory::workloads index), -1 for none.
    int selectedWorkload() const { return m_selected; }
    void selectWorkload(int workload);
    // Selects the workload "ns/name", or "name" when unique, or the first whose name contains
    // the text (case-insensitive). Returns the index, -1 when nothing matches.
    int findWorkload(const QString &text) const;

    RadiusPolicy radiusPolicy() const { return m_radiusPolicy; }
    void setRadiusPolicy(RadiusPolicy policy);
    // Blast radius of a workload under the current radius policy (workload -> hops).
    std::map<int, int> reach(int workload) const;
    std::map<int, int> reach(int workload, RadiusPolicy policy) const;

    // The generated policies selecting this workload (default-deny of its namespace included),
    // and their YAML as Export Policies writes it.
    std::vector<const NetworkPolicy *> policiesOf(int workload) const;
    QString policyYamlOf(int workload) const;
    QString allPoliciesYaml() const;

signals:
    void loadingStarted(const QString &path);
    void progressChanged(int percent); // -1: unknown
    void loadFailed(const QString &message);
    void modelChanged();
    void layoutStarted();
    void layoutChanged();
    void layoutFailed(const QString &message);
    void selectionChanged(int workload);
    void radiusPolicyChanged();
    void modifiedChanged(bool modified);
    void canUndoChanged(bool canUndo);
    void canRedoChanged(bool canRedo);

private:
    void startLayout();

    QString m_path;
    bool m_loading = false;
    double m_loadSeconds = 0;
    std::shared_ptr<const LoadedModel> m_loaded;
    GraphData m_graph;
    GraphLayout m_layout;
    bool m_hasLayout = false;
    ClusterMode m_clusterMode = ClusterMode::Zone;
    RadiusPolicy m_radiusPolicy = RadiusPolicy::Design;
    int m_selected = -1;
    int m_loadSerial = 0;
    int m_layoutSerial = 0;
    QUndoStack *m_undoStack;
};

} // namespace bulkhead::ui
