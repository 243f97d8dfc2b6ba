#pragma once

#include "l7/httpextractor.h"
#include "l7/httprequest.h"

#include <vector>

namespace bulkhead {

struct Inventory;
struct ObservedFlow;

// The extracted requests with their ends attributed through the observed flows (same addresses
// and ports): the client workload, and the server workload with its container port, or, for a
// request to a Service address, each backend of that Service port (as the edges are). Requests
// whose ends are not both workloads are left out. Sorted, one entry per kind with its count and
// query strings (merged over the client addresses and backends that make it one kind); the result
// does not depend on the order in which the extractor holds them.
std::vector<HttpRequestSeen> attributeRequests(const Inventory &inventory,
                                               const std::vector<ObservedFlow> &flows,
                                               const HttpExtractor &requests);

// The TLS ClientHellos the extractor noted, attributed the same way: sorted, each once.
std::vector<TlsSeen> attributeTls(const Inventory &inventory,
                                  const std::vector<ObservedFlow> &flows,
                                  const HttpExtractor &requests);

} // namespace bulkhead
