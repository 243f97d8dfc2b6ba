#include "design/intent.h"

#include "analysis/addressmap.h"
#include "analysis/analysis.h"
#include "design/decisionnetworks.h"
#include "inventory/inventory.h"

#include <algorithm>
#include <optional>

namespace bulkhead {

namespace {

// Finds what one end of an EdgeRef names, or says why it names nothing.
class PeerResolver
{
public:
    explicit PeerResolver(const Inventory &inventory)
        : m_inventory(inventory)
        , m_addresses(inventory)
    {
    }

    std::optional<Peer> resolve(const std::string &name, std::string &problem) const
    {
        if (isDecisionPeerName(name)) { // "world", a CIDR: see addDecisionNetworks
            for (size_t e = 0; e < m_inventory.externals.size(); ++e) {
                if (m_inventory.externals[e].name == name)
                    return Peer{PeerKind::ExternalNetwork, static_cast<int>(e), {}};
            }
            problem = "\"" + name + "\" was not added to the model (addDecisionNetworks)";
            return std::nullopt;
        }
        if (name.find('/') != std::string::npos) {
            const int w = m_inventory.findWorkload(name);
            if (w >= 0)
                return Peer::workload(w);
            problem = "no workload \"" + name + "\" in the inventory";
            return std::nullopt;
        }
        for (size_t e = 0; e < m_inventory.externals.size(); ++e) {
            if (m_inventory.externals[e].name == name)
                return Peer{PeerKind::ExternalNetwork, static_cast<int>(e), {}};
        }
        const std::optional<IpAddress> address = IpAddress::parse(name);
        if (!address) {
            problem
                = "\"" + name
                  + "\" is neither a workload (namespace/name), a declared network nor an address";
            return std::nullopt;
        }
        const AddressMap::Entry entry = m_addresses.lookup(*address);
        switch (entry.kind) {
        case AddressMap::Kind::Workload: return Peer::workload(entry.index);
        case AddressMap::Kind::Node: return Peer{PeerKind::Node, entry.index, *address};
        case AddressMap::Kind::ExternalNetwork:
            return Peer{PeerKind::ExternalNetwork, entry.index, {}};
        case AddressMap::Kind::External: return Peer{PeerKind::External, -1, *address};
        case AddressMap::Kind::Service:
            problem = name + " is the address of Service "
                      + m_inventory.services[static_cast<size_t>(entry.index)].id()
                      + "; name the workloads behind it";
            return std::nullopt;
        case AddressMap::Kind::Unattributed:
            problem
                = name + " is inside the cluster networks but belongs to nothing in the inventory";
            return std::nullopt;
        }
        return std::nullopt;
    }

    // The edge an EdgeRef names, or nullopt with a warning.
    std::optional<Edge> resolve(const EdgeRef &ref, std::string_view what,
                                std::vector<std::string> &warnings) const
    {
        std::string problem;
        std::optional<Peer> from = resolve(ref.from, problem);
        std::optional<Peer> to = from ? resolve(ref.to, problem) : std::nullopt;
        if (from && to && !from->isWorkload() && !to->isWorkload())
            problem = "neither end is a workload";
        else if (from && to && ref.port == 0)
            problem = "port 0 cannot be allowed";
        else if (from && to) {
            Edge edge;
            edge.from = *from;
            edge.to = *to;
            edge.protocol = ref.protocol;
            edge.port = ref.port;
            return edge;
        }
        warnings.push_back(std::string(what) + " edge " + edgeRefText(ref)
                           + " is ignored: " + problem);
        return std::nullopt;
    }

    // The edges an EdgeRef stands for: one, or one per workload of its namespace end ("ns:NAME",
    // none for a namespace without workloads). False with a warning when it names nothing.
    // otherWorkload receives the workload at the other end of a namespace end (else -1).
    bool resolveAll(const EdgeRef &ref, std::string_view what, std::vector<std::string> &warnings,
                    std::vector<Edge> &out, int *otherWorkload = nullptr) const
    {
        if (otherWorkload)
            *otherWorkload = -1;
        const std::string_view fromNs = namespaceOfPeerName(ref.from);
        const std::string_view toNs = namespaceOfPeerName(ref.to);
        if (fromNs.empty() && toNs.empty()) {
            std::optional<Edge> e = resolve(ref, what, warnings);
            if (e)
                out.push_back(std::move(*e));
            return e.has_value();
        }
        std::string problem;
        const bool nsIsSource = !fromNs.empty();
        const std::string_view ns = nsIsSource ? fromNs : toNs;
        std::optional<Peer> other;
        if (!fromNs.empty() && !toNs.empty())
            problem = "a namespace peer needs a workload at the other end";
        else if (!inventoryHasNamespace(m_inventory, ns))
            problem = "no namespace \"" + std::string(ns) + "\" in the inventory";
        else if (other = resolve(nsIsSource ? ref.to : ref.from, problem); !other) {
        } else if (!other->isWorkload())
            problem = "a namespace peer needs a workload at the other end";
        else if (ref.port == 0)
            problem = "port 0 cannot be allowed";
        if (!problem.empty()) {
            warnings.push_back(std::string(what) + " edge " + edgeRefText(ref)
                               + " is ignored: " + problem);
            return false;
        }
        if (otherWorkload)
            *otherWorkload = other->index;
        for (size_t w = 0; w < m_inventory.workloads.size(); ++w) {
            if (m_inventory.workloads[w].ns != ns)
                continue;
            Edge edge;
            edge.from = nsIsSource ? Peer::workload(static_cast<int>(w)) : *other;
            edge.to = nsIsSource ? *other : Peer::workload(static_cast<int>(w));
            edge.protocol = ref.protocol;
            edge.port = ref.port;
            out.push_back(std::move(edge));
        }
        return true;
    }

private:
    const Inventory &m_inventory;
    AddressMap m_addresses;
};

// The zone of a workload, with the decisions' overrides applied.
class ZoneLookup
{
public:
    ZoneLookup(const Inventory &inventory, const Zones &zones, const Decisions &decisions)
        : m_inventory(inventory)
        , m_zones(zones)
        , m_decisions(decisions)
    {
    }

    std::string_view zoneOf(int workload) const
    {
        const Workload &w = m_inventory.workloads[static_cast<size_t>(workload)];
        if (!m_decisions.zoneOverrides.empty()) {
            const auto it = m_decisions.zoneOverrides.find(w.id());
            if (it != m_decisions.zoneOverrides.end() && m_zones.levelIndex(it->second) >= 0)
                return it->second;
        }
        return w.zone.empty() ? std::string_view(m_zones.defaultLevel) : std::string_view(w.zone);
    }

private:
    const Inventory &m_inventory;
    const Zones &m_zones;
    const Decisions &m_decisions;
};

void sortUnique(std::vector<Edge> &edges)
{
    std::sort(edges.begin(), edges.end(), edgeLess);
    edges.erase(std::unique(edges.begin(), edges.end(),
                            [](const Edge &a, const Edge &b) { return sameEdge(a, b); }),
                edges.end());
}

// The observed edge with the same identity as e, or nullptr.
const Edge *findObserved(const std::vector<Edge> &observedSorted, const Edge &e)
{
    const auto it = std::lower_bound(observedSorted.begin(), observedSorted.end(), e, edgeLess);
    return it != observedSorted.end() && sameEdge(*it, e) ? &*it : nullptr;
}

} // namespace

EdgeRef edgeRef(const Inventory &inventory, const Edge &edge)
{
    return EdgeRef{peerName(inventory, edge.from), peerName(inventory, edge.to), edge.protocol,
                   edge.port};
}

std::string edgeRefText(const EdgeRef &ref)
{
    return ref.from + " -> " + ref.to + ' ' + std::string(protocolName(ref.protocol)) + '/'
           + std::to_string(ref.port);
}

void applyZoneOverrides(Inventory &inventory, const Zones &zones, const Decisions &decisions,
                        std::vector<std::string> &warnings)
{
    for (const auto &[id, level] : decisions.zoneOverrides) {
        const int w = inventory.findWorkload(id);
        if (w < 0) {
            warnings.push_back("zone override for " + id + " is ignored: no workload \"" + id
                               + "\" in the inventory");
            continue;
        }
        if (zones.levelIndex(level) < 0) {
            warnings.push_back("zone override for " + id + " is ignored: \"" + level
                               + "\" is not a zone level");
            continue;
        }
        inventory.workloads[static_cast<size_t>(w)].zone = level;
    }
}

Intent computeIntent(const Inventory &inventory, const Zones &zones, const Analysis &analysis,
                     const Decisions &decisions)
{
    Intent intent;
    const PeerResolver resolver(inventory);
    const ZoneLookup zoneLookup(inventory, zones, decisions);

    std::vector<Edge> observed = analysis.edges;
    sortUnique(observed); // analysis.edges is sorted already; this costs little and guarantees it

    std::vector<Edge> resolved;
    for (const EdgeRef &ref : decisions.denied) {
        resolved.clear();
        resolver.resolveAll(ref, "denied", intent.warnings, resolved);
        for (Edge &e : resolved) {
            if (const Edge *seen = findObserved(observed, e))
                e.evidence = seen->evidence;
            intent.denied.push_back(std::move(e));
        }
    }
    sortUnique(intent.denied);
    const auto isDenied = [&](const Edge &e) {
        const auto it = std::lower_bound(intent.denied.begin(), intent.denied.end(), e, edgeLess);
        return it != intent.denied.end() && sameEdge(*it, e);
    };

    // Added edges with a namespace end, with the workload edges each stands for.
    struct NamespaceRef
    {
        const EdgeRef *ref;
        int workload; // the other end
        std::vector<Edge> edges;
    };
    std::vector<NamespaceRef> namespaceRefs;
    for (const EdgeRef &ref : decisions.added) {
        resolved.clear();
        int otherWorkload = -1;
        if (!resolver.resolveAll(ref, "added", intent.warnings, resolved, &otherWorkload))
            continue;
        const bool namespaceRef
            = !namespaceOfPeerName(ref.from).empty() || !namespaceOfPeerName(ref.to).empty();
        if (namespaceRef
            && std::find(decisions.denied.begin(), decisions.denied.end(), ref)
                   == decisions.denied.end())
            namespaceRefs.push_back({&ref, otherWorkload, resolved});
        for (Edge &e : resolved) {
            if (isDenied(e))
                continue; // a denial wins over an addition
            if (const Edge *seen = findObserved(observed, e))
                e = *seen;
            intent.added.push_back(std::move(e));
        }
    }
    sortUnique(intent.added);

    std::vector<Edge> candidates;
    candidates.reserve(observed.size() + intent.added.size());
    std::set_union(observed.begin(), observed.end(), intent.added.begin(), intent.added.end(),
                   std::back_inserter(candidates), edgeLess);

    intent.edges.reserve(candidates.size());
    for (Edge &e : candidates) {
        if (isDenied(e))
            continue;
        // Zone rules are about workloads: externals, nodes and unattributed addresses have no
        // zone, so an edge with such an end is never checked.
        if (e.from.isWorkload() && e.to.isWorkload()) {
            if (const ZoneRule *rule = matchZoneRule(zones, zoneLookup.zoneOf(e.from.index),
                                                     zoneLookup.zoneOf(e.to.index))) {
                if (rule->action == ZoneRule::Action::Block) {
                    intent.blocked.push_back({std::move(e), rule->name, rule->action});
                    continue;
                }
                intent.flagged.push_back({e, rule->name, rule->action});
            }
        }
        intent.edges.push_back(std::move(e));
    }

    // A namespace edge is written whole only when the design keeps every workload edge it
    // stands for: a namespaceSelector cannot leave out a denied or blocked one.
    for (const auto &[ref, workload, edges] : namespaceRefs) {
        const auto missing = std::find_if(edges.begin(), edges.end(), [&](const Edge &e) {
            return !std::binary_search(intent.edges.begin(), intent.edges.end(), e, edgeLess);
        });
        if (missing != edges.end()) {
            intent.warnings.push_back("added edge " + edgeRefText(*ref)
                                      + " is allowed workload by workload, not as a namespace: "
                                      + edgeRefText(edgeRef(inventory, *missing))
                                      + " is denied or blocked by a zone rule");
            continue;
        }
        NamespaceEdge n;
        n.namespaceIsSource = !namespaceOfPeerName(ref->from).empty();
        n.ns = std::string(namespaceOfPeerName(n.namespaceIsSource ? ref->from : ref->to));
        n.workload = workload;
        n.protocol = ref->protocol;
        n.port = ref->port;
        if (n.workload >= 0)
            intent.namespaceEdges.push_back(std::move(n));
    }
    std::sort(intent.namespaceEdges.begin(), intent.namespaceEdges.end());
    intent.namespaceEdges.erase(
        std::unique(intent.namespaceEdges.begin(), intent.namespaceEdges.end()),
        intent.namespaceEdges.end());
    return intent;
}

std::string unknownNamespaceDecision(const Inventory &inventory, const Decisions &decisions)
{
    for (const auto &[what, list] :
         {std::pair{"added", &decisions.added}, std::pair{"denied", &decisions.denied}}) {
        for (const EdgeRef &ref : *list) {
            for (const std::string *end : {&ref.from, &ref.to}) {
                const std::string_view ns = namespaceOfPeerName(*end);
                if (end->starts_with(NamespacePeerPrefix) && !inventoryHasNamespace(inventory, ns))
                    return std::string(what) + " edge " + edgeRefText(ref) + ": no namespace \""
                           + std::string(ns) + "\" in the inventory";
            }
        }
    }
    return {};
}

} // namespace bulkhead
