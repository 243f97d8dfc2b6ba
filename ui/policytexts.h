#pragma once

#include "design/intent.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace bulkhead {
struct Model;
struct GenerateResult;
struct NetworkPolicy;
} // namespace bulkhead

namespace bulkhead::ui {

// A design's policies as the exports and the inspector show them: the NetworkPolicy YAML (all,
// or of some workloads), the CiliumNetworkPolicy YAML and the report JSON. A view over the
// document's state, which must outlive it; the same bytes as bulkhead-cli generate writes.
class PolicyTexts
{
public:
    // `pathCollapse`: the HTTP path-tree threshold of the Cilium export.
    PolicyTexts(const Model &model, const Intent &intent, const GenerateResult &generated,
                const Decisions &decisions, int pathCollapse);

    // The generated policies selecting this workload (default-deny of its namespace included).
    std::vector<const NetworkPolicy *> policiesOf(int workload) const;
    // The policies selecting any of these workloads (each once), in export order.
    QString policiesYamlOf(const std::vector<int> &workloads) const;
    QString allPoliciesYaml() const;
    // generate --format cilium of this design, with its warnings (stale path decisions first).
    QString ciliumPoliciesYaml(QStringList *warnings = nullptr) const;
    // generate --report's document with the design part (intentReportJson).
    QString reportJson() const;

private:
    const Model &m_model;
    const Intent &m_intent;
    const GenerateResult &m_generated;
    const Decisions &m_decisions;
    int m_pathCollapse;
};

} // namespace bulkhead::ui
