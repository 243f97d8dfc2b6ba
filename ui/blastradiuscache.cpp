#include "blastradiuscache.h"

#include "model/model.h"

namespace bulkhead::ui {

void BlastRadiusCache::setDesign(const Model *model, const std::vector<Edge> *intentEdges,
                                 ReachGraph design, ReachGraph none)
{
    m_model = model;
    m_intentEdges = intentEdges;
    m_design = std::move(design);
    m_none = std::move(none);
    m_reachCounts.clear();
    m_internet.clear();
    m_radius.reset();
    m_radiusKey = {-1, ReachBasis::Design};
}

void BlastRadiusCache::setLoaded(std::shared_ptr<const ReachGraph> reach,
                                 std::vector<int> internetDirect)
{
    m_loaded = std::move(reach);
    m_internetLoaded = std::move(internetDirect);
    m_reachCounts.erase(ReachBasis::Loaded);
    m_internet.erase(ReachBasis::Loaded);
    if (m_radiusKey.second == ReachBasis::Loaded) {
        m_radius.reset();
        m_radiusKey = {-1, ReachBasis::Design};
    }
}

std::shared_ptr<const BlastRadius> BlastRadiusCache::blastRadius(int workload,
                                                                 ReachBasis policy) const
{
    if (!m_radius || m_radiusKey != std::pair(workload, policy)) {
        m_radius = std::make_shared<const BlastRadius>(
            computeBlastRadius(m_model->inventory, m_model->zones, reachGraph(policy), workload));
        m_radiusKey = {workload, policy};
    }
    return m_radius;
}

const std::vector<int> &BlastRadiusCache::reachCounts(ReachBasis policy) const
{
    auto it = m_reachCounts.find(policy);
    if (it != m_reachCounts.end())
        return it->second;
    std::vector<int> counts;
    if (m_model) // every workload's count at once, over the reach graph's strongly connected
                 // components
        counts = bulkhead::reachCounts(reachGraph(policy), m_model->inventory.workloads.size());
    return m_reachCounts.emplace(policy, std::move(counts)).first->second;
}

const ReachGraph &BlastRadiusCache::reachGraph(ReachBasis policy) const
{
    switch (policy) {
    case ReachBasis::NoPolicy: return m_none;
    case ReachBasis::Loaded:
        // A reach graph of the model reviewed: the same workloads (a design change moves zones,
        // never workloads); until the review lands, the design's.
        if (m_loaded && m_loaded->workloadCount() == m_design.workloadCount())
            return *m_loaded;
        return m_design;
    case ReachBasis::Design: break;
    }
    return m_design;
}

std::shared_ptr<const InternetExposure> BlastRadiusCache::internetExposure(ReachBasis policy) const
{
    auto &cached = m_internet[policy];
    if (!cached) {
        const Inventory &inventory = m_model->inventory;
        std::vector<int> direct;
        if (policy == ReachBasis::NoPolicy)
            direct = internetDirectWithoutPolicy(inventory);
        else if (policy == ReachBasis::Loaded && &reachGraph(policy) != &m_design)
            direct = m_internetLoaded;
        else
            direct = internetDirectFromEdges(inventory, *m_intentEdges);
        cached = std::make_shared<const InternetExposure>(computeInternetExposure(
            inventory, m_model->zones, reachGraph(policy), std::move(direct)));
    }
    return cached;
}

} // namespace bulkhead::ui
