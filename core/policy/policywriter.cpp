#include "policy/policywriter.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

namespace bulkhead {

namespace {

using Lines = std::vector<std::string>;

bool isPlainChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
           || c == '_' || c == '/' || c == '-';
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Would a YAML 1.1 or 1.2 reader take this plain scalar as something other than a string?
bool looksTyped(std::string_view s)
{
    static constexpr std::array<std::string_view, 12> words
        = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "nan", "inf"};
    const std::string l = lower(s);
    if (std::find(words.begin(), words.end(), l) != words.end())
        return true;
    // Numbers of every notation (decimal, octal 010/0o10, hex 0x1F, binary 0b1, floats 1.0 1e3,
    // 1_000) and timestamps (2024-01-01) start with a digit, or a sign or dot and a digit, and use
    // only these characters afterwards. Quoting a few strings too many is harmless.
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    if (i < s.size() && s[i] == '.')
        ++i;
    if (i >= s.size() || !(s[i] >= '0' && s[i] <= '9'))
        return false;
    for (; i < s.size(); ++i) {
        const char c = lower(s.substr(i, 1))[0];
        const bool numeric = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x'
                             || c == 'o' || c == '_' || c == '.' || c == '+' || c == '-';
        if (!numeric)
            return false;
    }
    return true;
}

std::string doubleQuoted(std::string_view s)
{
    std::string out = "\"";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
                out += buffer;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

std::string comment(std::string_view text)
{
    std::string out = "# ";
    for (char c : text)
        out += (c == '\n' || c == '\r') ? ' ' : c;
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

Lines indent(const Lines &lines, int by)
{
    Lines out;
    const std::string pad(static_cast<size_t>(by), ' ');
    for (const std::string &l : lines)
        out.push_back(pad + l);
    return out;
}

void append(Lines &out, const Lines &more)
{
    out.insert(out.end(), more.begin(), more.end());
}

// A sequence item holding a map: "- first: x" then the rest two columns in.
void appendItem(Lines &out, const Lines &mapLines)
{
    if (mapLines.empty()) {
        out.push_back("- {}");
        return;
    }
    Lines item = indent(mapLines, 2);
    // Comment lines stay above the item at the dash's column.
    size_t first = 0;
    while (first < mapLines.size() && mapLines[first].starts_with("#")) {
        out.push_back(mapLines[first]);
        ++first;
    }
    if (first == mapLines.size()) {
        out.push_back("- {}");
        return;
    }
    item[first].replace(0, 2, "- ");
    out.insert(out.end(), item.begin() + static_cast<long>(first), item.end());
}

// "key:" with a nested block, or "key: {}" when the selector selects everything.
void appendSelector(Lines &out, const std::string &key, const LabelSelector &selector)
{
    if (selector.isEmpty()) {
        out.push_back(key + ": {}");
        return;
    }
    out.push_back(key + ':');
    Lines body;
    if (!selector.matchLabels.empty()) {
        body.push_back("matchLabels:");
        for (const auto &[k, v] : selector.matchLabels)
            body.push_back("  " + yamlScalar(k) + ": " + yamlScalar(v));
    }
    if (!selector.matchExpressions.empty()) {
        body.push_back("matchExpressions:");
        for (const LabelSelectorRequirement &req : selector.matchExpressions) {
            Lines item;
            item.push_back("key: " + yamlScalar(req.key));
            const char *op = "In";
            switch (req.op) {
            case LabelSelectorRequirement::Operator::In: op = "In"; break;
            case LabelSelectorRequirement::Operator::NotIn: op = "NotIn"; break;
            case LabelSelectorRequirement::Operator::Exists: op = "Exists"; break;
            case LabelSelectorRequirement::Operator::DoesNotExist: op = "DoesNotExist"; break;
            }
            item.push_back(std::string("operator: ") + op);
            if (!req.values.empty()) {
                item.push_back("values:");
                for (const std::string &v : req.values)
                    item.push_back("- " + yamlScalar(v));
            }
            appendItem(body, item);
        }
    }
    append(out, indent(body, 2));
}

Lines peerLines(const PolicyPeer &peer)
{
    Lines out;
    if (peer.namespaceSelector)
        appendSelector(out, "namespaceSelector", *peer.namespaceSelector);
    if (peer.podSelector)
        appendSelector(out, "podSelector", *peer.podSelector);
    if (peer.ipBlock) {
        out.push_back("ipBlock:");
        out.push_back("  cidr: " + yamlScalar(peer.ipBlock->cidr.toString()));
        if (!peer.ipBlock->except.empty()) {
            out.push_back("  except:");
            for (const Cidr &c : peer.ipBlock->except)
                out.push_back("  - " + yamlScalar(c.toString()));
        }
    }
    return out;
}

Lines portLines(const PolicyPort &port)
{
    Lines out;
    if (port.protocol)
        out.push_back("protocol: " + std::string(protocolName(*port.protocol)));
    if (port.port) {
        if (const auto *number = std::get_if<uint16_t>(&*port.port))
            out.push_back("port: " + std::to_string(*number));
        else
            out.push_back("port: " + yamlScalar(std::get<std::string>(*port.port)));
    }
    if (port.endPort)
        out.push_back("endPort: " + std::to_string(*port.endPort));
    return out;
}

void appendRules(Lines &out, const std::string &key, const std::string &peersKey,
                 const std::vector<PolicyRule> &rules)
{
    if (rules.empty()) {
        out.push_back(key + ": []");
        return;
    }
    out.push_back(key + ':');
    for (const PolicyRule &rule : rules) {
        Lines item;
        for (const std::string &c : rule.comments)
            item.push_back(comment(c));
        if (!rule.peers.empty()) {
            item.push_back(peersKey + ':');
            for (const PolicyPeer &peer : rule.peers)
                appendItem(item, peerLines(peer));
        }
        if (!rule.ports.empty()) {
            item.push_back("ports:");
            for (const PolicyPort &port : rule.ports)
                appendItem(item, portLines(port));
        }
        appendItem(out, item);
    }
}

} // namespace

std::string yamlScalar(std::string_view value)
{
    bool plain = !value.empty() && std::all_of(value.begin(), value.end(), isPlainChar)
                 && value.front() != '-' && value.front() != '.' && !looksTyped(value);
    return plain ? std::string(value) : doubleQuoted(value);
}

std::string writePolicyYaml(const NetworkPolicy &policy)
{
    Lines out;
    for (const std::string &c : policy.comments)
        out.push_back(comment(c));
    out.push_back("apiVersion: networking.k8s.io/v1");
    out.push_back("kind: NetworkPolicy");
    out.push_back("metadata:");
    out.push_back("  name: " + yamlScalar(policy.name));
    if (!policy.ns.empty())
        out.push_back("  namespace: " + yamlScalar(policy.ns));
    if (!policy.labels.empty()) {
        out.push_back("  labels:");
        for (const auto &[k, v] : policy.labels)
            out.push_back("    " + yamlScalar(k) + ": " + yamlScalar(v));
    }
    out.push_back("spec:");
    Lines spec;
    appendSelector(spec, "podSelector", policy.podSelector);
    if (policy.policyTypesGiven && (policy.hasIngressType || policy.hasEgressType)) {
        spec.push_back("policyTypes:");
        if (policy.hasIngressType)
            spec.push_back("- Ingress");
        if (policy.hasEgressType)
            spec.push_back("- Egress");
    }
    if (!policy.ingress.empty() || policy.ingressGiven)
        appendRules(spec, "ingress", "from", policy.ingress);
    if (!policy.egress.empty() || policy.egressGiven)
        appendRules(spec, "egress", "to", policy.egress);
    append(out, indent(spec, 2));

    std::string text;
    for (const std::string &l : out) {
        text += l;
        text += '\n';
    }
    return text;
}

std::string writePoliciesYaml(const std::vector<NetworkPolicy> &policies)
{
    std::string text;
    for (size_t i = 0; i < policies.size(); ++i) {
        if (i > 0)
            text += "---\n";
        text += writePolicyYaml(policies[i]);
    }
    return text;
}

} // namespace bulkhead
