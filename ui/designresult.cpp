#include "designresult.h"

#include "design/decisionnetworks.h"
#include "graph/graphlevel.h"
#include "logging.h"
#include "model/model.h"
#include "project/project.h"

#include <QElapsedTimer>
#include <QFont>

namespace bulkhead::ui {

DesignResult computeDesign(const Model &loaded, const Project &project, ClusterMode mode,
                           const QFont &font, std::optional<LevelView> view)
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

} // namespace bulkhead::ui
