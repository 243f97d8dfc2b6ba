#pragma once

#include "l7/httprequest.h"
#include "util/ipaddress.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace bulkhead {

class HttpStream;

// One kind of request on one connection (client address and port to server address and port),
// keyed without its query string.
struct HttpRequestKey
{
    IpAddress client, server;
    uint16_t clientPort = 0, serverPort = 0;
    std::string method, path, host;
    bool http2 = false;

    friend auto operator<=>(const HttpRequestKey &, const HttpRequestKey &) = default;
};

// The requests of one kind: how many, and their query strings.
struct HttpRequestCounts
{
    uint64_t count = 0;
    HttpQueries queries;
    friend bool operator==(const HttpRequestCounts &, const HttpRequestCounts &) = default;
};

// Finds HTTP requests in TCP payloads: HTTP/1.x request lines (method, target, Host; keep-alive,
// pipelining, Content-Length and chunked bodies) and HTTP/2 over cleartext with prior knowledge
// (h2c, gRPC: :method, :path, :authority, HPACK decoded by libnghttp2 with one dynamic table per
// connection). Only the client's direction is read: a direction is followed from the first
// payload that starts with a request method or the HTTP/2 preface (or a prefix of one). Segments
// are taken in capture order (no reassembly of reordered or retransmitted segments). Bounded:
// kMaxHeaderBytes per request head or header block, kMaxRequestsPerStream per direction,
// kMaxStreams directions; past a bound or on malformed input a direction is dropped, never read
// past. The non-HTTP path costs one hash lookup and a prefix comparison per TCP payload, and
// allocates nothing. On the HTTP path a request head that lies whole in one segment is parsed where
// it lies (no copy), a request kind already seen is counted without building a string, and only a
// new kind is stored. A kind is its method, path and host: the query string is counted and sampled
// per kind (HttpQueries), storing only a sample not kept before.
class HttpExtractor
{
public:
    static constexpr size_t kMaxHeaderBytes = 16384;
    static constexpr size_t kMaxRequestsPerStream = 1000;
    static constexpr size_t kMaxStreams = 100000;
    static constexpr size_t kMaxDistinct = 200000; // distinct requests kept in all

    HttpExtractor();
    ~HttpExtractor();
    HttpExtractor(HttpExtractor &&) noexcept;
    HttpExtractor &operator=(HttpExtractor &&) noexcept;

    // One TCP payload in the client -> server direction (the capture readers feed them from
    // decoded packets: core/capture/httppackets.h).
    void feed(const IpAddress &client, uint16_t clientPort, const IpAddress &server,
              uint16_t serverPort, const uint8_t *data, size_t length);
    // The connection between these ends has ended (a FIN or RST): the state of both its directions
    // is forgotten.
    void endConnection(const IpAddress &a, uint16_t aPort, const IpAddress &b, uint16_t bPort);
    void merge(const HttpExtractor &other);

    // Request kinds with their counts and query strings, sorted.
    std::map<HttpRequestKey, HttpRequestCounts> requests() const;
    uint64_t droppedStreams() const { return m_dropped; }

    size_t openStreams() const;

private:
    friend class HttpStream;
    // One client -> server direction.
    struct DirectionKey
    {
        IpAddress src, dst;
        uint16_t sport = 0, dport = 0;
        friend bool operator==(const DirectionKey &, const DirectionKey &) = default;
    };
    struct Tables; // the hash tables (absl::flat_hash_map), out of this header
    Tables &tables();
    static constexpr uint32_t kNoConnection = UINT32_MAX;
    void record(const DirectionKey &key, uint32_t &connection, std::string_view method,
                std::string_view path, std::string_view host, bool http2);

    std::unique_ptr<Tables> m_tables; // created on first use
    uint64_t m_dropped = 0;
};

// Starts like an HTTP/1.x request line ("GET ", "POST "...) or the HTTP/2 client preface?
bool looksLikeHttpRequestStart(const uint8_t *data, size_t length);

} // namespace bulkhead
