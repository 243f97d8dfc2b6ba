// PolicyReader, the parts of a rule: peers, ipBlocks, ports, selectors and labels
// (core/policy/policyreader.cpp reads the objects and rules around them).

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
