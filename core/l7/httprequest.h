#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// The query strings of one request kind (method, path, host): counted, and a few kept as samples.
// The kind is keyed without its query, so that cache-busting values do not multiply the kinds.
// Bounded: at most kMaxSamples distinct queries of at most kMaxBytes each, the smallest in byte
// order (the same samples whatever order the requests were read or merged in).
struct HttpQueries
{
    static constexpr size_t kMaxSamples = 4;
    static constexpr size_t kMaxBytes = 256;

    uint64_t requests = 0;            // requests of the kind whose target carried a '?'
    std::vector<std::string> samples; // distinct queries without the '?', sorted
    bool more = false; // queries were seen that are not in `samples` (more of them, or longer)

    // One request with query `query` (what follows '?', up to any '#'; may be empty).
    void add(std::string_view query, uint64_t n = 1);
    void merge(const HttpQueries &other);

    friend bool operator==(const HttpQueries &, const HttpQueries &) = default;
    friend auto operator<=>(const HttpQueries &, const HttpQueries &) = default;
};

// HTTP requests of one kind seen from a client workload to a server workload's port, after
// attribution: what rules.http is made of.
struct HttpRequestSeen
{
    int clientWorkload = -1; // Inventory::workloads index
    int serverWorkload = -1;
    uint16_t port = 0; // the server's container port
    std::string method;
    std::string path; // without the query string
    std::string host; // Host header or :authority
    bool http2 = false;
    uint64_t count = 0;  // every request of the kind, with a query or not
    HttpQueries queries; // those of them with a query string
    uint64_t withoutQuery() const { return count - queries.requests; }

    friend bool operator==(const HttpRequestSeen &, const HttpRequestSeen &) = default;
    friend auto operator<=>(const HttpRequestSeen &, const HttpRequestSeen &) = default;
};

// A TLS ClientHello seen from a client workload to a server workload's container port: traffic
// whose requests cannot be read, so it gets no layer-7 rules (and the output says why).
struct TlsSeen
{
    int clientWorkload = -1;
    int serverWorkload = -1;
    uint16_t port = 0;
    friend auto operator<=>(const TlsSeen &, const TlsSeen &) = default;
};

} // namespace bulkhead
