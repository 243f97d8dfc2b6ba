#include "policy/policyreader.h"

#include "policy/k8snames.h"
#include "policy/policykind.h"
#include "util/yamlreader.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace bulkhead {

using yaml::child;
using yaml::given;
using yaml::indexed;
using yaml::isPlain;
using yaml::looksLikeInteger;
using yaml::quoted;
using yaml::resolvesToNonString;

PolicyReader::PolicyReader(std::string fileName)
    : m_fileName(std::move(fileName))
{
}

void PolicyReader::problem(const YAML::Node &at, const std::string &path,
                           const std::string &message)
{
    std::string text = m_context + ": ";
    if (!path.empty())
        text += path + ": ";
    text += message;
    m_problems.push_back(Error{m_fileName, YamlReader::line(at), std::move(text)});
}

void PolicyReader::warning(const YAML::Node &at, const std::string &message)
{
    const int line = YamlReader::line(at);
    m_warnings.push_back(m_fileName + (line > 0 ? ':' + std::to_string(line) : std::string()) + ": "
                         + message);
}

bool PolicyReader::expectMap(const YAML::Node &node, const std::string &path)
{
    if (node.IsMap())
        return true;
    problem(node, path, "must be a map");
    return false;
}

bool PolicyReader::expectList(const YAML::Node &node, const std::string &path)
{
    if (node.IsSequence())
        return true;
    problem(node, path, "must be a list");
    return false;
}

void PolicyReader::checkKeys(const YAML::Node &map, const std::string &path,
                             std::initializer_list<std::string_view> known)
{
    for (const auto &entry : map) {
        if (!entry.first.IsScalar()) {
            problem(entry.first, path, "keys must be strings");
            continue;
        }
        const std::string key = entry.first.Scalar();
        if (std::find(known.begin(), known.end(), key) == known.end())
            problem(entry.first, child(path, key), "unknown field (is it misspelt?)");
    }
}

std::optional<std::string> PolicyReader::readString(const YAML::Node &node, const std::string &path)
{
    if (!node.IsScalar()) {
        problem(node, path, "must be a string");
        return std::nullopt;
    }
    const std::string &value = node.Scalar();
    if (isPlain(node) && resolvesToNonString(value)) {
        problem(node, path,
                "must be a string; " + value + " is read as a number or a boolean: quote it ("
                    + quoted(value) + ")");
        return std::nullopt;
    }
    return value;
}

std::optional<long long> PolicyReader::readInteger(const YAML::Node &node, const std::string &path)
{
    if (!node.IsScalar() || !isPlain(node) || !looksLikeInteger(node.Scalar())) {
        problem(node, path, "must be an integer");
        return std::nullopt;
    }
    std::string_view text = node.Scalar();
    if (text.front() == '+')
        text.remove_prefix(1);
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        problem(node, path, "is out of range");
        return std::nullopt;
    }
    return value;
}

void PolicyReader::readObject(const YAML::Node &object, const std::string &where, bool insideList)
{
    m_context = where;
    if (object.IsNull())
        return; // an empty document
    if (!object.IsMap()) {
        problem(object, {}, "must be a Kubernetes object (a map with apiVersion and kind)");
        return;
    }
    const YAML::Node kindNode = object["kind"];
    std::optional<std::string> kind;
    if (given(kindNode)) {
        kind = readString(kindNode, "kind");
        if (!kind)
            return;
    } else if (insideList && !m_listItemKind.empty()) {
        kind = m_listItemKind; // the API server leaves it out of a typed list's items
    } else {
        problem(object, {}, "has no kind; expected NetworkPolicy, NetworkPolicyList or List");
        return;
    }
    std::string apiVersion;
    if (const YAML::Node version = object["apiVersion"]; given(version) && version.IsScalar())
        apiVersion = version.Scalar();
    else if (insideList && !given(version) && !m_listItemKind.empty())
        apiVersion = m_listApiVersion;
    switch (policyKindSupport(apiVersion, *kind)) {
    case PolicyKindSupport::Evaluated: readPolicy(object, apiVersion); return;
    case PolicyKindSupport::List: {
        if (insideList)
            break; // a list inside a list: not what kubectl prints
        const YAML::Node items = object["items"];
        if (!given(items))
            return; // an empty list
        if (!expectList(items, "items"))
            return;
        m_listItemKind = *kind == "NetworkPolicyList" ? "NetworkPolicy" : "";
        m_listApiVersion = apiVersion;
        for (size_t i = 0; i < items.size(); ++i)
            readObject(items[i], where + " item " + std::to_string(i + 1), true);
        m_listItemKind.clear();
        m_listApiVersion.clear();
        return;
    }
    case PolicyKindSupport::NotEvaluated:
        // The cluster-scoped tiers, when the caller reads them (ClusterPolicyReader).
        for (const KindHook &hook : m_kindHooks) {
            if (hook(object, *kind))
                return;
        }
        m_notEvaluated.push_back(notEvaluated(object, *kind, apiVersion));
        return;
    case PolicyKindSupport::NotAPolicy: break;
    }
    warning(object, where + ": skipped a " + *kind + " (only NetworkPolicy objects are read)");
}

NotEvaluatedPolicy PolicyReader::notEvaluated(const YAML::Node &object, const std::string &kind,
                                              const std::string &apiVersion) const
{
    NotEvaluatedPolicy out;
    out.kind = kind;
    out.apiVersion = apiVersion;
    out.file = m_fileName;
    out.line = YamlReader::line(object);
    std::string ns, name;
    if (const YAML::Node metadata = object["metadata"]; given(metadata) && metadata.IsMap()) {
        if (const YAML::Node n = metadata["namespace"]; given(n) && n.IsScalar())
            ns = n.Scalar();
        if (const YAML::Node n = metadata["name"]; given(n) && n.IsScalar())
            name = n.Scalar();
    }
    if (name.empty())
        name = "?";
    out.policy = ns.empty() ? name : ns + '/' + name;
    return out;
}

void PolicyReader::readPolicy(const YAML::Node &object, const std::string &listApiVersion)
{
    NetworkPolicy policy;
    policy.ns = "default";
    policy.namespaceGiven = false;
    policy.sourceFile = m_fileName;
    policy.sourceLine = YamlReader::line(object);

    const std::string where = m_context;
    const YAML::Node metadata = object["metadata"];
    if (given(metadata) && metadata.IsMap()) {
        // Name the policy in every message before anything else is checked.
        if (const YAML::Node ns = metadata["namespace"]; given(ns) && ns.IsScalar()) {
            policy.ns = ns.Scalar();
            policy.namespaceGiven = true;
        }
        if (const YAML::Node name = metadata["name"]; given(name) && name.IsScalar())
            policy.name = name.Scalar();
        m_context
            = where + " (" + policy.ns + '/' + (policy.name.empty() ? "?" : policy.name) + ')';
    }

    checkKeys(object, {}, {"apiVersion", "kind", "metadata", "spec", "status"});
    const YAML::Node apiVersion = object["apiVersion"];
    if (!given(apiVersion) && listApiVersion.empty())
        problem(object, "apiVersion", "is required (networking.k8s.io/v1)");
    else if (!given(apiVersion) && listApiVersion != "networking.k8s.io/v1")
        problem(object, "apiVersion",
                "unsupported value " + quoted(listApiVersion)
                    + " (of the list): must be networking.k8s.io/v1");
    else if (const auto version
             = given(apiVersion) ? readString(apiVersion, "apiVersion") : std::nullopt;
             version && *version != "networking.k8s.io/v1")
        problem(apiVersion, "apiVersion",
                "unsupported value " + quoted(*version) + ": must be networking.k8s.io/v1");

    if (!given(metadata))
        problem(object, "metadata.name", "is required");
    else if (expectMap(metadata, "metadata"))
        readMetadata(metadata, policy);

    const YAML::Node spec = object["spec"];
    if (!given(spec)) {
        warning(object, m_context + ": has no spec: it selects every pod of namespace " + policy.ns
                            + " and denies all their ingress");
        policy.policyTypesGiven = false;
        policy.hasIngressType = true;
        policy.hasEgressType = false;
    } else if (expectMap(spec, "spec")) {
        readSpec(spec, policy);
    }
    m_policies.push_back(std::move(policy));
}

void PolicyReader::readMetadata(const YAML::Node &metadata, NetworkPolicy &policy)
{
    const YAML::Node name = metadata["name"];
    if (!given(name)) {
        problem(metadata, "metadata.name", "is required");
    } else if (const auto text = readString(name, "metadata.name")) {
        if (const std::string issue = dnsSubdomainProblem(*text); !issue.empty())
            problem(name, "metadata.name", "invalid value " + quoted(*text) + ": " + issue);
    }
    if (const YAML::Node ns = metadata["namespace"]; given(ns)) {
        if (const auto text = readString(ns, "metadata.namespace")) {
            if (const std::string issue = dnsLabelProblem(*text); !issue.empty())
                problem(ns, "metadata.namespace", "invalid value " + quoted(*text) + ": " + issue);
        }
    }
    if (const YAML::Node labels = metadata["labels"]; given(labels))
        policy.labels = readLabels(labels, "metadata.labels");
}

void PolicyReader::readSpec(const YAML::Node &spec, NetworkPolicy &policy)
{
    checkKeys(spec, "spec", {"podSelector", "policyTypes", "ingress", "egress"});

    if (const YAML::Node selector = spec["podSelector"]; given(selector))
        policy.podSelector = readSelector(selector, "spec.podSelector");

    const YAML::Node ingress = spec["ingress"];
    policy.ingressGiven = given(ingress);
    if (policy.ingressGiven)
        policy.ingress = readRules(ingress, "spec.ingress", "from");
    const YAML::Node egress = spec["egress"];
    policy.egressGiven = given(egress);
    if (policy.egressGiven)
        policy.egress = readRules(egress, "spec.egress", "to");

    // Kubernetes defaults an absent or empty policyTypes to Ingress, plus Egress when there is
    // at least one egress rule (so `egress: []` alone does not restrict egress).
    bool ingressType = false, egressType = false;
    const YAML::Node types = spec["policyTypes"];
    if (given(types) && expectList(types, "spec.policyTypes")) {
        if (types.size() > 2) {
            problem(types, "spec.policyTypes", "may not specify more than two policyTypes");
        } else {
            for (size_t i = 0; i < types.size(); ++i) {
                const std::string path = indexed("spec.policyTypes", i);
                const auto type = readString(types[i], path);
                if (!type)
                    continue;
                if (*type == "Ingress")
                    ingressType = true;
                else if (*type == "Egress")
                    egressType = true;
                else
                    problem(types[i], path,
                            "unsupported value " + quoted(*type) + ": must be Ingress or Egress");
            }
        }
    }
    policy.policyTypesGiven = given(types) && types.IsSequence() && types.size() > 0;
    if (policy.policyTypesGiven) {
        policy.hasIngressType = ingressType;
        policy.hasEgressType = egressType;
    } else {
        policy.hasIngressType = true;
        policy.hasEgressType = !policy.egress.empty();
    }
}

std::vector<PolicyRule> PolicyReader::readRules(const YAML::Node &rules, const std::string &path,
                                                const char *peersKey)
{
    std::vector<PolicyRule> out;
    if (!expectList(rules, path))
        return out;
    for (size_t i = 0; i < rules.size(); ++i) {
        const YAML::Node rule = rules[i];
        const std::string rulePath = indexed(path, i);
        PolicyRule parsed;
        if (given(rule) && expectMap(rule, rulePath)) { // `- ` (null) is an empty rule, as `- {}`
            checkKeys(rule, rulePath, {peersKey, "ports"});
            if (const YAML::Node peers = rule[peersKey];
                given(peers) && expectList(peers, child(rulePath, peersKey))) {
                for (size_t p = 0; p < peers.size(); ++p)
                    parsed.peers.push_back(
                        readPeer(peers[p], indexed(child(rulePath, peersKey), p)));
            }
            if (const YAML::Node ports = rule["ports"];
                given(ports) && expectList(ports, child(rulePath, "ports"))) {
                for (size_t p = 0; p < ports.size(); ++p)
                    parsed.ports.push_back(
                        readPort(ports[p], indexed(child(rulePath, "ports"), p)));
            }
        }
        out.push_back(std::move(parsed));
    }
    return out;
}

} // namespace bulkhead
