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

namespace {

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
    policy.sourceLine = YamlReader::line(object);

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
        rule.line = YamlReader::line(item);
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
