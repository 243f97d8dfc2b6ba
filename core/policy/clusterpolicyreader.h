#pragma once

#include "policy/clusternetworkpolicy.h"
#include "policy/policyreader.h"

#include <string>
#include <vector>

namespace bulkhead {

// Reads ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) and AdminNetworkPolicy /
// BaselineAdminNetworkPolicy (v1alpha1) objects found among NetworkPolicies, validating them as
// the API server does with the CRDs: the OpenAPI schema (required fields, enums, bounds, at most
// 25 rules / peers / CIDRs / ports in v1alpha2 and 100 in v1alpha1, exactly one field of a
// subject, peer or port, unknown fields rejected) and the CEL rules (port range start < end,
// CIDR syntax), plus v1alpha1's BaselineAdminNetworkPolicy named "default". Every problem goes
// to the PolicyReader's list with its field path and line; so a file mixing kinds reports them
// all together. A Pass rule in the Baseline tier (accepted by the v1alpha2 schema, meaningless
// there) is a warning. `nodes` peers (v1alpha1, and v1alpha2's experimental channel) are read.
class ClusterPolicyReader
{
public:
    // Registers itself as `reader`'s kind hook; `reader` must outlive it.
    explicit ClusterPolicyReader(PolicyReader &reader);

    // Whether `kind` is one of the three; if so, reads the object.
    bool read(const YAML::Node &object, const std::string &kind);

    std::vector<ClusterNetworkPolicy> &policies() { return m_policies; }

private:
    void readSpec(const YAML::Node &spec, ClusterNetworkPolicy &policy);
    ClusterPeer readSubject(const YAML::Node &node, const std::string &path);
    std::vector<ClusterRule> readRules(const YAML::Node &rules, const std::string &path,
                                       bool ingress, const ClusterNetworkPolicy &policy);
    ClusterPeer readPeer(const YAML::Node &peer, const std::string &path, bool ingress);
    ClusterPeer readPodsPeer(const YAML::Node &node, const std::string &path);
    std::vector<Cidr> readNetworks(const YAML::Node &node, const std::string &path);
    void readPorts(const YAML::Node &node, const std::string &path, std::vector<ClusterPort> &out);
    bool readPortV1alpha2(const YAML::Node &item, const std::string &path,
                          std::vector<ClusterPort> &out);
    bool readPortV1alpha1(const YAML::Node &item, const std::string &path,
                          std::vector<ClusterPort> &out);
    std::optional<uint16_t> readPortNumber(const YAML::Node &node, const std::string &path);
    // Exactly one of `keys` set in the map; returns it, or empty after a problem.
    std::string exactlyOne(const YAML::Node &map, const std::string &path,
                           std::initializer_list<std::string_view> keys);
    bool v1alpha1() const { return m_kind != ClusterPolicyKind::ClusterNetworkPolicy; }
    size_t maxItems() const { return v1alpha1() ? 100 : 25; }
    void checkCount(const YAML::Node &list, const std::string &path, size_t min);

    PolicyReader &m_reader;
    ClusterPolicyKind m_kind = ClusterPolicyKind::ClusterNetworkPolicy;
    std::vector<ClusterNetworkPolicy> m_policies;
};

} // namespace bulkhead
