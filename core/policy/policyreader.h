#pragma once

#include "policy/networkpolicy.h"
#include "policy/policykind.h"
#include "util/error.h"

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node; // yaml-cpp's, complete in the readers' .cpp files (util/yamlreader.h)
}

namespace bulkhead {

// Turns parsed YAML objects into NetworkPolicy values, checking them as the API server does
// (policyloader.h describes the rules). Used by the loader; exceptions from yaml-cpp are the
// caller's to catch.
class PolicyReader
{
public:
    explicit PolicyReader(std::string fileName);

    // One document, or one item of a List: `where` is "document 2" or "document 1 item 3".
    void readObject(const YAML::Node &object, const std::string &where, bool insideList = false);

    // Objects of kinds other than NetworkPolicy and the lists are offered to this hook first
    // (policy/clusterpolicyreader.h reads the cluster-scoped kinds through it); it returns whether
    // it read the object.
    using KindHook = std::function<bool(const YAML::Node &object, const std::string &kind)>;
    void setKindHook(KindHook hook) { m_kindHooks = {std::move(hook)}; }
    // Another hook, tried after those already given.
    void addKindHook(KindHook hook) { m_kindHooks.push_back(std::move(hook)); }

    std::vector<NetworkPolicy> &policies() { return m_policies; }
    const std::vector<Error> &problems() const { return m_problems; }
    const std::vector<std::string> &warnings() const { return m_warnings; }
    // Policies of kinds Bulkhead does not evaluate (policyKindSupport()), in file order.
    const std::vector<NotEvaluatedPolicy> &notEvaluatedPolicies() const { return m_notEvaluated; }

private:
    // listApiVersion: the apiVersion of the NetworkPolicyList whose item this is, when the item
    // carries none (the API server leaves apiVersion and kind out of a typed list's items).
    void readPolicy(const YAML::Node &object, const std::string &listApiVersion);
    NotEvaluatedPolicy notEvaluated(const YAML::Node &object, const std::string &kind,
                                    const std::string &apiVersion) const;
    friend class ClusterPolicyReader; // share the problem list and the field readers
    friend class CiliumPolicyReader;

    void readMetadata(const YAML::Node &metadata, NetworkPolicy &policy);
    void readSpec(const YAML::Node &spec, NetworkPolicy &policy);
    std::vector<PolicyRule> readRules(const YAML::Node &rules, const std::string &path,
                                      const char *peersKey);
    PolicyPeer readPeer(const YAML::Node &peer, const std::string &path);
    std::optional<IpBlock> readIpBlock(const YAML::Node &block, const std::string &path);
    PolicyPort readPort(const YAML::Node &port, const std::string &path);
    LabelSelector readSelector(const YAML::Node &selector, const std::string &path);
    Labels readLabels(const YAML::Node &labels, const std::string &path);

    void problem(const YAML::Node &at, const std::string &path, const std::string &message);
    void warning(const YAML::Node &at, const std::string &message);
    bool expectMap(const YAML::Node &node, const std::string &path);
    bool expectList(const YAML::Node &node, const std::string &path);
    void checkKeys(const YAML::Node &map, const std::string &path,
                   std::initializer_list<std::string_view> known);
    std::optional<std::string> readString(const YAML::Node &node, const std::string &path);
    std::optional<long long> readInteger(const YAML::Node &node, const std::string &path);

    std::string m_fileName;
    std::string m_context; // "document 2 (shop/deny)"
    std::vector<NetworkPolicy> m_policies;
    std::vector<Error> m_problems;
    std::vector<std::string> m_warnings;
    std::vector<NotEvaluatedPolicy> m_notEvaluated;
    std::string m_listItemKind;   // "NetworkPolicy" while reading a NetworkPolicyList's items
    std::string m_listApiVersion; // that list's apiVersion
    std::vector<KindHook> m_kindHooks;
};

} // namespace bulkhead
