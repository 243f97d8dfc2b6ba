#include "policy/ciliumpolicyreader.h"

#include "inventory/inventory.h"
#include "policy/k8snames.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <regex>

namespace bulkhead {

namespace {

bool given(const YAML::Node &node)
{
    return node.IsDefined() && !node.IsNull();
}

std::string child(const std::string &path, std::string_view key)
{
    return path.empty() ? std::string(key) : path + '.' + std::string(key);
}

std::string indexed(const std::string &path, size_t i)
{
    return path + '[' + std::to_string(i) + ']';
}

std::string quoted(std::string_view s)
{
    return '"' + std::string(s) + '"';
}

// The key node of `key` in a map (its line is the field's), or the map.
YAML::Node keyOf(const YAML::Node &map, std::string_view key)
{
    for (const auto &entry : map) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key)
            return entry.first;
    }
    return map;
}

constexpr std::string_view kApiVersion = "cilium.io/v2";
constexpr std::string_view kPodNamespace = "io.kubernetes.pod.namespace";
constexpr std::string_view kNamespaceLabels = "io.cilium.k8s.namespace.labels.";

constexpr std::array<std::string_view, 11> kEntities
    = {"world",  "cluster",   "host", "remote-node", "kube-apiserver", "ingress", "init",
       "health", "unmanaged", "none", "all"};

} // namespace

Labels ciliumEndpointLabels(const Inventory &inventory, const Workload &workload)
{
    Labels out = workload.labels;
    out[std::string(kPodNamespace)] = workload.ns;
    for (const auto &[k, v] : inventory.namespaceLabels(workload.ns))
        out[std::string(kNamespaceLabels) + k] = v;
    return out;
}

CiliumPolicyReader::CiliumPolicyReader(PolicyReader &reader)
    : m_reader(reader)
{
    m_reader.addKindHook(
        [this](const YAML::Node &object, const std::string &kind) { return read(object, kind); });
}

void CiliumPolicyReader::refuse(const YAML::Node &at, const std::string &path,
                                const std::string &why)
{
    m_reader.problem(
        at, path,
        "is not evaluated by check (" + why
            + "); check refuses the policy rather than give verdicts that leave it out");
}

bool CiliumPolicyReader::read(const YAML::Node &object, const std::string &kind)
{
    if (kind != "CiliumNetworkPolicy" && kind != "CiliumClusterwideNetworkPolicy")
        return false;
    CiliumNetworkPolicy policy;
    policy.clusterwide = kind == "CiliumClusterwideNetworkPolicy";
    policy.ns = policy.clusterwide ? "" : "default";
    policy.namespaceGiven = false;
    policy.sourceFile = m_reader.m_fileName;
    policy.sourceLine = yamlLine(object);

    const std::string where = m_reader.m_context;
    const YAML::Node metadata = object["metadata"];
    if (given(metadata) && metadata.IsMap()) {
        if (const YAML::Node name = metadata["name"]; given(name) && name.IsScalar())
            policy.name = name.Scalar();
        if (const YAML::Node ns = metadata["namespace"];
            !policy.clusterwide && given(ns) && ns.IsScalar()) {
            policy.ns = ns.Scalar();
            policy.namespaceGiven = true;
        }
    }
    m_reader.m_context = where + " (" + kind + ' ' + (policy.clusterwide ? "" : policy.ns + '/')
                         + (policy.name.empty() ? "?" : policy.name) + ')';

    m_reader.checkKeys(object, {}, {"apiVersion", "kind", "metadata", "spec", "specs", "status"});
    const YAML::Node apiVersion = object["apiVersion"];
    if (!given(apiVersion))
        m_reader.problem(object, "apiVersion", "is required (" + std::string(kApiVersion) + ")");
    else if (const auto version = m_reader.readString(apiVersion, "apiVersion");
             version && *version != kApiVersion)
        m_reader.problem(apiVersion, "apiVersion",
                         "unsupported value " + quoted(*version) + ": " + kind + " is "
                             + std::string(kApiVersion));

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
        }
        if (const YAML::Node ns = metadata["namespace"]; given(ns)) {
            if (policy.clusterwide) {
                m_reader.warning(ns, m_reader.m_context + ": metadata.namespace is ignored: " + kind
                                         + " is cluster-scoped");
            } else if (const auto text = m_reader.readString(ns, "metadata.namespace")) {
                if (const std::string issue = dnsLabelProblem(*text); !issue.empty())
                    m_reader.problem(ns, "metadata.namespace",
                                     "invalid value " + quoted(*text) + ": " + issue);
            }
        }
        if (const YAML::Node labels = metadata["labels"]; given(labels))
            policy.labels = m_reader.readLabels(labels, "metadata.labels");
    }

    if (const YAML::Node specs = object["specs"]; given(specs))
        refuse(keyOf(object, "specs"), "specs",
               "a list of rule sets; give each as its own policy with `spec`");
    const YAML::Node spec = object["spec"];
    if (!given(spec)) {
        if (!given(object["specs"]))
            m_reader.problem(object, "spec", "is required");
    } else if (m_reader.expectMap(spec, "spec")) {
        readSpec(spec, policy);
    }
    m_policies.push_back(std::move(policy));
    return true;
}

void CiliumPolicyReader::readSpec(const YAML::Node &spec, CiliumNetworkPolicy &policy)
{
    m_reader.checkKeys(spec, "spec",
                       {"description", "endpointSelector", "nodeSelector", "ingress", "ingressDeny",
                        "egress", "egressDeny", "enableDefaultDeny", "labels", "log"});
    if (const YAML::Node node = spec["nodeSelector"]; given(node))
        refuse(keyOf(spec, "nodeSelector"), "spec.nodeSelector",
               "a host policy: it applies to nodes, which the inventory does not model");
    const YAML::Node selector = spec["endpointSelector"];
    if (!given(selector)) {
        if (!given(spec["nodeSelector"]))
            m_reader.problem(spec, "spec.endpointSelector", "is required");
    } else if (auto s = readSelector(selector, "spec.endpointSelector")) {
        policy.endpointSelector = std::move(*s);
    }
    if (const YAML::Node node = spec["description"]; given(node))
        m_reader.readString(node, "spec.description");

    policy.ingress = readRules(spec["ingress"], "spec.ingress", false, false);
    policy.ingressDeny = readRules(spec["ingressDeny"], "spec.ingressDeny", false, true);
    policy.egress = readRules(spec["egress"], "spec.egress", true, false);
    policy.egressDeny = readRules(spec["egressDeny"], "spec.egressDeny", true, true);
    // Cilium: a policy with ingress or ingressDeny rules puts the endpoints it selects into
    // default deny for ingress, unless enableDefaultDeny.ingress says otherwise (likewise egress).
    policy.ingressGiven = !policy.ingress.empty() || !policy.ingressDeny.empty();
    policy.egressGiven = !policy.egress.empty() || !policy.egressDeny.empty();
    policy.defaultDenyIngress = policy.ingressGiven;
    policy.defaultDenyEgress = policy.egressGiven;
    if (const YAML::Node dd = spec["enableDefaultDeny"];
        given(dd) && m_reader.expectMap(dd, "spec.enableDefaultDeny")) {
        m_reader.checkKeys(dd, "spec.enableDefaultDeny", {"ingress", "egress"});
        for (const char *key : {"ingress", "egress"}) {
            const YAML::Node v = dd[key];
            if (!given(v))
                continue;
            const std::string path = child("spec.enableDefaultDeny", key);
            if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false")) {
                m_reader.problem(v, path, "must be true or false");
                continue;
            }
            (std::string_view(key) == "ingress" ? policy.defaultDenyIngress
                                                : policy.defaultDenyEgress)
                = v.Scalar() == "true";
        }
    }
}

std::optional<std::string>
CiliumPolicyReader::labelKey(const YAML::Node &at, const std::string &path, const std::string &key)
{
    std::string k = key;
    if (const size_t colon = k.find(':'); colon != std::string::npos) {
        const std::string source = k.substr(0, colon);
        if (source != "k8s" && source != "any") {
            refuse(at, path,
                   "label source " + quoted(source + ":")
                       + ": only pod labels (k8s: or any:) are known to the inventory");
            return std::nullopt;
        }
        k = k.substr(colon + 1);
    }
    if (k.empty()) {
        m_reader.problem(at, path, "invalid key " + quoted(key) + ": empty");
        return std::nullopt;
    }
    if (k.starts_with("io.cilium.") && !k.starts_with(kNamespaceLabels)) {
        refuse(
            at, path,
            "label " + quoted(key)
                + ": Cilium's own labels other than the namespace's are unknown to the inventory");
        return std::nullopt;
    }
    if (k.starts_with(kNamespaceLabels) && k.size() == kNamespaceLabels.size()) {
        m_reader.problem(at, path,
                         "invalid key " + quoted(key) + ": no namespace label after the prefix");
        return std::nullopt;
    }
    return k;
}

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
                        rule.line = yamlLine(http[h]);
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
            out1.line = yamlLine(port);
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

std::vector<CiliumRule> CiliumPolicyReader::readRules(const YAML::Node &rules,
                                                      const std::string &path, bool egress,
                                                      bool deny)
{
    std::vector<CiliumRule> out;
    if (!given(rules) || !m_reader.expectList(rules, path))
        return out;
    const std::string dir = egress ? "to" : "from";
    for (size_t i = 0; i < rules.size(); ++i) {
        const std::string ip = indexed(path, i);
        const YAML::Node item = rules[i];
        if (!m_reader.expectMap(item, ip))
            continue;
        std::vector<std::string> known{dir + "Endpoints", dir + "Entities", dir + "CIDR",
                                       dir + "CIDRSet",   "toPorts",        dir + "Requires",
                                       dir + "Groups",    dir + "Nodes",    "icmps"};
        if (egress)
            known.insert(known.end(), {"toServices"});
        if (egress && !deny)
            known.push_back("toFQDNs");
        if (!deny)
            known.push_back("authentication");
        for (const auto &entry : item) {
            const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
            if (std::find(known.begin(), known.end(), key) == known.end())
                m_reader.problem(entry.first, child(ip, key), "unknown field (is it misspelt?)");
        }
        const std::vector<std::pair<std::string, std::string>> refused{
            {dir + "Requires", "it narrows every other rule of the endpoint; not modelled"},
            {dir + "Groups", "cloud provider groups are not known to the inventory"},
            {dir + "Nodes", "node labels are not known to the inventory"},
            {"toServices", "Service-based peers are not resolved by the Cilium review"},
            {"icmps", "ICMP is not reviewed"},
            {"authentication", "mutual authentication is not observable in the captures"}};
        for (const auto &[key, why] : refused) {
            if (given(item[key]))
                refuse(keyOf(item, key), child(ip, key), why);
        }
        CiliumRule rule;
        rule.line = yamlLine(item);
        int kinds = 0;
        if (const YAML::Node n = item[dir + "Endpoints"]; given(n)) {
            ++kinds;
            if (m_reader.expectList(n, child(ip, dir + "Endpoints"))) {
                for (size_t e = 0; e < n.size(); ++e) {
                    if (auto s = readSelector(n[e], indexed(child(ip, dir + "Endpoints"), e)))
                        rule.endpoints.push_back(std::move(*s));
                }
            }
        }
        if (const YAML::Node n = item[dir + "Entities"]; given(n)) {
            ++kinds;
            if (m_reader.expectList(n, child(ip, dir + "Entities"))) {
                for (size_t e = 0; e < n.size(); ++e) {
                    const std::string ep = indexed(child(ip, dir + "Entities"), e);
                    const auto text = m_reader.readString(n[e], ep);
                    if (!text)
                        continue;
                    if (std::find(kEntities.begin(), kEntities.end(), *text) == kEntities.end()) {
                        m_reader.problem(
                            n[e], ep,
                            "unsupported value " + quoted(*text)
                                + ": must be world, cluster, host, remote-node, kube-apiserver, "
                                  "ingress, init, health, unmanaged, none or all");
                        continue;
                    }
                    rule.entities.push_back(*text);
                }
            }
        }
        for (const bool set : {false, true}) {
            const std::string key = dir + (set ? "CIDRSet" : "CIDR");
            if (const YAML::Node n = item[key]; given(n)) {
                ++kinds;
                for (IpBlock &b : readCidrs(n, child(ip, key), set))
                    rule.cidrs.push_back(std::move(b));
            }
        }
        if (egress && !deny) {
            if (const YAML::Node n = item["toFQDNs"]; given(n)) {
                ++kinds;
                rule.fqdns = readFqdns(n, child(ip, "toFQDNs"));
            }
        }
        if (kinds > 1)
            m_reader.problem(item, ip,
                             "must set only one of " + dir + "Endpoints, " + dir + "Entities, "
                                 + dir + "CIDR, " + dir + "CIDRSet"
                                 + (egress && !deny ? ", toFQDNs" : "")
                                 + " (Cilium refuses a rule combining them)");
        if (const YAML::Node n = item["toPorts"]; given(n))
            rule.ports = readToPorts(n, child(ip, "toPorts"), deny);
        if (!egress
            && std::any_of(rule.ports.begin(), rule.ports.end(),
                           [](const CiliumPortRule &p) { return p.hasDns; }))
            m_reader.problem(keyOf(item, "toPorts"), child(ip, "toPorts"),
                             "rules.dns applies to egress only");
        out.push_back(std::move(rule));
    }
    return out;
}

} // namespace bulkhead
