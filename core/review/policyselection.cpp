#include "review/policyselection.h"

#include "review/reviewjson.h"

#include "review/evaluator.h"

#include <set>

namespace bulkhead {

PolicySelection policySelection(const PolicyEvaluator &evaluator)
{
    PolicySelection out;
    const std::vector<NetworkPolicy> &policies = evaluator.policies();
    out.policies = policies.size();
    for (size_t i = 0; i < policies.size(); ++i) {
        if (!evaluator.selectedWorkloads(i).empty()) {
            ++out.selecting;
            continue;
        }
        const NetworkPolicy &policy = policies[i];
        std::string message = "selects no workload of the inventory in namespace " + policy.ns;
        if (!policy.namespaceGiven)
            message += " (the file names no namespace; give it with -n)";
        out.warnings.push_back({policy.id(), std::move(message)});
    }
    return out;
}

std::string noneSelectsMessage(const PolicyEvaluator &evaluator)
{
    const std::vector<NetworkPolicy> &policies = evaluator.policies();
    std::set<std::string> namespaces;
    size_t withoutNamespace = 0;
    std::string placedIn;
    for (const NetworkPolicy &policy : policies) {
        namespaces.insert(policy.ns);
        if (!policy.namespaceGiven) {
            ++withoutNamespace;
            placedIn = policy.ns;
        }
    }
    std::string names;
    for (const std::string &ns : namespaces)
        names += (names.empty() ? "" : ", ") + ns;
    std::string message = "none of the " + std::to_string(policies.size())
                          + " policies selects a workload of the inventory (namespace"
                          + (namespaces.size() == 1 ? " " : "s ") + names + ")";
    if (withoutNamespace > 0) {
        message += "; " + std::to_string(withoutNamespace)
                   + " of them name no namespace and were placed in " + placedIn
                   + ": give their namespace with -n";
    }
    return message;
}

nlohmann::json selectionWarningsJson(const PolicySelection &selection)
{
    nlohmann::json out = nlohmann::json::array();
    for (const SelectionWarning &w : selection.warnings)
        out.push_back({{"policy", w.policy}, {"message", w.message}});
    return out;
}

} // namespace bulkhead
