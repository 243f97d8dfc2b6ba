#pragma once

#include "l7/httprequest.h"
#include "l7/pathcollapse.h"

#include <compare>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace bulkhead {

// A user's decision on one node of an edge's HTTP path tree (docs/cilium.md "Path decisions"):
// per (client workload, server workload, server container port), since each client gets its own
// rules.http. `path` is a node path (isValidNodePath): "/users", "/users/[^/]+".
struct PathDecision
{
    std::string from;  // client workload "ns/name"
    std::string to;    // server workload "ns/name"
    uint16_t port = 0; // the server's container port (TCP)
    std::string path;
    PathAction action = PathAction::Collapse;

    friend bool operator==(const PathDecision &, const PathDecision &) = default;
    friend std::strong_ordering operator<=>(const PathDecision &, const PathDecision &) = default;
    // The same node of the same edge, whatever the action.
    bool sameNode(const PathDecision &o) const
    {
        return from == o.from && to == o.to && port == o.port && path == o.path;
    }
};

// "collapse /users on shop/frontend -> shop/api TCP/8080"
std::string pathDecisionText(const PathDecision &decision);

// The overrides for a rule whose requests come from `clients` to `servers` on `port`: every
// decision naming one of those clients and servers. Where two decisions name the same node with
// different actions, split wins (the narrower rule).
PathOverrides pathOverridesFor(const std::vector<PathDecision> &decisions,
                               const std::set<std::string> &clients,
                               const std::set<std::string> &servers, uint16_t port);

} // namespace bulkhead
