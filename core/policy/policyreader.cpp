#include "policy/policyreader.h"

#include "policy/k8snames.h"
#include "policy/policykind.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace bulkhead {

namespace {

bool isDigits(std::string_view s)
{
    return !s.empty()
           && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool looksLikeInteger(std::string_view s)
{
    if (!s.empty() && (s.front() == '-' || s.front() == '+'))
        s.remove_prefix(1);
    return isDigits(s);
}

// A plain (unquoted) scalar that YAML 1.1 readers such as kubectl's resolve to something other
// than a string: a boolean, a number, infinity or NaN.
bool resolvesToNonString(std::string_view s)
{
    static const std::set<std::string_view> words = {
        "y",    "Y",    "yes",   "Yes",   "YES",   "n",     "N",     "no",   "No",   "NO",  "true",
        "True", "TRUE", "false", "False", "FALSE", "on",    "On",    "ON",   "off",  "Off", "OFF",
        ".inf", ".Inf", ".INF",  "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN"};
    if (words.contains(s))
        return true;
    std::string_view body = s;
    if (!body.empty() && (body.front() == '-' || body.front() == '+'))
        body.remove_prefix(1);
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b'))
        return true;
    // [0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? with at least one digit
    bool digit = false, dot = false;
    size_t i = 0;
    for (; i < body.size(); ++i) {
        const char c = body[i];
        if ((c >= '0' && c <= '9') || c == '_')
            digit = digit || c != '_';
        else if (c == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (!digit)
        return false;
    if (i == body.size())
        return true;
    if (body[i] != 'e' && body[i] != 'E')
        return false;
    std::string_view exponent = body.substr(i + 1);
    if (!exponent.empty() && (exponent.front() == '-' || exponent.front() == '+'))
        exponent.remove_prefix(1);
    return isDigits(exponent);
}

bool isPlain(const YAML::Node &node)
{
    return node.Tag() == "?";
}

std::string quoted(std::string_view s)
{
    return '"' + std::string(s) + '"';
}

std::string indexed(const std::string &path, size_t i)
{
    return path + '[' + std::to_string(i) + ']';
}

std::string child(const std::string &path, std::string_view key)
{
    return path.empty() ? std::string(key) : path + '.' + std::string(key);
}

// A present, non-null node: Kubernetes reads `key: null` as if the key were absent.
bool given(const YAML::Node &node)
{
    return node.IsDefined() && !node.IsNull();
}

} // namespace

int yamlLine(const YAML::Node &node)
{
    if (!node.IsDefined())
        return 0;
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : 0;
}

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
    m_problems.push_back({yamlLine(at), std::move(text)});
}

void PolicyReader::warning(const YAML::Node &at, const std::string &message)
{
    const int line = yamlLine(at);
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
    out.line = yamlLine(object);
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
    policy.sourceLine = yamlLine(object);

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

PolicyPeer PolicyReader::readPeer(const YAML::Node &peer, const std::string &path)
{
    PolicyPeer out;
    if (!given(peer)) {
        problem(peer, path, "must set at least one of podSelector, namespaceSelector or ipBlock");
        return out;
    }
    if (!expectMap(peer, path))
        return out;
    checkKeys(peer, path, {"podSelector", "namespaceSelector", "ipBlock"});
    if (const YAML::Node selector = peer["podSelector"]; given(selector))
        out.podSelector = readSelector(selector, child(path, "podSelector"));
    if (const YAML::Node selector = peer["namespaceSelector"]; given(selector))
        out.namespaceSelector = readSelector(selector, child(path, "namespaceSelector"));
    const YAML::Node block = peer["ipBlock"];
    const bool hasBlock = given(block);
    if (hasBlock)
        out.ipBlock = readIpBlock(block, child(path, "ipBlock"));

    if (!hasBlock && !out.podSelector && !out.namespaceSelector)
        problem(peer, path, "must set at least one of podSelector, namespaceSelector or ipBlock");
    if (hasBlock && out.podSelector)
        problem(peer, path, "must not set both ipBlock and podSelector");
    if (hasBlock && out.namespaceSelector)
        problem(peer, path, "must not set both ipBlock and namespaceSelector");
    return out;
}

std::optional<IpBlock> PolicyReader::readIpBlock(const YAML::Node &block, const std::string &path)
{
    if (!expectMap(block, path))
        return IpBlock{};
    checkKeys(block, path, {"cidr", "except"});
    IpBlock out;
    const std::string cidrPath = child(path, "cidr");
    const YAML::Node cidrNode = block["cidr"];
    if (!given(cidrNode)) {
        problem(block, cidrPath, "is required");
        return out;
    }
    const auto cidrText = readString(cidrNode, cidrPath);
    if (!cidrText)
        return out;
    const auto cidr
        = cidrText->find('/') == std::string::npos ? std::nullopt : Cidr::parse(*cidrText);
    if (!cidr) {
        problem(cidrNode, cidrPath,
                "invalid value " + quoted(*cidrText) + ": must be a CIDR such as 10.0.0.0/16");
        return out;
    }
    if (IpAddress::parse(std::string_view(*cidrText).substr(0, cidrText->find('/')))
        != cidr->network())
        warning(cidrNode, m_context + ": " + cidrPath + ": " + *cidrText
                              + " has host bits set; it means " + cidr->toString());
    out.cidr = *cidr;

    const YAML::Node except = block["except"];
    if (given(except) && expectList(except, child(path, "except"))) {
        for (size_t i = 0; i < except.size(); ++i) {
            const std::string exceptPath = indexed(child(path, "except"), i);
            const auto text = readString(except[i], exceptPath);
            if (!text)
                continue;
            const auto inner
                = text->find('/') == std::string::npos ? std::nullopt : Cidr::parse(*text);
            if (!inner) {
                problem(except[i], exceptPath,
                        "invalid value " + quoted(*text) + ": must be a CIDR such as 10.0.1.0/24");
                continue;
            }
            if (!cidr->contains(*inner) || inner->prefixLength() <= cidr->prefixLength()) {
                problem(except[i], exceptPath,
                        "invalid value " + quoted(*text) + ": must be a strict subset of cidr ("
                            + *cidrText + ')');
                continue;
            }
            out.except.push_back(*inner);
        }
    }
    return out;
}

PolicyPort PolicyReader::readPort(const YAML::Node &port, const std::string &path)
{
    PolicyPort out;
    if (!given(port))
        return out; // `- ` is `- {}`: every TCP port
    if (!expectMap(port, path))
        return out;
    checkKeys(port, path, {"protocol", "port", "endPort"});

    if (const YAML::Node protocol = port["protocol"]; given(protocol)) {
        const std::string protocolPath = child(path, "protocol");
        if (const auto text = readString(protocol, protocolPath)) {
            out.protocol = parseProtocol(*text);
            if (!out.protocol)
                problem(protocol, protocolPath,
                        "unsupported value " + quoted(*text) + ": must be TCP, UDP or SCTP");
        }
    }

    const std::string portPath = child(path, "port");
    const YAML::Node portNode = port["port"];
    bool numeric = false;
    long long number = 0;
    if (given(portNode)) {
        if (!portNode.IsScalar()) {
            problem(portNode, portPath, "must be a port number or a port name");
        } else if (isPlain(portNode) && looksLikeInteger(portNode.Scalar())) {
            numeric = true;
            if (const auto value = readInteger(portNode, portPath)) {
                number = *value;
                if (number < 1 || number > 65535)
                    problem(portNode, portPath,
                            "invalid value " + portNode.Scalar()
                                + ": must be between 1 and 65535, inclusive");
                else
                    out.port = static_cast<uint16_t>(number);
            }
        } else if (isPlain(portNode) && resolvesToNonString(portNode.Scalar())) {
            problem(portNode, portPath,
                    "invalid value " + portNode.Scalar()
                        + ": must be a port number or a port name");
        } else {
            const std::string &name = portNode.Scalar();
            if (const std::string issue = portNameProblem(name); !issue.empty())
                problem(portNode, portPath, "invalid value " + quoted(name) + ": " + issue);
            else
                out.port = name;
        }
    }

    const std::string endPath = child(path, "endPort");
    if (const YAML::Node endNode = port["endPort"]; given(endNode)) {
        if (const auto end = readInteger(endNode, endPath)) {
            if (!given(portNode)) {
                problem(endNode, endPath, "must not be set when port is not set");
            } else if (!numeric) {
                problem(endNode, endPath, "must not be set when port is a port name");
            } else {
                if (*end < number)
                    problem(endNode, endPath,
                            "invalid value " + std::to_string(*end)
                                + ": must be greater than or equal to port ("
                                + std::to_string(number) + ')');
                if (*end < 1 || *end > 65535)
                    problem(endNode, endPath,
                            "invalid value " + std::to_string(*end)
                                + ": must be between 1 and 65535, inclusive");
                if (*end >= number && *end >= 1 && *end <= 65535)
                    out.endPort = static_cast<uint16_t>(*end);
            }
        }
    }
    return out;
}

LabelSelector PolicyReader::readSelector(const YAML::Node &selector, const std::string &path)
{
    LabelSelector out;
    if (!expectMap(selector, path))
        return out;
    checkKeys(selector, path, {"matchLabels", "matchExpressions"});
    if (const YAML::Node labels = selector["matchLabels"]; given(labels))
        out.matchLabels = readLabels(labels, child(path, "matchLabels"));

    const std::string expressionsPath = child(path, "matchExpressions");
    const YAML::Node expressions = selector["matchExpressions"];
    if (!given(expressions) || !expectList(expressions, expressionsPath))
        return out;
    for (size_t i = 0; i < expressions.size(); ++i) {
        const YAML::Node expression = expressions[i];
        const std::string itemPath = indexed(expressionsPath, i);
        if (!expectMap(expression, itemPath))
            continue;
        checkKeys(expression, itemPath, {"key", "operator", "values"});
        LabelSelectorRequirement requirement;
        bool valid = true;

        const YAML::Node key = expression["key"];
        if (!given(key)) {
            problem(expression, child(itemPath, "key"), "is required");
            valid = false;
        } else if (const auto text = readString(key, child(itemPath, "key"))) {
            requirement.key = *text;
            if (const std::string issue = qualifiedNameProblem(*text); !issue.empty()) {
                problem(key, child(itemPath, "key"),
                        "invalid value " + quoted(*text) + ": " + issue);
                valid = false;
            }
        } else {
            valid = false;
        }

        const YAML::Node values = expression["values"];
        if (given(values) && expectList(values, child(itemPath, "values"))) {
            for (size_t v = 0; v < values.size(); ++v) {
                const std::string valuePath = indexed(child(itemPath, "values"), v);
                const auto text = readString(values[v], valuePath);
                if (!text) {
                    valid = false;
                    continue;
                }
                if (const std::string issue = labelValueProblem(*text); !issue.empty()) {
                    problem(values[v], valuePath, "invalid value " + quoted(*text) + ": " + issue);
                    valid = false;
                }
                requirement.values.push_back(*text);
            }
        }

        const std::string operatorPath = child(itemPath, "operator");
        const YAML::Node op = expression["operator"];
        if (!given(op)) {
            problem(expression, operatorPath, "is required (In, NotIn, Exists or DoesNotExist)");
            valid = false;
        } else if (const auto text = readString(op, operatorPath)) {
            using Op = LabelSelectorRequirement::Operator;
            if (*text == "In" || *text == "NotIn") {
                requirement.op = *text == "In" ? Op::In : Op::NotIn;
                if (requirement.values.empty() && valid) {
                    problem(given(values) ? values : expression, child(itemPath, "values"),
                            "must be given when operator is In or NotIn");
                    valid = false;
                }
            } else if (*text == "Exists" || *text == "DoesNotExist") {
                requirement.op = *text == "Exists" ? Op::Exists : Op::DoesNotExist;
                if (given(values) && values.IsSequence() && values.size() > 0) {
                    problem(values, child(itemPath, "values"),
                            "must be empty when operator is Exists or DoesNotExist");
                    valid = false;
                }
            } else {
                problem(op, operatorPath,
                        "unsupported value " + quoted(*text)
                            + ": must be In, NotIn, Exists or DoesNotExist");
                valid = false;
            }
        } else {
            valid = false;
        }
        if (valid)
            out.matchExpressions.push_back(std::move(requirement));
    }
    return out;
}

Labels PolicyReader::readLabels(const YAML::Node &labels, const std::string &path)
{
    Labels out;
    if (!expectMap(labels, path))
        return out;
    for (const auto &entry : labels) {
        const auto key = readString(entry.first, path);
        if (!key)
            continue;
        const std::string entryPath = path + '[' + quoted(*key) + ']';
        if (const std::string issue = qualifiedNameProblem(*key); !issue.empty())
            problem(entry.first, entryPath, "invalid key: " + issue);
        std::optional<std::string> value;
        if (entry.second.IsNull())
            value = std::string(); // `key:` is an empty value, as the API server reads it
        else
            value = readString(entry.second, entryPath);
        if (!value)
            continue;
        if (const std::string issue = labelValueProblem(*value); !issue.empty())
            problem(entry.second, entryPath, "invalid value " + quoted(*value) + ": " + issue);
        out[*key] = *value;
    }
    return out;
}

} // namespace bulkhead
