// CiliumPolicyReader, the peers and ports of a rule: endpoint selectors, CIDRs, FQDNs and
// toPorts (core/policy/ciliumpolicyreader.cpp reads the policies and rules around them).

#include "policy/ciliumpolicyreader.h"

#include "inventory/inventory.h"
#include "policy/k8snames.h"
#include "util/yamlreader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <regex>

namespace bulkhead {

using yaml::child;
using yaml::given;
using yaml::indexed;
using yaml::keyOf;
using yaml::quoted;

std::optional<LabelSelector> CiliumPolicyReader::readSelector(const YAML::Node &node,
                                                              const std::string &path)
{
    if (!m_reader.expectMap(node, path))
        return std::nullopt;
    m_reader.checkKeys(node, path, {"matchLabels", "matchExpressions"});
    LabelSelector out;
    bool valid = true;
    if (const YAML::Node labels = node["matchLabels"]; given(labels)) {
        const std::string lp = child(path, "matchLabels");
        if (m_reader.expectMap(labels, lp)) {
            for (const auto &entry : labels) {
                const auto key = m_reader.readString(entry.first, lp);
                if (!key) {
                    valid = false;
                    continue;
                }
                const std::string ep = lp + '[' + quoted(*key) + ']';
                const auto k = labelKey(entry.first, ep, *key);
                const auto value = entry.second.IsNull() ? std::optional<std::string>("")
                                                         : m_reader.readString(entry.second, ep);
                if (!k || !value) {
                    valid = false;
                    continue;
                }
                out.matchLabels[*k] = *value;
            }
        } else {
            valid = false;
        }
    }
    if (const YAML::Node exprs = node["matchExpressions"]; given(exprs)) {
        const std::string ep = child(path, "matchExpressions");
        if (!m_reader.expectList(exprs, ep))
            return std::nullopt;
        for (size_t i = 0; i < exprs.size(); ++i) {
            const YAML::Node e = exprs[i];
            const std::string ip = indexed(ep, i);
            if (!m_reader.expectMap(e, ip)) {
                valid = false;
                continue;
            }
            m_reader.checkKeys(e, ip, {"key", "operator", "values"});
            LabelSelectorRequirement r;
            const YAML::Node key = e["key"];
            const auto keyText
                = given(key) ? m_reader.readString(key, child(ip, "key")) : std::nullopt;
            if (!given(key))
                m_reader.problem(e, child(ip, "key"), "is required");
            const auto k = keyText ? labelKey(key, child(ip, "key"), *keyText) : std::nullopt;
            if (!k) {
                valid = false;
                continue;
            }
            r.key = *k;
            if (const YAML::Node values = e["values"];
                given(values) && m_reader.expectList(values, child(ip, "values"))) {
                for (size_t v = 0; v < values.size(); ++v) {
                    if (auto text = m_reader.readString(values[v], indexed(child(ip, "values"), v)))
                        r.values.push_back(*text);
                    else
                        valid = false;
                }
            }
            const YAML::Node op = e["operator"];
            const auto opText
                = given(op) ? m_reader.readString(op, child(ip, "operator")) : std::nullopt;
            using Op = LabelSelectorRequirement::Operator;
            if (!opText) {
                if (!given(op))
                    m_reader.problem(e, child(ip, "operator"),
                                     "is required (In, NotIn, Exists or DoesNotExist)");
                valid = false;
                continue;
            }
            if (*opText == "In" || *opText == "NotIn") {
                r.op = *opText == "In" ? Op::In : Op::NotIn;
                if (r.values.empty()) {
                    m_reader.problem(e, child(ip, "values"),
                                     "must be given when operator is In or NotIn");
                    valid = false;
                }
            } else if (*opText == "Exists" || *opText == "DoesNotExist") {
                r.op = *opText == "Exists" ? Op::Exists : Op::DoesNotExist;
                if (!r.values.empty()) {
                    m_reader.problem(e, child(ip, "values"),
                                     "must be empty when operator is Exists or DoesNotExist");
                    valid = false;
                }
            } else {
                m_reader.problem(op, child(ip, "operator"),
                                 "unsupported value " + quoted(*opText)
                                     + ": must be In, NotIn, Exists or DoesNotExist");
                valid = false;
                continue;
            }
            out.matchExpressions.push_back(std::move(r));
        }
    }
    if (!valid)
        return std::nullopt;
    return out;
}

std::vector<IpBlock> CiliumPolicyReader::readCidrs(const YAML::Node &node, const std::string &path,
                                                   bool set)
{
    std::vector<IpBlock> out;
    if (!m_reader.expectList(node, path))
        return out;
    const auto parse = [&](const YAML::Node &at, const std::string &p) -> std::optional<Cidr> {
        const auto text = m_reader.readString(at, p);
        if (!text)
            return std::nullopt;
        std::optional<Cidr> c;
        if (text->find('/') == std::string::npos) {
            if (const auto a = IpAddress::parse(*text))
                c = Cidr::parse(*text + '/' + std::to_string(a->bitLength()));
        } else {
            c = Cidr::parse(*text);
        }
        if (!c)
            m_reader.problem(at, p, "invalid CIDR " + quoted(*text));
        return c;
    };
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string ip = indexed(path, i);
        if (!set) {
            if (auto c = parse(node[i], ip))
                out.push_back(IpBlock{*c, {}});
            continue;
        }
        const YAML::Node item = node[i];
        if (!m_reader.expectMap(item, ip))
            continue;
        m_reader.checkKeys(item, ip, {"cidr", "except", "cidrGroupRef", "cidrGroupSelector"});
        for (const char *k : {"cidrGroupRef", "cidrGroupSelector"}) {
            if (given(item[k]))
                refuse(keyOf(item, k), child(ip, k), "CiliumCIDRGroup objects are not read");
        }
        if (!given(item["cidr"])) {
            if (!given(item["cidrGroupRef"]) && !given(item["cidrGroupSelector"]))
                m_reader.problem(item, child(ip, "cidr"), "is required");
            continue;
        }
        auto c = parse(item["cidr"], child(ip, "cidr"));
        if (!c)
            continue;
        IpBlock block{*c, {}};
        if (const YAML::Node except = item["except"];
            given(except) && m_reader.expectList(except, child(ip, "except"))) {
            for (size_t e = 0; e < except.size(); ++e) {
                const std::string epath = indexed(child(ip, "except"), e);
                if (auto x = parse(except[e], epath)) {
                    if (!c->contains(*x))
                        m_reader.problem(except[e], epath,
                                         x->toString() + " is not inside " + c->toString());
                    block.except.push_back(*x);
                }
            }
        }
        out.push_back(std::move(block));
    }
    return out;
}

std::vector<CiliumFqdn> CiliumPolicyReader::readFqdns(const YAML::Node &node,
                                                      const std::string &path)
{
    std::vector<CiliumFqdn> out;
    if (!m_reader.expectList(node, path))
        return out;
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string ip = indexed(path, i);
        const YAML::Node item = node[i];
        if (!m_reader.expectMap(item, ip))
            continue;
        m_reader.checkKeys(item, ip, {"matchName", "matchPattern"});
        const bool name = given(item["matchName"]), pattern = given(item["matchPattern"]);
        if (name == pattern) {
            m_reader.problem(item, ip, "must set exactly one of matchName, matchPattern");
            continue;
        }
        const auto text = m_reader.readString(item[name ? "matchName" : "matchPattern"],
                                              child(ip, name ? "matchName" : "matchPattern"));
        if (!text)
            continue;
        const bool ok = !text->empty() && std::all_of(text->begin(), text->end(), [&](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'
                   || (pattern && c == '*');
        });
        if (!ok) {
            m_reader.problem(item, child(ip, name ? "matchName" : "matchPattern"),
                             "invalid DNS name " + quoted(*text));
            continue;
        }
        CiliumFqdn f;
        (name ? f.matchName : f.matchPattern) = *text;
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<CiliumPortRule> CiliumPolicyReader::readToPorts(const YAML::Node &node,
                                                            const std::string &path, bool deny)
{
    std::vector<CiliumPortRule> out;
    if (!m_reader.expectList(node, path))
        return out;
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string ip = indexed(path, i);
        const YAML::Node item = node[i];
        if (!m_reader.expectMap(item, ip))
            continue;
        if (deny) {
            m_reader.checkKeys(item, ip, {"ports"});
        } else {
            m_reader.checkKeys(
                item, ip,
                {"ports", "rules", "listener", "originatingTLS", "terminatingTLS", "serverNames"});
            for (const char *k : {"listener", "originatingTLS", "terminatingTLS", "serverNames"}) {
                if (given(item[k]))
                    refuse(keyOf(item, k), child(ip, k),
                           "TLS interception, listeners and server names are not reviewed");
            }
        }
        // The rules of this entry, shared by each of its ports.
        CiliumPortRule rules;
        if (const YAML::Node r = item["rules"];
            !deny && given(r) && m_reader.expectMap(r, child(ip, "rules"))) {
            const std::string rp = child(ip, "rules");
            m_reader.checkKeys(r, rp, {"http", "dns", "kafka", "l7", "l7proto"});
            for (const char *k : {"kafka", "l7", "l7proto"}) {
                if (given(r[k]))
                    refuse(keyOf(r, k), child(rp, k),
                           "only HTTP rules are checked against the requests seen");
            }
            if (const YAML::Node http = r["http"]; r["http"].IsDefined()) {
                rules.hasHttp = true;
                const std::string hp = child(rp, "http");
                if (given(http) && m_reader.expectList(http, hp)) {
                    for (size_t h = 0; h < http.size(); ++h) {
                        const std::string hip = indexed(hp, h);
                        if (!m_reader.expectMap(http[h], hip))
                            continue;
                        m_reader.checkKeys(http[h], hip,
                                           {"method", "path", "host", "headers", "headerMatches"});
                        for (const char *k : {"headers", "headerMatches"}) {
                            if (given(http[h][k]))
                                refuse(keyOf(http[h], k), child(hip, k),
                                       "the captures' requests keep no headers but Host");
                        }
                        CiliumHttpRule rule;
                        rule.line = YamlReader::line(http[h]);
                        for (const char *k : {"method", "path", "host"}) {
                            const YAML::Node v = http[h][k];
                            if (!given(v))
                                continue;
                            const auto text = m_reader.readString(v, child(hip, k));
                            if (!text)
                                continue;
                            try {
                                std::regex test(*text, std::regex::ECMAScript);
                            } catch (const std::regex_error &) {
                                m_reader.problem(v, child(hip, k),
                                                 "invalid regular expression " + quoted(*text));
                                continue;
                            }
                            (std::string_view(k) == "method" ? rule.method
                             : std::string_view(k) == "path" ? rule.path
                                                             : rule.host)
                                = *text;
                        }
                        rules.http.push_back(std::move(rule));
                    }
                }
            }
            if (const YAML::Node dns = r["dns"]; r["dns"].IsDefined()) {
                rules.hasDns = true;
                if (given(dns))
                    rules.dns = readFqdns(dns, child(rp, "dns"));
            }
            if (rules.hasHttp && rules.hasDns)
                m_reader.problem(r, rp,
                                 "must hold one kind of layer-7 rule, not both http and dns");
        }
        const YAML::Node ports = item["ports"];
        if (!given(ports)) {
            refuse(item, child(ip, "ports"), "a toPorts entry without ports");
            continue;
        }
        if (!m_reader.expectList(ports, child(ip, "ports")))
            continue;
        for (size_t p = 0; p < ports.size(); ++p) {
            const std::string pp = indexed(child(ip, "ports"), p);
            const YAML::Node port = ports[p];
            if (!m_reader.expectMap(port, pp))
                continue;
            m_reader.checkKeys(port, pp, {"port", "endPort", "protocol"});
            CiliumPortRule out1 = rules;
            out1.line = YamlReader::line(port);
            out1.anyProtocol = true;
            if (const YAML::Node proto = port["protocol"]; given(proto)) {
                const auto text = m_reader.readString(proto, child(pp, "protocol"));
                if (!text)
                    continue;
                if (*text == "ANY") {
                    out1.anyProtocol = true;
                } else if (const auto parsed = parseProtocol(*text)) {
                    out1.anyProtocol = false;
                    out1.protocol = *parsed;
                } else {
                    m_reader.problem(proto, child(pp, "protocol"),
                                     "unsupported value " + quoted(*text)
                                         + ": must be TCP, UDP, SCTP or ANY");
                    continue;
                }
            }
            const YAML::Node number = port["port"];
            if (!given(number)) {
                m_reader.problem(port, child(pp, "port"), "is required");
                continue;
            }
            const auto text = m_reader.readString(number, child(pp, "port"));
            if (!text)
                continue;
            unsigned value = 0;
            const auto [end, ec]
                = std::from_chars(text->data(), text->data() + text->size(), value);
            const bool numeric
                = !text->empty() && ec == std::errc() && end == text->data() + text->size();
            if (numeric && value > 65535) {
                m_reader.problem(number, child(pp, "port"),
                                 quoted(*text) + " is out of range (0-65535)");
                continue;
            }
            if (!numeric && !text->empty() && !portNameProblem(*text).empty()) {
                m_reader.problem(number, child(pp, "port"),
                                 "invalid value " + quoted(*text) + ": " + portNameProblem(*text));
                continue;
            }
            out1.port = numeric ? std::to_string(value) : *text;
            if (text->empty())
                out1.port = "0";
            if (const YAML::Node endPort = port["endPort"]; given(endPort)) {
                const auto e = m_reader.readInteger(endPort, child(pp, "endPort"));
                if (!e)
                    continue;
                if (numeric && (*e < static_cast<long long>(value) || *e > 65535)) {
                    m_reader.problem(endPort, child(pp, "endPort"),
                                     "must be between port and 65535");
                    continue;
                }
                if (numeric && value != 0)
                    out1.endPort = static_cast<uint16_t>(*e); // Cilium ignores it on a named port
            }
            if (out1.hasHttp && !out1.anyProtocol && out1.protocol != Protocol::TCP) {
                m_reader.problem(port, child(pp, "protocol"), "HTTP rules need TCP (or ANY)");
                continue;
            }
            out.push_back(std::move(out1));
        }
    }
    return out;
}

} // namespace bulkhead
