#include "policytexts.h"

#include "design/edgepaths.h"
#include "model/model.h"
#include "policy/ciliumgenerator.h"
#include "policy/ciliumwriter.h"
#include "policy/generator.h"
#include "policy/policywriter.h"
#include "report/report.h"

#include <set>

namespace bulkhead::ui {

PolicyTexts::PolicyTexts(const Model &model, const Intent &intent, const GenerateResult &generated,
                         const Decisions &decisions, int pathCollapse)
    : m_model(model)
    , m_intent(intent)
    , m_generated(generated)
    , m_decisions(decisions)
    , m_pathCollapse(pathCollapse)
{
}

std::vector<const NetworkPolicy *> PolicyTexts::policiesOf(int workload) const
{
    std::vector<const NetworkPolicy *> result;
    const Workload &w = m_model.inventory.workloads.at(workload);
    for (const NetworkPolicy &policy : m_generated.policies)
        if (policy.ns == w.ns && policy.podSelector.matches(w.labels))
            result.push_back(&policy);
    return result;
}

QString PolicyTexts::policiesYamlOf(const std::vector<int> &workloads) const
{
    std::set<const NetworkPolicy *> selecting;
    for (int workload : workloads)
        if (workload >= 0)
            for (const NetworkPolicy *p : policiesOf(workload))
                selecting.insert(p);
    std::vector<NetworkPolicy> policies; // in export order
    for (const NetworkPolicy &policy : m_generated.policies)
        if (selecting.count(&policy))
            policies.push_back(policy);
    return QString::fromStdString(writePoliciesYaml(policies));
}

QString PolicyTexts::allPoliciesYaml() const
{
    return QString::fromStdString(writePoliciesYaml(m_generated.policies));
}

QString PolicyTexts::ciliumPoliciesYaml(QStringList *warnings) const
{
    CiliumOptions options;
    options.externalNames = m_model.analysis.externalNames;
    options.resolvedNames = m_model.analysis.resolvedNames;
    options.requests = m_model.analysis.httpRequests;
    options.tls = m_model.analysis.tlsSeen;
    options.pathCollapse = m_pathCollapse;
    options.pathDecisions = m_decisions.paths;
    const CiliumResult result = toCiliumPolicies(m_model.inventory, m_generated.policies, options);
    if (warnings) {
        warnings->clear();
        for (const std::string &w : stalePathDecisions(m_model.inventory, options.requests,
                                                       m_pathCollapse, options.pathDecisions))
            *warnings << QString::fromStdString(w);
        for (const std::string &w : result.warnings)
            *warnings << QString::fromStdString(w);
    }
    return QString::fromStdString(writeCiliumPoliciesYaml(result.policies));
}

QString PolicyTexts::reportJson() const
{
    return QString::fromStdString(designReportJson(m_model, m_generated, m_intent));
}

} // namespace bulkhead::ui
