#pragma once

// CiliumEvaluator's precomputed state and the rule names its verdicts quote, shared by
// ciliumevaluator.cpp (setup, decisions) and ciliumpeermatch.cpp (ports and peers); internal to
// core/review.

#include "review/ciliumevaluator.h"

#include <optional>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace bulkhead {

struct CiliumEvaluator::Impl
{
    struct Rule
    {
        std::vector<uint64_t> endpoints; // workloads the rule's endpoint selectors match
    };
    struct Policy
    {
        std::vector<int> selected;
        std::vector<Rule> rules[2][2]; // [direction][deny]
    };
    struct HttpRegex
    {
        std::optional<std::regex> method, path, host;
    };
    std::vector<Policy> policies;
    std::vector<std::vector<int>> policiesOf; // per workload, the Cilium policies selecting it
    std::vector<bool> endpoint;               // a Cilium endpoint: a pod off the host network
    std::vector<bool> hostNetwork; // a pod on the host network (host / remote-node identity)
    std::set<IpAddress> apiServer; // endpoints of Service default/kubernetes
    std::unordered_map<const CiliumHttpRule *, HttpRegex> http;
};

namespace cilium {

inline std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

inline std::string ruleName(const CiliumNetworkPolicy &p, PolicyDirection direction, bool deny,
                            size_t index)
{
    return p.id() + ' ' + (direction == PolicyDirection::Ingress ? "ingress" : "egress")
           + (deny ? "Deny" : "") + '[' + std::to_string(index) + ']';
}

} // namespace cilium

} // namespace bulkhead
