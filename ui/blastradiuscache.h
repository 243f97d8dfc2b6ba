#pragma once

#include "graph/reach.h"
#include "review/blastradius.h"
#include "review/internetexposure.h"

#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace bulkhead {
struct Model;
struct Edge;
} // namespace bulkhead

namespace bulkhead::ui {

// The document's reach graphs and what is worked out from them, kept until the design changes:
// the blast radius last asked for (the graph and the inspector ask for the same one), every
// workload's reach count (heat mode) and whom the internet reaches, per radius policy.
// ReachBasis::Loaded uses the reach graph of the cluster's policies the Review panel set, while
// it is of the same workloads; else the design's.
class BlastRadiusCache
{
public:
    // A new design: its model (zone overrides applied), intent edges and reach graphs; what was
    // cached for the previous one goes. The model and edges must outlive the next setDesign().
    void setDesign(const Model *model, const std::vector<Edge> *intentEdges, ReachGraph design,
                   ReachGraph none);
    // The loaded policies' reach graph and whom the internet reaches directly under them;
    // nullptr: none (Loaded is then the same as Design).
    void setLoaded(std::shared_ptr<const ReachGraph> reach, std::vector<int> internetDirect);
    bool hasLoaded() const { return m_loaded != nullptr; }

    // Only once setDesign() was called.
    std::shared_ptr<const BlastRadius> blastRadius(int workload, ReachBasis policy) const;
    const std::vector<int> &reachCounts(ReachBasis policy) const;
    std::shared_ptr<const InternetExposure> internetExposure(ReachBasis policy) const;
    const ReachGraph &reachGraph(ReachBasis policy) const;

private:
    const Model *m_model = nullptr;
    const std::vector<Edge> *m_intentEdges = nullptr;
    ReachGraph m_design;
    ReachGraph m_none;
    std::shared_ptr<const ReachGraph> m_loaded;
    std::vector<int> m_internetLoaded;
    mutable std::map<ReachBasis, std::vector<int>> m_reachCounts;
    mutable std::map<ReachBasis, std::shared_ptr<const InternetExposure>> m_internet;
    mutable std::shared_ptr<const BlastRadius> m_radius;
    mutable std::pair<int, ReachBasis> m_radiusKey{-1, ReachBasis::Design};
};

} // namespace bulkhead::ui
