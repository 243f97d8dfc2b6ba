#pragma once

#include "analysis/edge.h"
#include "analysis/namespaceedge.h"
#include "l7/pathdecision.h"
#include "zones/zones.h"

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bulkhead {

struct Analysis;
struct Inventory;

// An edge named the way a user sees it, so that a decision survives a new inventory or capture
// (indices change, names do not). Each end is "ns/name" for a workload, the name of a declared
// external network, an address (a node, or a lone external), `world`, a CIDR, or "ns:NAME" for
// every workload of namespace NAME (design/decisionnetworks.h).
struct EdgeRef
{
    std::string from;
    std::string to;
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;

    friend bool operator==(const EdgeRef &, const EdgeRef &) = default;
    friend std::strong_ordering operator<=>(const EdgeRef &, const EdgeRef &) = default;
};

// The user's design decisions (docs/semantics.md "Desktop application"), saved in the project file.
struct Decisions
{
    std::vector<EdgeRef> added;  // edges allowed by hand, observed or not
    std::vector<EdgeRef> denied; // edges removed from the intent, even when observed or added
    std::map<std::string, std::string> zoneOverrides; // workload id "ns/name" -> level
    // Collapse or split at a node of an edge's HTTP path tree (rules.http, docs/cilium.md).
    std::vector<PathDecision> paths;

    bool empty() const
    {
        return added.empty() && denied.empty() && zoneOverrides.empty() && paths.empty();
    }
    friend bool operator==(const Decisions &, const Decisions &) = default;
};

// An intent candidate that a zone rule matched (docs/semantics.md "Zone rules").
struct ZoneFinding
{
    Edge edge;
    std::string rule;
    ZoneRule::Action action = ZoneRule::Action::Flag;
};

// What the policies must allow, and why the rest is not there. Every list is sorted by edgeLess.
struct Intent
{
    std::vector<Edge> edges;          // established observed + added - denied - blocked
    std::vector<ZoneFinding> flagged; // in edges, marked by a `flag` rule
    std::vector<ZoneFinding> blocked; // removed by a `block` rule ("blocked by rule NAME")
    std::vector<Edge> denied;         // every resolvable denial (with its evidence when observed)
    std::vector<Edge> added; // every resolvable, not denied addition (evidence when observed)
    // Added edges with a namespace end whose every workload edge is in `edges` (none denied or
    // blocked): the generator writes them as one namespaceSelector peer. Sorted.
    std::vector<NamespaceEdge> namespaceEdges;
    std::vector<std::string> warnings; // decisions naming what does not exist, ignored
};

// The EdgeRef of an edge: peerName() of each end.
EdgeRef edgeRef(const Inventory &inventory, const Edge &edge);
// "shop/frontend -> shop/cart TCP/7070"
std::string edgeRefText(const EdgeRef &ref);

// Sets the zone of each workload named in decisions.zoneOverrides. An unknown workload or level
// gives a warning and changes nothing.
void applyZoneOverrides(Inventory &inventory, const Zones &zones, const Decisions &decisions,
                        std::vector<std::string> &warnings);

// The first decision that names a namespace ("ns:NAME") the inventory does not have, as
// "added edge ns:NAME -> ... TCP/80: no namespace \"NAME\" in the inventory"; "" when there is
// none.
std::string unknownNamespaceDecision(const Inventory &inventory, const Decisions &decisions);

// The intent (docs/semantics.md "Concepts", "Zone rules"): the established observed edges, plus the
// added ones, minus the denied ones, each remaining edge checked against the zone rules with
// matchZoneRule: `flag` keeps it and lists it in flagged, `block` removes it and lists it in
// blocked. Zone overrides in decisions are honoured whether or not applyZoneOverrides ran. A
// decision naming a workload, network or address that does not exist gives a warning and is
// ignored. A decision with a namespace end ("ns:NAME") stands for one edge per workload of the
// namespace; the other end must be a workload.
Intent computeIntent(const Inventory &inventory, const Zones &zones, const Analysis &analysis,
                     const Decisions &decisions);

} // namespace bulkhead
