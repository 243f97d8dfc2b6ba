#include "policy/generator.h"

#include "policy/generatorstate.h"
#include "policy/policynames.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace bulkhead {

namespace generation {

void Generator::reportWidth(size_t policyCount)
{
    // How many (source, destination, protocol, port) combinations the target-level edges allow,
    // against the workload-level intent: each target stands for all its members.
    const auto members = [&](const PeerKey &k) -> size_t {
        return k.kind == KeyKind::Target
                   ? m_partition.targets[static_cast<size_t>(k.id)].members.size()
                   : 1;
    };
    size_t allowed = 0;
    size_t intended = 0;
    for (const TargetEdge &edge : m_edges) {
        if (edge.key->from.kind == KeyKind::Namespace || edge.key->to.kind == KeyKind::Namespace)
            continue; // a namespace peer is the design's own choice, not a grouping
        allowed += members(edge.key->from) * members(edge.key->to);
        intended += edge.end - edge.begin;
    }
    if (allowed > intended) {
        m_warnings.push_back(std::string(m_options.granularity == GenerateOptions::Granularity::Zone
                                             ? "zone granularity: "
                                             : "grouped policy targets: ")
                             + std::to_string(policyCount) + " policies allow "
                             + std::to_string(allowed)
                             + " (source, destination, protocol, port) combinations between the "
                               "inventory's workloads "
                               "and peers, where the intent has "
                             + std::to_string(intended) + ": wider than one policy per workload");
    }
}

GenerateResult Generator::run(const std::vector<Edge> &intent)
{
    m_partition = m_options.granularity == GenerateOptions::Granularity::Zone
                      ? zoneTargets(m_inv, m_options)
                      : workloadTargets(m_inv);
    m_warnings = m_partition.warnings;
    planNetworks();

    m_workloadNames.reserve(m_inv.workloads.size());
    for (size_t w = 0; w < m_inv.workloads.size(); ++w)
        m_workloadNames.push_back(workloadName(m_inv, static_cast<int>(w)));

    // In edgeLess order (sorting pointers gives the order sorting copies would).
    std::vector<const Edge *> edges;
    edges.reserve(intent.size());
    m_rows.reserve(intent.size());
    for (const Edge &e : intent)
        edges.push_back(&e);
    std::sort(edges.begin(), edges.end(),
              [](const Edge *a, const Edge *b) { return edgeLess(*a, *b); });
    for (const Edge *e : edges)
        addEdge(*e, false);
    std::vector<Edge> dns; // lives as long as m_rows points into it
    if (m_options.dnsAll) {
        dns = dnsEdges();
        std::sort(dns.begin(), dns.end(), edgeLess);
        for (const Edge &e : dns)
            addEdge(e, true);
    }
    addNamespaceEdges();
    groupEdges();

    // Per target: the peers and ports of its ingress and egress. m_edges is ordered by key (from,
    // to, port): for one destination its rows come by (from, port), for one source by (to, port).
    std::vector<Entries> ingress(m_partition.targets.size());
    std::vector<Entries> egress(m_partition.targets.size());
    {
        std::vector<size_t> in(m_partition.targets.size(), 0), out(m_partition.targets.size(), 0);
        for (const TargetEdge &edge : m_edges) {
            if (edge.key->to.kind == KeyKind::Target)
                ++in[static_cast<size_t>(edge.key->to.id)];
            if (edge.key->from.kind == KeyKind::Target)
                ++out[static_cast<size_t>(edge.key->from.id)];
        }
        for (size_t t = 0; t < m_partition.targets.size(); ++t) {
            ingress[t].reserve(in[t]);
            egress[t].reserve(out[t]);
        }
    }
    for (const TargetEdge &edge : m_edges) {
        const TargetEdgeKey &key = *edge.key;
        if (key.to.kind == KeyKind::Target && !edge.coveredIngress)
            ingress[static_cast<size_t>(key.to.id)].push_back({key.from, &key.port, &edge});
        if (key.from.kind == KeyKind::Target && !edge.coveredEgress)
            egress[static_cast<size_t>(key.from.id)].push_back({key.to, &key.port, &edge});
    }

    std::vector<NetworkPolicy> policies;
    std::vector<std::string> originals;
    policies.reserve(m_partition.targets.size());
    originals.reserve(m_partition.targets.size());
    std::set<std::string> namespaces;
    for (size_t t = 0; t < m_partition.targets.size(); ++t) {
        const PolicyTarget &target = m_partition.targets[t];
        if (!policed(target))
            continue;
        namespaces.insert(target.ns);
        NetworkPolicy policy;
        policy.ns = target.ns;
        policy.name = dns1123Label(target.baseName);
        policy.labels.emplace(kManagedByKey, "bulkhead");
        policy.podSelector = target.selector;
        policy.hasIngressType = true;
        policy.hasEgressType = true;
        policy.policyTypesGiven = true;
        policy.ingress = buildRules(ingress[t], target.ns);
        policy.egress = buildRules(egress[t], target.ns);
        policy.ingressGiven = !policy.ingress.empty();
        policy.egressGiven = !policy.egress.empty();
        policy.comments = target.comments;
        if (m_options.granularity == GenerateOptions::Granularity::Workload
            && target.members.size() > 1) {
            std::string names;
            for (int m : target.members)
                names += (names.empty() ? "" : ", ") + workloadName(m_inv, m);
            m_warnings.push_back(
                "policy " + target.ns + '/' + policy.name + " selects " + names
                + " together and allows the union of their traffic: wider than the design "
                  "(one policy per workload), since no pod label tells them apart");
        }
        policies.push_back(std::move(policy));
        originals.push_back(target.baseName);
    }
    for (const std::string &ns : namespaces) {
        NetworkPolicy deny;
        deny.ns = ns;
        deny.name = "default-deny";
        deny.labels.emplace(kManagedByKey, "bulkhead");
        deny.hasIngressType = true;
        deny.hasEgressType = true;
        deny.policyTypesGiven = true;
        policies.push_back(std::move(deny));
        originals.emplace_back();
    }
    disambiguatePolicyNames(policies, originals, m_warnings);
    std::sort(policies.begin(), policies.end(), [](const NetworkPolicy &a, const NetworkPolicy &b) {
        return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
    });
    reportWidth(policies.size());

    GenerateResult result;
    result.policies = std::move(policies);
    std::sort(m_warnings.begin(), m_warnings.end());
    m_warnings.erase(std::unique(m_warnings.begin(), m_warnings.end()), m_warnings.end());
    result.warnings = std::move(m_warnings);
    return result;
}

} // namespace generation

GenerateResult generatePolicies(const Inventory &inventory, const std::vector<Edge> &intent,
                                const GenerateOptions &options,
                                const std::vector<std::string> &captureFiles)
{
    generation::Generator generator(inventory, options, captureFiles);
    return generator.run(intent);
}

} // namespace bulkhead
