#pragma once

#include "policy/ciliumnetworkpolicy.h"
#include "policy/policyreader.h"

#include <string>
#include <vector>

namespace bulkhead {

// Reads cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy objects for `check`
// (docs/cilium.md "Reviewing CiliumNetworkPolicy"), validating them as the CRD's schema and
// Cilium's own sanitizing do (one kind of peer per rule, CIDR and port syntax, entity names,
// regular expressions of HTTP rules). What `check` cannot honour exactly is a problem naming the
// field and its line, never skipped: `specs`, `nodeSelector`, fromRequires/toRequires,
// toServices, toGroups, fromNodes/toNodes, icmps, authentication, cidrGroupRef/Selector,
// TLS interception, listeners, serverNames, HTTP header matches, Kafka and other l7 rules, and
// label sources other than k8s/any.
//
// Endpoint selectors come out with Cilium's label keys without their source prefix
// ("k8s:app" and "any:app" become "app"), so that they match a workload's endpoint labels:
// its pod labels, io.kubernetes.pod.namespace and io.cilium.k8s.namespace.labels.KEY for each
// label of its namespace (ciliumEndpointLabels()). The namespace a namespaced policy implies is
// left for the evaluator to add (review/ciliumevaluator.h), since `-n` may still change it.
class CiliumPolicyReader
{
public:
    // Registers itself as one of `reader`'s kind hooks; `reader` must outlive it.
    explicit CiliumPolicyReader(PolicyReader &reader);

    // Whether `kind` is CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy; if so, reads it.
    bool read(const YAML::Node &object, const std::string &kind);

    std::vector<CiliumNetworkPolicy> &policies() { return m_policies; }

private:
    void readSpec(const YAML::Node &spec, CiliumNetworkPolicy &policy);
    std::vector<CiliumRule> readRules(const YAML::Node &rules, const std::string &path, bool egress,
                                      bool deny);
    std::vector<CiliumPortRule> readToPorts(const YAML::Node &node, const std::string &path,
                                            bool deny);
    std::vector<IpBlock> readCidrs(const YAML::Node &node, const std::string &path, bool set);
    std::vector<CiliumFqdn> readFqdns(const YAML::Node &node, const std::string &path);
    std::optional<LabelSelector> readSelector(const YAML::Node &node, const std::string &path);
    std::optional<std::string> labelKey(const YAML::Node &at, const std::string &path,
                                        const std::string &key);
    void refuse(const YAML::Node &at, const std::string &path, const std::string &why);

    PolicyReader &m_reader;
    std::vector<CiliumNetworkPolicy> m_policies;
};

// A workload's labels as Cilium sees its endpoints (without source prefixes): the pod labels,
// io.kubernetes.pod.namespace and io.cilium.k8s.namespace.labels.KEY for its namespace's labels.
struct Inventory;
struct Workload;
Labels ciliumEndpointLabels(const Inventory &inventory, const Workload &workload);

} // namespace bulkhead
