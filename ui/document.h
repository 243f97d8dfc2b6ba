#pragma once

#include "blastradiuscache.h"
#include "design/intent.h"
#include "graph/graphdata.h"
#include "graph/reach.h"
#include "graph/reviewmarks.h"
#include "layout/graphlayout.h"
#include "layout/stablelayout.h"
#include "policy/generator.h"
#include "policytexts.h"
#include "project/project.h"
#include "review/blastradius.h"
#include "review/internetexposure.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

class QUndoStack;
template <typename T>
class QFutureWatcher;

namespace bulkhead {
struct Model;
struct NetworkPolicy;
} // namespace bulkhead

namespace bulkhead::ui {

struct LoadedModel;  // projectload.h
struct DesignResult; // designresult.h

// The open document: the project (inputs and the user's decisions), the model read from its
// inputs, the intent and policies the decisions give, the graph and its layout, the selection and
// the undo stack. Loading and layout run in the background (QtConcurrent); results are applied on
// the GUI thread, and a newer request supersedes an older one still running. Every design edit is
// a QUndoCommand (ui/commands/) that swaps the Decisions; the intent, policies, zone flags, graph
// and blast radius follow: at once for a model of at most synchronousLimit() workloads, else
// computed in the background (isRecomputing() meanwhile; designChanged when they land, a newer
// edit superseding an older one still running).
class Document : public QObject
{
    Q_OBJECT

public:
    explicit Document(QObject *parent = nullptr);
    ~Document() override;

    // Starts loading a folder (inventory.yaml, *.pcap/*.pcapng, optional zones.yaml) or a
    // `.bulkhead` project file. Emits loadingStarted, then modelChanged (and later
    // layoutChanged) or loadFailed.
    void open(const QString &path);
    // Adds inventories and captures to the project and reads everything again in the background
    // (decisions kept). Emits loadingStarted, progressChanged, then modelChanged or loadFailed.
    void importFiles(const QStringList &inventories, const QStringList &captures,
                     const QStringList &flows = {});
    // Opens an autosave left by a crash: its inputs and decisions, shown as the document it was
    // made from (`origin`: a `.bulkhead` file, whose path Save then writes, or the folder of an
    // unsaved project) and marked modified, since nothing of it is saved there. Emits as open().
    void restoreAutosave(const QString &autosaveFile, const QString &origin);
    // Stops a load in progress: its result is dropped, the previous model stays; emits
    // loadCancelled (not loadFailed: the user asked for it).
    void cancelLoading();
    QString path() const { return m_path; }
    bool isLoading() const { return m_loading; }
    bool hasModel() const { return m_loaded != nullptr; }

    // The project: its file (empty until saved), inputs, options and decisions.
    const Project &project() const { return m_project; }
    const Decisions &decisions() const { return m_project.decisions; }
    // The cluster's policies under review (the Review panel), saved with the project as
    // `policies:` and `policiesNamespace:`.
    void setReviewPolicies(const QStringList &files, const QString &defaultNamespace);
    // Writes the project file (atomically) and marks the document clean. Save As with a new path.
    Expected<void> save(const QString &path);
    // The state a user relies on, serialised: the project YAML and every exported policy.
    QString serializedState() const;

    const Model &model() const; // only when hasModel(); zone overrides applied
    const Intent &intent() const { return m_intent; }
    const GenerateResult &generated() const { return m_generated; } // as they would be exported
    const GraphData &graph() const { return m_graph; }
    // The workload-level graph behind every view (every edge, whatever the level shown).
    const GraphModel *fullGraph() const { return m_full.get(); }
    const GraphLayout &layout() const { return m_layout; }
    bool hasLayout() const { return m_hasLayout; }
    double layoutSeconds() const { return m_layout.seconds; }
    double loadSeconds() const { return m_loadSeconds; }

    // Levels (docs/gui.md): the view shown (zones, namespaces, workloads, a focus), the views
    // it was opened from (the breadcrumb), opening a box, focusing a workload, going back.
    const LevelView &view() const { return m_view; }
    const std::vector<LevelView> &trail() const { return m_trail; }
    bool openBox(int node);                // a zone, namespace or workload box of graph()
    void showLevel(const LevelView &view); // remembered in the trail
    void focusWorkload(int workload, int hops = 0, bool remember = true); // hops 0: focusHops()
    void backTo(int index);                                               // trail()[index]
    int focusHops() const { return m_focusHops; }
    void setFocusHops(int hops) { m_focusHops = hops; }
    // Lays the view out afresh, forgetting where its boxes were.
    void relayout();

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

    ReachBasis radiusPolicy() const { return m_radiusPolicy; }
    void setRadiusPolicy(ReachBasis policy);
    // Blast radius of a workload under the current radius policy (workload -> hops, the workload
    // itself left out), from core/review/blastradius.h over the intent edges.
    std::map<int, int> reach(int workload) const;
    std::map<int, int> reach(int workload, ReachBasis policy) const;
    BlastRadius blastRadius(int workload, ReachBasis policy) const;
    // The same, shared: computed once per workload, policy and design.
    std::shared_ptr<const BlastRadius> sharedBlastRadius(int workload, ReachBasis policy) const;
    // How many workloads each workload reaches (heat mode), cached until the design changes.
    const std::vector<int> &reachCounts(ReachBasis policy) const;
    // Who the internet reaches under a radius policy (directly, then transitively): the design's
    // edges from `world`, every workload with no policy, the loaded policies' ingress.
    std::shared_ptr<const InternetExposure> internetExposure(ReachBasis policy) const;

    // The cluster's policies open in the Review panel: their reach graph and whom the internet
    // reaches directly under them (ReachBasis::Loaded); nullptr when none are open (then
    // Loaded is the same as Design). Set by the panel for the model it reviewed.
    void setLoadedPolicyReach(std::shared_ptr<const ReachGraph> reach,
                              std::vector<int> internetDirect);
    bool hasLoadedPolicyReach() const { return m_radius.hasLoaded(); }
    // What the review found, drawn on the graph (breaks, excess, compare, guardrail fences).
    const ReviewMarks &reviewMarks() const { return m_reviewMarks; }
    void setReviewMarks(ReviewMarks marks);

    // Design edits: each pushes one undo command. A no-op (already so) pushes nothing and
    // returns false.
    bool denyEdge(const EdgeRef &edge);
    bool allowEdge(const EdgeRef &edge); // removes a denial, or adds an unobserved edge
    // Validates and adds an edge by hand: the error says what is wrong, nothing is pushed then.
    Expected<void> addEdge(const EdgeRef &edge);
    Expected<void> checkNewEdge(const EdgeRef &edge) const;
    bool moveWorkload(int workload, const QString &zone);
    // Whether the intent allows the edge.
    bool isAllowed(const EdgeRef &edge) const;
    EdgeRef edgeRefOf(const Edge &edge) const;
    // The endpoint names an edge may use: workloads "ns/name", then other peers seen.
    QStringList endpointNames() const;
    // HTTP path trees (docs/cilium.md "Path decisions"), collapsed as the Cilium export does:
    // the project's threshold (options.pathCollapse, generate's --path-collapse) and its path
    // decisions.
    int pathCollapse() const { return m_project.options.pathCollapse; }
    PathTree pathTreeOf(const std::string &from, const std::string &to, uint16_t port) const;
    // Collapse or split at a node (`node`'s action ignored), or without an action take the
    // node's decision back: one undo command; false (nothing pushed) when already so.
    bool setPathDecision(const PathDecision &node, std::optional<PathAction> action);
    // What Export CiliumNetworkPolicy writes: generate --format cilium of this design, with
    // its warnings (stale path decisions first).
    QString ciliumPoliciesYaml(QStringList *warnings = nullptr) const;
    // For commands only: replaces the decisions (zone overrides included) and recomputes.
    void setDecisions(const Decisions &decisions);
    // Whether a design change is being computed in the background: until designChanged, the
    // intent, policies, graph and radius are those of the previous decisions.
    bool isRecomputing() const { return m_recomputing; }
    // Models of at most this many workloads recompute on the GUI thread at once (a few
    // milliseconds); larger ones in the background. 0: always in the background.
    int synchronousLimit() const { return m_synchronousLimit; }
    void setSynchronousLimit(int workloads) { m_synchronousLimit = workloads; }

    // The generated policies selecting this workload (default-deny of its namespace included),
    // and their YAML as Export Policies writes it.
    std::vector<const NetworkPolicy *> policiesOf(int workload) const;
    QString policyYamlOf(int workload) const;
    QString allPoliciesYaml() const;
    // The policies selecting any of these workloads (each once), in export order.
    QString policiesYamlOf(const std::vector<int> &workloads) const;
    // The report: generate --report's document with the design part (intentReportJson).
    QString reportJson() const;

signals:
    void loadingStarted(const QString &path);
    void progressChanged(int percent); // -1: unknown
    void loadFailed(const QString &message);
    void loadCancelled();
    void modelChanged();
    // The decisions changed: intent, policies, flags and blast radius are new (the graph too;
    // layoutChanged follows instead when its shape changed).
    void designChanged();
    // A design change is being computed in the background (designChanged follows).
    void designRecomputing();
    // Another view (a level opened, a focus, back) or a re-layout: the graph is new, a layout
    // follows.
    void viewChanged();
    void layoutStarted();
    void layoutChanged();
    void layoutFailed(const QString &message);
    void selectionChanged(int workload);
    void radiusPolicyChanged();
    void loadedPolicyReachChanged(); // hasLoadedPolicyReach() or the loaded reach changed
    void reviewMarksChanged();
    void modifiedChanged(bool modified);
    void canUndoChanged(bool canUndo);
    void canRedoChanged(bool canRedo);

private:
    void startLayout();
    std::optional<LevelView> requestedView() const;
    GraphData viewData(const LevelView &view) const;
    void showView(const LevelView &view, bool remember);
    // keepState: an import into the open document (selection, undo stack and the decisions of
    // the moment the read ends are kept). markModified: the result is not saved anywhere yet.
    void startLoad(const Project &project, bool keepState, bool markModified = false);
    void recompute();
    void applyDesign(DesignResult &&design, bool initial);
    PolicyTexts texts() const; // only when hasModel()

    QString m_path;
    bool m_loading = false;
    double m_loadSeconds = 0;
    std::shared_ptr<const LoadedModel> m_loaded; // the model as read, before zone overrides
    std::shared_ptr<std::atomic<bool>> m_cancel;
    Project m_project;
    Model *m_model = nullptr; // owned by m_derived: overrides applied
    std::unique_ptr<Model> m_derived;
    Intent m_intent;
    GenerateResult m_generated;
    BlastRadiusCache m_radius; // the reach graphs of the design, no policy and loaded policies
    ReviewMarks m_reviewMarks;
    std::set<EdgeRef> m_allowedRefs; // the intent's edges, for isAllowed
    GraphData m_graph;
    std::shared_ptr<const GraphModel> m_full;
    LevelView m_view;
    bool m_autoView = true;
    std::vector<LevelView> m_trail;
    int m_focusHops = 1;
    std::map<std::string, KeptLayout> m_kept; // per view key
    GraphLayout m_layout;
    bool m_hasLayout = false;
    ClusterMode m_clusterMode = ClusterMode::Zone;
    ReachBasis m_radiusPolicy = ReachBasis::Design;
    int m_selected = -1;
    int m_loadSerial = 0;
    int m_layoutSerial = 0;
    int m_designSerial = 0;
    bool m_recomputing = false;
    int m_synchronousLimit = 300;
    QUndoStack *m_undoStack;
};

} // namespace bulkhead::ui
