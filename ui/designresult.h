#pragma once

#include "design/intent.h"
#include "graph/graphdata.h"
#include "graph/graphmodel.h"
#include "policy/generator.h"
#include "review/blastradius.h"

#include <memory>
#include <optional>
#include <set>

class QFont;

namespace bulkhead {
struct Model;
struct Project;
} // namespace bulkhead

namespace bulkhead::ui {

// Everything the decisions give: the model with overrides, intent, policies, reach graphs, graph.
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

// What the decisions give, from the model as read: pure, so it runs on any thread (the font only
// measures the graph's boxes). No view: the model's auto level.
DesignResult computeDesign(const Model &loaded, const Project &project, ClusterMode mode,
                           const QFont &font, std::optional<LevelView> view = std::nullopt);

} // namespace bulkhead::ui
