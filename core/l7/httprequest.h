#pragma once

#include <cstdint>
#include <string>

namespace bulkhead {

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
    uint64_t count = 0;

    friend bool operator==(const HttpRequestSeen &, const HttpRequestSeen &) = default;
    friend auto operator<=>(const HttpRequestSeen &, const HttpRequestSeen &) = default;
};

} // namespace bulkhead
