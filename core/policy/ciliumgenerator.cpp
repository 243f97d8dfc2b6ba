#include "policy/ciliumgenerator.h"

#include "l7/pathcollapse.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace bulkhead {
namespace {

constexpr const char *kNamespaceNameKey = "kubernetes.io/metadata.name";

std::string lowerCase(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

bool matchFrom(std::string_view p, std::string_view n)
{
    if (p.empty())
        return n.empty();
    if (p.front() == '*') {
        for (size_t i = 0;; ++i) {
            if (matchFrom(p.substr(1), n.substr(i)))
                return true;
            if (i >= n.size() || n[i] == '.')
                return false;
        }
    }
    return !n.empty() && p.front() == n.front() && matchFrom(p.substr(1), n.substr(1));
}

std::string namespaceKey(const std::string &key)
{
    return key == kNamespaceNameKey ? std::string(kCiliumNamespaceKey)
                                    : std::string(kCiliumNamespaceLabelPrefix) + key;
}

// A NetworkPolicy peer with selectors as a Cilium endpoint selector. Cilium confines a selector
// without a namespace label to the policy's namespace, as Kubernetes does a bare podSelector.
LabelSelector endpointFor(const PolicyPeer &peer, const std::string &policyNs)
{
    LabelSelector out = peer.podSelector.value_or(LabelSelector{});
    if (!peer.namespaceSelector) {
        out.matchLabels[kCiliumNamespaceKey] = policyNs;
        return out;
    }
    const LabelSelector &ns = *peer.namespaceSelector;
    for (const auto &[k, v] : ns.matchLabels)
        out.matchLabels[namespaceKey(k)] = v;
    for (LabelSelectorRequirement r : ns.matchExpressions) {
        r.key = namespaceKey(r.key);
        out.matchExpressions.push_back(std::move(r));
    }
    if (ns.isEmpty()) // every namespace
        out.matchExpressions.push_back(
            {kCiliumNamespaceKey, LabelSelectorRequirement::Operator::Exists, {}});
    return out;
}

// The namespace an endpoint selector confines to, or "" when it is not one namespace.
std::string namespaceOf(const LabelSelector &s)
{
    const auto it = s.matchLabels.find(kCiliumNamespaceKey);
    return it == s.matchLabels.end() ? std::string() : it->second;
}

bool selects(const LabelSelector &s, const Workload &w)
{
    if (namespaceOf(s) != w.ns)
        return false;
    LabelSelector pod = s;
    pod.matchLabels.erase(kCiliumNamespaceKey);
    for (const LabelSelectorRequirement &r : pod.matchExpressions) {
        if (r.key.starts_with("k8s:"))
            return false; // namespace label expressions: not one of Bulkhead's own selectors
    }
    return pod.matches(w.labels);
}

std::vector<CiliumPortRule> portsFor(const std::vector<PolicyPort> &ports)
{
    std::vector<CiliumPortRule> out;
    for (const PolicyPort &p : ports) {
        CiliumPortRule r;
        r.protocol = p.effectiveProtocol();
        if (!p.port)
            r.port = "0"; // every port of the protocol
        else if (const auto *n = std::get_if<uint16_t>(&*p.port))
            r.port = std::to_string(*n);
        else
            r.port = std::get<std::string>(*p.port);
        out.push_back(std::move(r));
    }
    return out;
}

bool isDnsPort(const CiliumPortRule &p)
{
    return p.port == "53" && (p.protocol == Protocol::UDP || p.protocol == Protocol::TCP);
}

CiliumFqdn fqdnFor(const std::string &name)
{
    CiliumFqdn f;
    if (name.starts_with("pattern:"))
        f.matchPattern = name.substr(8);
    else
        f.matchName = name;
    return f;
}

// The requests listed above an HTTP rule, at most; the others are counted in one more line.
constexpr size_t kEvidencePaths = 12;

// "3 requests", "3 requests, 2 with a query, e.g. ?page=2".
std::string requestCountText(uint64_t n, const HttpQueries &q)
{
    std::string out = std::to_string(n) + (n == 1 ? " request" : " requests");
    if (q.requests == 0)
        return out;
    out += q.requests >= n ? (n == 1 ? ", with a query" : ", all with a query")
                           : ", " + std::to_string(q.requests) + " with a query";
    if (!q.samples.empty()) {
        const std::string &e = q.samples.front();
        out += ", e.g. ?" + (e.size() > 60 ? e.substr(0, 57) + "..." : e);
    }
    return out;
}

// `seen` (HttpRequestSeen, TlsSeen) indexed by server workload, those with both ends known.
template <typename Seen>
std::vector<std::vector<const Seen *>> byServerWorkload(const std::vector<Seen> &seen)
{
    std::vector<std::vector<const Seen *>> out;
    for (const Seen &s : seen) {
        if (s.serverWorkload < 0 || s.clientWorkload < 0)
            continue;
        if (out.size() <= static_cast<size_t>(s.serverWorkload))
            out.resize(static_cast<size_t>(s.serverWorkload) + 1);
        out[static_cast<size_t>(s.serverWorkload)].push_back(&s);
    }
    return out;
}

class Converter
{
public:
    Converter(const Inventory &inv, const CiliumOptions &options)
        : m_inv(inv)
        , m_options(options)
    {
        for (const EndpointSet &e : inv.endpointSets) {
            if (e.ns == "default" && e.service == "kubernetes")
                m_apiServer.insert(e.addresses.begin(), e.addresses.end());
        }
        for (const Node &n : inv.nodes)
            m_nodes.insert(n.addresses.begin(), n.addresses.end());
    }

    CiliumNetworkPolicy convert(const NetworkPolicy &np);
    std::vector<std::string> takeWarnings() { return std::move(m_warnings); }

private:
    bool hasClusterDns(const NetworkPolicy &np) const;
    std::vector<CiliumRule> rulesFor(const NetworkPolicy &np, const PolicyRule &rule, bool egress,
                                     bool dnsAvailable, std::set<std::string> &fqdnNames);
    std::string nameFor(const std::string &name) const;
    void addHttpRules(const CiliumNetworkPolicy &policy, std::vector<CiliumRule> &ingress);

    const Inventory &m_inv;
    const CiliumOptions &m_options;
    // The observed requests and TLS starts by server workload, so that each policy looks only at
    // its own; in options' order.
    const std::vector<std::vector<const HttpRequestSeen *>> m_requestsByServer
        = byServerWorkload(m_options.requests);
    const std::vector<std::vector<const TlsSeen *>> m_tlsByServer = byServerWorkload(m_options.tls);
    std::set<IpAddress> m_apiServer;
    std::set<IpAddress> m_nodes;
    std::vector<std::string> m_warnings;
};

std::string Converter::nameFor(const std::string &name) const
{
    for (const std::string &p : m_options.fqdnPatterns) {
        if (fqdnPatternMatches(p, name))
            return "pattern:" + p;
    }
    return name;
}

// Does the policy allow its pods to reach the cluster DNS on 53 (a peer in kube-system)?
bool Converter::hasClusterDns(const NetworkPolicy &np) const
{
    for (const PolicyRule &rule : np.egress) {
        bool port53 = false;
        for (const CiliumPortRule &p : portsFor(rule.ports))
            port53 = port53 || isDnsPort(p);
        if (!port53)
            continue;
        for (const PolicyPeer &peer : rule.peers) {
            if ((peer.podSelector || peer.namespaceSelector)
                && namespaceOf(endpointFor(peer, np.ns)) == "kube-system")
                return true;
        }
    }
    return false;
}

std::vector<CiliumRule> Converter::rulesFor(const NetworkPolicy &np, const PolicyRule &rule,
                                            bool egress, bool dnsAvailable,
                                            std::set<std::string> &fqdnNames)
{
    CiliumRule endpoints, entities, cidrs, fqdns;
    std::vector<std::string> cidrNotes, fqdnNotes, entityNotes;
    std::set<std::string> ruleNames; // this rule's names ("pattern:" + pattern for a pattern)
    for (const PolicyPeer &peer : rule.peers) {
        if (!peer.ipBlock) {
            endpoints.endpoints.push_back(endpointFor(peer, np.ns));
            continue;
        }
        const IpBlock &block = *peer.ipBlock;
        const IpAddress &a = block.cidr.network();
        const bool host = block.cidr.prefixLength() == a.bitLength();
        if (block.cidr.prefixLength() == 0) {
            // 0.0.0.0/0 or ::/0 less what is inside the cluster: everything outside the cluster.
            if (std::find(entities.entities.begin(), entities.entities.end(), "world")
                == entities.entities.end())
                entities.entities.push_back("world");
            entityNotes.push_back("world: " + block.cidr.toString()
                                  + " outside the cluster, as the design says");
            continue;
        }
        if (host && m_apiServer.contains(a)) {
            if (std::find(entities.entities.begin(), entities.entities.end(), "kube-apiserver")
                == entities.entities.end())
                entities.entities.push_back("kube-apiserver");
            entityNotes.push_back("kube-apiserver: " + a.toString()
                                  + " is an endpoint of Service default/kubernetes");
            continue;
        }
        const auto named = host ? m_options.externalNames.find(a) : m_options.externalNames.end();
        if (egress && named != m_options.externalNames.end()) {
            std::vector<std::string> resolved, unresolved;
            for (const std::string &n : named->second)
                (m_options.resolvedNames.contains(n) ? resolved : unresolved).push_back(n);
            if (!resolved.empty() && dnsAvailable) {
                std::string note = a.toString() + " answered for";
                for (const std::string &n : resolved) {
                    fqdnNames.insert(nameFor(n));
                    ruleNames.insert(nameFor(n));
                    note += ' ' + n;
                }
                fqdnNotes.push_back(note);
                continue;
            }
            std::string names;
            for (const std::string &n : named->second)
                names += (names.empty() ? "" : ", ") + n;
            cidrNotes.push_back(a.toString() + " (" + names + ") by address: "
                                + (resolved.empty()
                                       ? "the name was never seen resolved (a TLS server name only)"
                                       : "the policy has no egress to the cluster DNS, whose "
                                         "lookups toFQDNs needs"));
        } else if (host && m_nodes.contains(a)) {
            cidrNotes.push_back(
                a.toString()
                + " is a node: Cilium matches a node's address with a CIDR only under "
                  "policy-cidr-match-mode=nodes, otherwise this allows nothing");
        } else if (host && egress) {
            cidrNotes.push_back(a.toString() + " by address: no name was seen for it");
        }
        cidrs.cidrs.push_back(block);
    }
    std::vector<CiliumRule> out;
    const std::vector<CiliumPortRule> ports = portsFor(rule.ports);
    for (CiliumRule *r : {&endpoints, &entities, &cidrs}) {
        if (!r->hasPeers())
            continue;
        r->ports = ports;
        r->comments = rule.comments;
        const std::vector<std::string> &notes = r == &entities ? entityNotes
                                                : r == &cidrs  ? cidrNotes
                                                               : std::vector<std::string>{};
        r->comments.insert(r->comments.end(), notes.begin(), notes.end());
        out.push_back(std::move(*r));
    }
    if (!fqdnNotes.empty()) {
        fqdns.ports = ports;
        fqdns.comments = rule.comments;
        fqdns.comments.insert(fqdns.comments.end(), fqdnNotes.begin(), fqdnNotes.end());
        for (const std::string &n : ruleNames)
            fqdns.fqdns.push_back(fqdnFor(n));
        out.push_back(std::move(fqdns));
    }
    if (rule.peers.empty()) { // every peer
        CiliumRule all;
        all.ports = ports;
        all.comments = rule.comments;
        all.comments.push_back("every peer, as the NetworkPolicy rule lists none");
        all.entities.push_back("all");
        out.push_back(std::move(all));
    }
    return out;
}

void Converter::addHttpRules(const CiliumNetworkPolicy &policy, std::vector<CiliumRule> &ingress)
{
    if (m_options.requests.empty() && m_options.tls.empty())
        return;
    // The servers this policy selects.
    std::vector<int> servers;
    for (size_t w = 0; w < m_inv.workloads.size(); ++w) {
        LabelSelector s = policy.endpointSelector;
        s.matchLabels[kCiliumNamespaceKey] = policy.ns;
        if (selects(s, m_inv.workloads[w]))
            servers.push_back(static_cast<int>(w));
    }
    if (servers.empty())
        return;
    std::vector<CiliumRule> out;
    for (CiliumRule &rule : ingress) {
        // Which ports of this rule saw HTTP requests from its peers?
        const auto requestsFor = [&](const LabelSelector &peer, const CiliumPortRule &port) {
            std::vector<const HttpRequestSeen *> found;
            if (port.protocol != Protocol::TCP)
                return found;
            for (int server : servers) {
                if (static_cast<size_t>(server) >= m_requestsByServer.size())
                    continue;
                for (const HttpRequestSeen *r : m_requestsByServer[static_cast<size_t>(server)]) {
                    if (port.port == std::to_string(r->port)
                        && selects(peer, m_inv.workloads[static_cast<size_t>(r->clientWorkload)]))
                        found.push_back(r);
                }
            }
            // In the order of options.requests (the pointers are into that vector), as when
            // the whole list was scanned.
            std::sort(found.begin(), found.end());
            return found;
        };
        // A port on which a client of these peers was seen starting TLS: said in a comment.
        const auto noteTls = [&](const std::vector<LabelSelector> &peers,
                                 const CiliumPortRule &port, std::vector<std::string> &comments) {
            if (port.protocol != Protocol::TCP)
                return;
            for (int server : servers) {
                if (static_cast<size_t>(server) >= m_tlsByServer.size())
                    continue;
                for (const TlsSeen *t : m_tlsByServer[static_cast<size_t>(server)]) {
                    const Workload &client
                        = m_inv.workloads[static_cast<size_t>(t->clientWorkload)];
                    if (port.port != std::to_string(t->port)
                        || std::none_of(peers.begin(), peers.end(),
                                        [&](const LabelSelector &p) { return selects(p, client); }))
                        continue;
                    comments.push_back("port " + port.port
                                       + ": TLS (a ClientHello seen), so no rules.http: nothing of "
                                         "it can be read");
                    return;
                }
            }
        };
        bool any = false;
        for (const LabelSelector &peer : rule.endpoints) {
            for (const CiliumPortRule &port : rule.ports)
                any = any || !requestsFor(peer, port).empty();
        }
        if (!any) {
            for (const CiliumPortRule &port : rule.ports)
                noteTls(rule.endpoints, port, rule.comments);
            out.push_back(std::move(rule));
            continue;
        }
        // One rule per peer, so each client gets only the requests it made.
        for (const LabelSelector &peer : rule.endpoints) {
            CiliumRule r;
            r.endpoints = {peer};
            r.comments = rule.comments;
            r.ports = rule.ports;
            for (CiliumPortRule &port : r.ports) {
                const std::vector<const HttpRequestSeen *> seen = requestsFor(peer, port);
                if (seen.empty()) {
                    noteTls({peer}, port, r.comments);
                    continue;
                }
                port.hasHttp = true;
                std::map<std::string, std::vector<std::string>> pathsByMethod;
                std::map<std::tuple<std::string, std::string>, uint64_t> counts;
                std::map<std::tuple<std::string, std::string>, HttpQueries> queries;
                std::set<int> clientIndices, serverIndices;
                for (const HttpRequestSeen *s : seen) {
                    pathsByMethod[s->method].push_back(s->path);
                    counts[{s->method, requestPath(s->path)}] += s->count;
                    queries[{s->method, requestPath(s->path)}].merge(s->queries);
                    clientIndices.insert(s->clientWorkload);
                    serverIndices.insert(s->serverWorkload);
                }
                PathOverrides overrides;
                if (!m_options.pathDecisions.empty()) {
                    std::set<std::string> clients, serverIds;
                    for (int c : clientIndices)
                        clients.insert(m_inv.workloads[static_cast<size_t>(c)].id());
                    for (int s : serverIndices)
                        serverIds.insert(m_inv.workloads[static_cast<size_t>(s)].id());
                    overrides = pathOverridesFor(m_options.pathDecisions, clients, serverIds,
                                                 seen.front()->port);
                }
                for (auto &[method, paths] : pathsByMethod) {
                    for (const CollapsedPath &c :
                         collapsePaths(paths, m_options.pathCollapse, overrides)) {
                        CiliumHttpRule h;
                        h.method = method;
                        uint64_t all = 0, withQuery = 0, notListed = 0;
                        for (const std::string &p : c.paths) {
                            const uint64_t n = counts[{method, p}];
                            const HttpQueries &q = queries[{method, p}];
                            all += n;
                            withQuery += q.requests;
                            if (h.comments.size() < kEvidencePaths)
                                h.comments.push_back(method + ' ' + p + " ("
                                                     + requestCountText(n, q) + ')');
                            else
                                notListed += n;
                        }
                        if (c.paths.size() > kEvidencePaths)
                            h.comments.push_back("and "
                                                 + std::to_string(c.paths.size() - kEvidencePaths)
                                                 + " more paths (" + std::to_string(notListed)
                                                 + (notListed == 1 ? " request)" : " requests)"));
                        h.path = c.pattern + queryPatternSuffix(all, withQuery);
                        port.http.push_back(std::move(h));
                    }
                }
            }
            out.push_back(std::move(r));
        }
    }
    ingress = std::move(out);
}

CiliumNetworkPolicy Converter::convert(const NetworkPolicy &np)
{
    CiliumNetworkPolicy out;
    out.ns = np.ns;
    out.name = np.name;
    out.labels = np.labels;
    out.comments = np.comments;
    out.endpointSelector = np.podSelector;
    out.defaultDenyIngress = np.hasIngressType;
    out.defaultDenyEgress = np.hasEgressType;
    out.ingressGiven = np.hasIngressType || !np.ingress.empty();
    out.egressGiven = np.hasEgressType || !np.egress.empty();
    std::set<std::string> unused;
    for (const PolicyRule &rule : np.ingress) {
        for (CiliumRule &r : rulesFor(np, rule, false, false, unused))
            out.ingress.push_back(std::move(r));
    }
    addHttpRules(out, out.ingress);
    const bool dns = hasClusterDns(np);
    std::set<std::string> names;
    for (const PolicyRule &rule : np.egress) {
        for (CiliumRule &r : rulesFor(np, rule, true, dns, names))
            out.egress.push_back(std::move(r));
    }
    if (names.empty())
        return out;
    // The companion DNS rule: lookups of exactly these names through the cluster DNS. Cilium's
    // DNS proxy refuses any other lookup, so in-cluster names the pods look up must be observed
    // resolved too (they are, when the capture holds their answers).
    for (CiliumRule &r : out.egress) {
        bool clusterDns = false;
        for (const LabelSelector &e : r.endpoints)
            clusterDns = clusterDns || namespaceOf(e) == "kube-system";
        if (!clusterDns)
            continue;
        for (CiliumPortRule &p : r.ports) {
            if (!isDnsPort(p))
                continue;
            p.hasDns = true;
            for (const std::string &n : names)
                p.dns.push_back(fqdnFor(n));
        }
        r.comments.push_back("rules.dns: the lookups that toFQDNs needs, and no other");
    }
    return out;
}

} // namespace

bool fqdnPatternMatches(std::string_view pattern, std::string_view name)
{
    if (name.ends_with('.'))
        name.remove_suffix(1);
    if (pattern.ends_with('.'))
        pattern.remove_suffix(1);
    return matchFrom(lowerCase(pattern), lowerCase(name));
}

CiliumResult toCiliumPolicies(const Inventory &inventory,
                              const std::vector<NetworkPolicy> &policies,
                              const CiliumOptions &options)
{
    Converter converter(inventory, options);
    CiliumResult result;
    for (const NetworkPolicy &np : policies)
        result.policies.push_back(converter.convert(np));
    result.warnings = converter.takeWarnings();
    std::sort(result.warnings.begin(), result.warnings.end());
    result.warnings.erase(std::unique(result.warnings.begin(), result.warnings.end()),
                          result.warnings.end());
    return result;
}

} // namespace bulkhead
