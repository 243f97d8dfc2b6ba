#pragma once

#include "l7/httprequest.h"
#include "l7/pathdecision.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bulkhead {

struct Inventory;

// The HTTP path tree of one edge of the model: the requests seen and the user's path decisions
// between two workloads of the inventory, on one container port of the server.

// The requests seen from workload `from` to workload `to` on `port` ("ns/name" ids).
std::vector<PathRequest> edgePathRequests(const Inventory &inventory,
                                          const std::vector<HttpRequestSeen> &requests,
                                          const std::string &from, const std::string &to,
                                          uint16_t port);

// The path tree of one edge as the generator collapses it (threshold and that edge's decisions).
PathTree edgePathTree(const Inventory &inventory, const std::vector<HttpRequestSeen> &requests,
                      int threshold, const std::vector<PathDecision> &decisions,
                      const std::string &from, const std::string &to, uint16_t port);

// One warning per decision that names an edge without HTTP requests, or a node its edge's tree
// (with every decision applied) does not have: such a decision is ignored.
std::vector<std::string> stalePathDecisions(const Inventory &inventory,
                                            const std::vector<HttpRequestSeen> &requests,
                                            int threshold,
                                            const std::vector<PathDecision> &decisions);

} // namespace bulkhead
