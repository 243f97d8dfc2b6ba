#pragma once

#include "l7/httprequest.h"
#include "util/ipaddress.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace bulkhead {

class HttpStream;

// One kind of request from one client address to one server address and port (whichever
// connections carried it: a policy rule does not depend on the client's port), keyed without its
// query string.
struct HttpRequestKey
{
    IpAddress client, server;
    uint16_t serverPort = 0;
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
// kMaxHeaderBytes per request head or header block, kMaxStreams directions (past either, or on
// malformed input, a direction is given up, never read past: droppedStreams()); kMaxDistinct
// kinds and kMaxPathBytes of their paths in all, kMaxKindsPerStream new kinds per direction (past
// those, requests of kinds already kept are still counted, the others are counted in
// requestsNotKept()). The non-HTTP path costs one hash lookup and a prefix comparison per TCP
// payload, and allocates nothing. On the HTTP path a request head that lies whole in one segment
// is parsed where it lies (no copy), a request costs one hash and one probe of the kinds' table, a
// kind already seen allocates nothing, and only a new kind is stored. A kind is its method, path
// and host: the query string is counted and sampled per kind (HttpQueries), storing only a sample
// not kept before.
class HttpExtractor
{
public:
    static constexpr size_t kMaxHeaderBytes = 16384;
    static constexpr size_t kMaxKindsPerStream = 1000; // new kinds one direction may add
    static constexpr size_t kMaxStreams = 100000;
    static constexpr size_t kMaxDistinct = 200000;            // distinct requests kept in all
    static constexpr size_t kMaxPathBytes = size_t(64) << 20; // bytes of their paths in all

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
    // Each kind in no particular order, its strings viewing the extractor's own (valid while it
    // is not changed): for readers that aggregate them anyway (attributeRequests), without
    // copying or sorting 200,000 keys of strings.
    struct RequestView
    {
        const IpAddress &client, &server;
        uint16_t serverPort;
        std::string_view method, path, host;
        bool http2;
        uint64_t count;
        const HttpQueries *queries; // nullptr: none of its requests had a query
    };
    void forEachRequest(const std::function<void(const RequestView &)> &visit) const;
    size_t requestKinds() const; // how many forEachRequest visits
    // Client address -> server address and port on which a direction the extractor does not
    // follow started with a TLS ClientHello (at most kMaxDistinct), in no particular order.
    void forEachTls(const std::function<void(const IpAddress &client, const IpAddress &server,
                                             uint16_t port)> &visit) const;
    // Directions given up (malformed, or past a bound).
    uint64_t droppedStreams() const { return m_dropped; }
    // Requests read whose kind was not kept (past kMaxDistinct, kMaxPathBytes or
    // kMaxKindsPerStream).
    uint64_t requestsNotKept() const { return m_notKept; }

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

public:
    // Which TCP payloads an extractor would read, decided where the packets are read (the capture
    // reader's thread), so that the others (answers, and connections that are not HTTP) are not
    // copied to the thread that extracts. It follows the directions the extractor follows, by the
    // same rules and without parsing: a direction starts at a payload that
    // looksLikeHttpRequestStart (while fewer than kMaxStreams are followed) and ends at a FIN or
    // RST of its connection; a direction the extractor gives up is followed to its end here too.
    // Fed the same packets in the same order as the extractor, it follows the same directions, so a
    // payload it does not want would not have changed the extractor's results.
    class DirectionFilter
    {
    public:
        DirectionFilter();
        ~DirectionFilter();
        DirectionFilter(DirectionFilter &&) noexcept;
        DirectionFilter &operator=(DirectionFilter &&) noexcept;

        // A payload (length > 0) the extractor would feed to a stream, or note as TLS?
        bool wants(const IpAddress &client, uint16_t clientPort, const IpAddress &server,
                   uint16_t serverPort, const uint8_t *data, size_t length);
        // A FIN or RST between these ends: was either direction followed? Both are forgotten.
        bool ends(const IpAddress &a, uint16_t aPort, const IpAddress &b, uint16_t bPort);

    private:
        struct Set;
        std::unique_ptr<Set> m_set;
    };

private:
    struct Tables; // the hash tables (absl::flat_hash_map), out of this header
    Tables &tables();
    static constexpr uint32_t kNoConnection = UINT32_MAX;
    // Counts one request; true when its kind was new (it may be only when `mayAdd`).
    bool record(const DirectionKey &key, uint32_t &connection, std::string_view method,
                std::string_view path, std::string_view host, bool http2, bool mayAdd);

    std::unique_ptr<Tables> m_tables; // created on first use
    uint64_t m_dropped = 0;
    uint64_t m_notKept = 0;
};

// Starts like an HTTP/1.x request line ("GET ", "POST "...) or the HTTP/2 client preface?
bool looksLikeHttpRequestStart(const uint8_t *data, size_t length);
// Starts like a TLS record holding a ClientHello (content type 22, version 3.x, handshake type 1)?
bool looksLikeTlsClientHello(const uint8_t *data, size_t length);

} // namespace bulkhead
