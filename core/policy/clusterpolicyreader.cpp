#include "policy/clusterpolicyreader.h"

#include "policy/k8snames.h"
#include "util/yamlreader.h"

#include <algorithm>
#include <set>

namespace bulkhead {

using yaml::child;
using yaml::given;
using yaml::indexed;
using yaml::quoted;

namespace {

constexpr std::string_view kV1alpha2 = "policy.networking.k8s.io/v1alpha2";
constexpr std::string_view kV1alpha1 = "policy.networking.k8s.io/v1alpha1";

} // namespace

ClusterPolicyReader::ClusterPolicyReader(PolicyReader &reader)
    : m_reader(reader)
{
    m_reader.addKindHook(
        [this](const YAML::Node &object, const std::string &kind) { return read(object, kind); });
}

void ClusterPolicyReader::checkCount(const YAML::Node &list, const std::string &path, size_t min)
{
    if (list.size() < min)
        m_reader.problem(list, path, "must have at least " + std::to_string(min) + " item");
    if (list.size() > maxItems())
        m_reader.problem(list, path,
                         "must have at most " + std::to_string(maxItems()) + " items, has "
                             + std::to_string(list.size()));
}

std::string ClusterPolicyReader::exactlyOne(const YAML::Node &map, const std::string &path,
                                            std::initializer_list<std::string_view> keys)
{
    std::vector<std::string> set;
    for (const std::string_view key : keys) {
        if (given(map[std::string(key)]))
            set.emplace_back(key);
    }
    if (set.size() == 1)
        return set.front();
    std::string names;
    for (const std::string_view key : keys)
        names += (names.empty() ? "" : ", ") + std::string(key);
    if (set.empty())
        m_reader.problem(map, path, "must set exactly one of " + names);
    else
        m_reader.problem(map, path,
                         "must set exactly one of " + names + ", not " + set[0] + " and " + set[1]);
    return {};
}

bool ClusterPolicyReader::read(const YAML::Node &object, const std::string &kindText)
{
    if (kindText == "ClusterNetworkPolicy")
        m_kind = ClusterPolicyKind::ClusterNetworkPolicy;
    else if (kindText == "AdminNetworkPolicy")
        m_kind = ClusterPolicyKind::AdminNetworkPolicy;
    else if (kindText == "BaselineAdminNetworkPolicy")
        m_kind = ClusterPolicyKind::BaselineAdminNetworkPolicy;
    else
        return false;

    ClusterNetworkPolicy policy;
    policy.kind = m_kind;
    policy.tier = m_kind == ClusterPolicyKind::BaselineAdminNetworkPolicy ? PolicyTier::Baseline
                                                                          : PolicyTier::Admin;
    policy.sourceFile = m_reader.m_fileName;
    policy.sourceLine = YamlReader::line(object);

    const std::string where = m_reader.m_context;
    const YAML::Node metadata = object["metadata"];
    if (given(metadata) && metadata.IsMap()) {
        if (const YAML::Node name = metadata["name"]; given(name) && name.IsScalar())
            policy.name = name.Scalar();
    }
    m_reader.m_context
        = where + " (" + kindText + '/' + (policy.name.empty() ? "?" : policy.name) + ')';

    m_reader.checkKeys(object, {}, {"apiVersion", "kind", "metadata", "spec", "status"});
    const std::string_view wanted = v1alpha1() ? kV1alpha1 : kV1alpha2;
    const YAML::Node apiVersion = object["apiVersion"];
    if (!given(apiVersion))
        m_reader.problem(object, "apiVersion", "is required (" + std::string(wanted) + ")");
    else if (const auto version = m_reader.readString(apiVersion, "apiVersion");
             version && *version != wanted)
        m_reader.problem(apiVersion, "apiVersion",
                         "unsupported value " + quoted(*version) + ": " + kindText + " is "
                             + std::string(wanted));

    if (!given(metadata)) {
        m_reader.problem(object, "metadata.name", "is required");
    } else if (m_reader.expectMap(metadata, "metadata")) {
        const YAML::Node name = metadata["name"];
        if (!given(name)) {
            m_reader.problem(metadata, "metadata.name", "is required");
        } else if (const auto text = m_reader.readString(name, "metadata.name")) {
            if (const std::string issue = dnsSubdomainProblem(*text); !issue.empty())
                m_reader.problem(name, "metadata.name",
                                 "invalid value " + quoted(*text) + ": " + issue);
            else if (m_kind == ClusterPolicyKind::BaselineAdminNetworkPolicy && *text != "default")
                m_reader.problem(name, "metadata.name",
                                 "invalid value " + quoted(*text)
                                     + ": only one BaselineAdminNetworkPolicy is "
                                       "supported, with the name \"default\"");
        }
        if (const YAML::Node ns = metadata["namespace"]; given(ns))
            m_reader.warning(ns, m_reader.m_context + ": metadata.namespace is ignored: " + kindText
                                     + " is cluster-scoped");
        if (const YAML::Node labels = metadata["labels"]; given(labels))
            policy.labels = m_reader.readLabels(labels, "metadata.labels");
    }

    const YAML::Node spec = object["spec"];
    if (!given(spec))
        m_reader.problem(object, "spec", "is required");
    else if (m_reader.expectMap(spec, "spec"))
        readSpec(spec, policy);
    m_policies.push_back(std::move(policy));
    return true;
}

void ClusterPolicyReader::readSpec(const YAML::Node &spec, ClusterNetworkPolicy &policy)
{
    switch (m_kind) {
    case ClusterPolicyKind::ClusterNetworkPolicy:
        m_reader.checkKeys(spec, "spec", {"tier", "priority", "subject", "ingress", "egress"});
        break;
    case ClusterPolicyKind::AdminNetworkPolicy:
        m_reader.checkKeys(spec, "spec", {"priority", "subject", "ingress", "egress"});
        break;
    case ClusterPolicyKind::BaselineAdminNetworkPolicy:
        m_reader.checkKeys(spec, "spec", {"subject", "ingress", "egress"});
        break;
    }
    if (m_kind == ClusterPolicyKind::ClusterNetworkPolicy) {
        const YAML::Node tier = spec["tier"];
        if (!given(tier)) {
            m_reader.problem(spec, "spec.tier", "is required (Admin or Baseline)");
        } else if (const auto text = m_reader.readString(tier, "spec.tier")) {
            if (*text == "Admin")
                policy.tier = PolicyTier::Admin;
            else if (*text == "Baseline")
                policy.tier = PolicyTier::Baseline;
            else
                m_reader.problem(tier, "spec.tier",
                                 "unsupported value " + quoted(*text)
                                     + ": must be Admin or Baseline");
        }
    }
    if (m_kind != ClusterPolicyKind::BaselineAdminNetworkPolicy) {
        const YAML::Node priority = spec["priority"];
        if (!given(priority)) {
            m_reader.problem(spec, "spec.priority", "is required (0 to 1000, lower first)");
        } else if (const auto value = m_reader.readInteger(priority, "spec.priority")) {
            if (*value < 0 || *value > 1000)
                m_reader.problem(priority, "spec.priority",
                                 "invalid value " + std::to_string(*value)
                                     + ": must be between 0 and 1000, inclusive");
            else
                policy.priority = static_cast<int>(*value);
        }
    }
    const YAML::Node subject = spec["subject"];
    if (!given(subject))
        m_reader.problem(spec, "spec.subject", "is required (namespaces or pods)");
    else
        policy.subject = readSubject(subject, "spec.subject");
    if (const YAML::Node ingress = spec["ingress"]; given(ingress))
        policy.ingress = readRules(ingress, "spec.ingress", true, policy);
    if (const YAML::Node egress = spec["egress"]; given(egress))
        policy.egress = readRules(egress, "spec.egress", false, policy);
}

ClusterPeer ClusterPolicyReader::readSubject(const YAML::Node &node, const std::string &path)
{
    ClusterPeer out;
    if (!m_reader.expectMap(node, path))
        return out;
    m_reader.checkKeys(node, path, {"namespaces", "pods"});
    const std::string which = exactlyOne(node, path, {"namespaces", "pods"});
    if (which == "namespaces") {
        out.kind = ClusterPeer::Kind::Namespaces;
        out.namespaceSelector
            = m_reader.readSelector(node["namespaces"], child(path, "namespaces"));
    } else if (which == "pods") {
        out = readPodsPeer(node["pods"], child(path, "pods"));
    }
    return out;
}

ClusterPeer ClusterPolicyReader::readPodsPeer(const YAML::Node &node, const std::string &path)
{
    ClusterPeer out;
    out.kind = ClusterPeer::Kind::Pods;
    if (!m_reader.expectMap(node, path))
        return out;
    m_reader.checkKeys(node, path, {"namespaceSelector", "podSelector"});
    if (const YAML::Node selector = node["namespaceSelector"]; given(selector))
        out.namespaceSelector = m_reader.readSelector(selector, child(path, "namespaceSelector"));
    else if (v1alpha1())
        m_reader.problem(node, child(path, "namespaceSelector"), "is required");
    if (const YAML::Node selector = node["podSelector"]; given(selector))
        out.podSelector = m_reader.readSelector(selector, child(path, "podSelector"));
    else
        m_reader.problem(node, child(path, "podSelector"), "is required");
    return out;
}

std::vector<Cidr> ClusterPolicyReader::readNetworks(const YAML::Node &node, const std::string &path)
{
    std::vector<Cidr> out;
    if (!m_reader.expectList(node, path))
        return out;
    checkCount(node, path, 1);
    std::set<std::string> seen;
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string itemPath = indexed(path, i);
        const auto text = m_reader.readString(node[i], itemPath);
        if (!text)
            continue;
        if (text->size() > 43) {
            m_reader.problem(node[i], itemPath, "must be at most 43 characters");
            continue;
        }
        const auto cidr = Cidr::parse(*text);
        if (!cidr || text->find('/') == std::string::npos) {
            m_reader.problem(node[i], itemPath,
                             "invalid value " + quoted(*text) + ": Invalid CIDR format provided");
            continue;
        }
        if (!seen.insert(cidr->toString()).second)
            m_reader.problem(node[i], itemPath,
                             "duplicate value " + quoted(*text) + " (the list is a set)");
        out.push_back(*cidr);
    }
    return out;
}

ClusterPeer ClusterPolicyReader::readPeer(const YAML::Node &peer, const std::string &path,
                                          bool ingress)
{
    ClusterPeer out;
    if (!m_reader.expectMap(peer, path))
        return out;
    std::string which;
    if (ingress) {
        m_reader.checkKeys(peer, path, {"namespaces", "pods"});
        which = exactlyOne(peer, path, {"namespaces", "pods"});
    } else {
        m_reader.checkKeys(peer, path, {"namespaces", "pods", "networks", "nodes"});
        which = exactlyOne(peer, path, {"namespaces", "pods", "networks", "nodes"});
    }
    if (which == "namespaces") {
        out.kind = ClusterPeer::Kind::Namespaces;
        out.namespaceSelector
            = m_reader.readSelector(peer["namespaces"], child(path, "namespaces"));
    } else if (which == "pods") {
        out = readPodsPeer(peer["pods"], child(path, "pods"));
    } else if (which == "networks") {
        out.kind = ClusterPeer::Kind::Networks;
        out.networks = readNetworks(peer["networks"], child(path, "networks"));
    } else if (which == "nodes") {
        out.kind = ClusterPeer::Kind::Nodes;
        out.nodeSelector = m_reader.readSelector(peer["nodes"], child(path, "nodes"));
    }
    return out;
}

std::optional<uint16_t> ClusterPolicyReader::readPortNumber(const YAML::Node &node,
                                                            const std::string &path)
{
    if (!given(node)) {
        m_reader.problem(node, path, "is required");
        return std::nullopt;
    }
    const auto value = m_reader.readInteger(node, path);
    if (!value)
        return std::nullopt;
    if (*value < 1 || *value > 65535) {
        m_reader.problem(node, path,
                         "invalid value " + std::to_string(*value)
                             + ": must be between 1 and 65535, inclusive");
        return std::nullopt;
    }
    return static_cast<uint16_t>(*value);
}

bool ClusterPolicyReader::readPortV1alpha2(const YAML::Node &item, const std::string &path,
                                           std::vector<ClusterPort> &out)
{
    m_reader.checkKeys(item, path, {"tcp", "udp", "sctp", "destinationNamedPort"});
    const std::string which
        = exactlyOne(item, path, {"tcp", "udp", "sctp", "destinationNamedPort"});
    if (which.empty())
        return false;
    const std::string whichPath = child(path, which);
    if (which == "destinationNamedPort") {
        const auto name = m_reader.readString(item[which], whichPath);
        if (!name)
            return false;
        ClusterPort port;
        port.kind = ClusterPort::Kind::Named;
        port.name = *name;
        out.push_back(std::move(port));
        return true;
    }
    const Protocol protocol
        = which == "tcp" ? Protocol::TCP : (which == "udp" ? Protocol::UDP : Protocol::SCTP);
    const YAML::Node body = item[which];
    if (!m_reader.expectMap(body, whichPath))
        return false;
    m_reader.checkKeys(body, whichPath, {"destinationPort"});
    const YAML::Node destination = body["destinationPort"];
    const std::string destinationPath = child(whichPath, "destinationPort");
    if (!given(destination)) {
        m_reader.problem(body, destinationPath,
                         "is required (the schema wants at least one field)");
        return false;
    }
    if (!m_reader.expectMap(destination, destinationPath))
        return false;
    m_reader.checkKeys(destination, destinationPath, {"number", "range"});
    const std::string kind = exactlyOne(destination, destinationPath, {"number", "range"});
    ClusterPort port;
    port.protocol = protocol;
    if (kind == "number") {
        const auto number = readPortNumber(destination["number"], child(destinationPath, "number"));
        if (!number)
            return false;
        port.kind = ClusterPort::Kind::Number;
        port.first = port.last = *number;
    } else if (kind == "range") {
        const YAML::Node range = destination["range"];
        const std::string rangePath = child(destinationPath, "range");
        if (!m_reader.expectMap(range, rangePath))
            return false;
        m_reader.checkKeys(range, rangePath, {"start", "end"});
        const auto start = readPortNumber(range["start"], child(rangePath, "start"));
        const auto end = readPortNumber(range["end"], child(rangePath, "end"));
        if (!start || !end)
            return false;
        if (*start >= *end) {
            m_reader.problem(range, rangePath,
                             "Start port must be less than End port (start "
                                 + std::to_string(*start) + ", end " + std::to_string(*end) + ')');
            return false;
        }
        port.kind = ClusterPort::Kind::Range;
        port.first = *start;
        port.last = *end;
    } else {
        return false;
    }
    out.push_back(std::move(port));
    return true;
}

bool ClusterPolicyReader::readPortV1alpha1(const YAML::Node &item, const std::string &path,
                                           std::vector<ClusterPort> &out)
{
    m_reader.checkKeys(item, path, {"portNumber", "namedPort", "portRange"});
    const std::string which = exactlyOne(item, path, {"portNumber", "namedPort", "portRange"});
    if (which.empty())
        return false;
    const std::string whichPath = child(path, which);
    if (which == "namedPort") {
        const auto name = m_reader.readString(item[which], whichPath);
        if (!name)
            return false;
        ClusterPort port;
        port.kind = ClusterPort::Kind::Named;
        port.name = *name;
        out.push_back(std::move(port));
        return true;
    }
    const YAML::Node body = item[which];
    if (!m_reader.expectMap(body, whichPath))
        return false;
    ClusterPort port;
    if (const YAML::Node protocol = body["protocol"]; given(protocol)) {
        if (const auto text = m_reader.readString(protocol, child(whichPath, "protocol"))) {
            const auto parsed = parseProtocol(*text);
            if (!parsed) {
                m_reader.problem(protocol, child(whichPath, "protocol"),
                                 "unsupported value " + quoted(*text)
                                     + ": must be TCP, UDP or SCTP");
                return false;
            }
            port.protocol = *parsed;
        }
    }
    if (which == "portNumber") {
        m_reader.checkKeys(body, whichPath, {"protocol", "port"});
        const auto number = readPortNumber(body["port"], child(whichPath, "port"));
        if (!number)
            return false;
        port.kind = ClusterPort::Kind::Number;
        port.first = port.last = *number;
    } else {
        m_reader.checkKeys(body, whichPath, {"protocol", "start", "end"});
        const auto start = readPortNumber(body["start"], child(whichPath, "start"));
        const auto end = readPortNumber(body["end"], child(whichPath, "end"));
        if (!start || !end)
            return false;
        if (*start >= *end) {
            m_reader.problem(body, whichPath,
                             "Start port must be less than End port (start "
                                 + std::to_string(*start) + ", end " + std::to_string(*end) + ')');
            return false;
        }
        port.kind = ClusterPort::Kind::Range;
        port.first = *start;
        port.last = *end;
    }
    out.push_back(std::move(port));
    return true;
}

void ClusterPolicyReader::readPorts(const YAML::Node &node, const std::string &path,
                                    std::vector<ClusterPort> &out)
{
    if (!m_reader.expectList(node, path))
        return;
    checkCount(node, path, 1);
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string itemPath = indexed(path, i);
        if (!m_reader.expectMap(node[i], itemPath))
            continue;
        if (v1alpha1())
            readPortV1alpha1(node[i], itemPath, out);
        else
            readPortV1alpha2(node[i], itemPath, out);
    }
}

std::vector<ClusterRule> ClusterPolicyReader::readRules(const YAML::Node &rules,
                                                        const std::string &path, bool ingress,
                                                        const ClusterNetworkPolicy &policy)
{
    std::vector<ClusterRule> out;
    if (!m_reader.expectList(rules, path))
        return out;
    if (rules.size() > maxItems())
        m_reader.problem(rules, path,
                         "must have at most " + std::to_string(maxItems()) + " rules, has "
                             + std::to_string(rules.size()));
    const char *peersKey = ingress ? "from" : "to";
    const char *portsKey = v1alpha1() ? "ports" : "protocols";
    for (size_t i = 0; i < rules.size(); ++i) {
        const YAML::Node rule = rules[i];
        const std::string rulePath = indexed(path, i);
        if (!m_reader.expectMap(rule, rulePath))
            continue;
        m_reader.checkKeys(rule, rulePath, {"name", "action", peersKey, portsKey});
        ClusterRule r;
        r.line = YamlReader::line(rule);
        if (const YAML::Node name = rule["name"]; given(name)) {
            if (const auto text = m_reader.readString(name, child(rulePath, "name"))) {
                if (text->size() > 100)
                    m_reader.problem(name, child(rulePath, "name"),
                                     "must be at most 100 characters");
                r.name = *text;
            }
        }
        const YAML::Node action = rule["action"];
        const std::string actionPath = child(rulePath, "action");
        const bool baselineV1 = m_kind == ClusterPolicyKind::BaselineAdminNetworkPolicy;
        const std::string allowed = !v1alpha1()
                                        ? "Accept, Deny or Pass"
                                        : (baselineV1 ? "Allow or Deny" : "Allow, Deny or Pass");
        if (!given(action)) {
            m_reader.problem(rule, actionPath, "is required (" + allowed + ")");
        } else if (const auto text = m_reader.readString(action, actionPath)) {
            const std::string_view accept = v1alpha1() ? "Allow" : "Accept";
            if (*text == accept)
                r.action = ClusterAction::Accept;
            else if (*text == "Deny")
                r.action = ClusterAction::Deny;
            else if (*text == "Pass" && !baselineV1)
                r.action = ClusterAction::Pass;
            else
                m_reader.problem(action, actionPath,
                                 "unsupported value " + quoted(*text) + ": must be " + allowed);
            if (r.action == ClusterAction::Pass && policy.tier == PolicyTier::Baseline)
                m_reader.warning(
                    action, m_reader.m_context + ": " + actionPath
                                + ": Pass in the Baseline tier only passes to the default (allow)");
        }
        const YAML::Node peers = rule[peersKey];
        const std::string peersPath = child(rulePath, peersKey);
        if (!given(peers)) {
            m_reader.problem(rule, peersPath, "is required (at least one peer)");
        } else if (m_reader.expectList(peers, peersPath)) {
            checkCount(peers, peersPath, 1);
            for (size_t p = 0; p < peers.size(); ++p)
                r.peers.push_back(readPeer(peers[p], indexed(peersPath, p), ingress));
        }
        if (const YAML::Node ports = rule[portsKey]; given(ports))
            readPorts(ports, child(rulePath, portsKey), r.ports);
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace bulkhead
