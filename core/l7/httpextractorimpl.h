#pragma once

// The insides of HttpExtractor (internal to core/l7): its tables of requests and the parser of
// one client -> server stream (httpstream.cpp).

#include "l7/httpextractor.h"

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace bulkhead {

inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// Requests are counted per kind in a flat table of small keys: the connection's number and
// interned method, path and host (the query string is counted beside, HttpQueries). A request of a
// kind already seen costs a few hash lookups and allocates nothing; a new kind stores its strings
// once (a path shared by many connections once).
namespace http {

// Distinct strings, each stored once, numbered in order of arrival. The views in `ids` point into
// `values`, whose elements never move (a deque grows without moving them).
class Interned
{
public:
    std::optional<uint32_t> find(std::string_view s) const
    {
        const auto it = m_ids.find(s);
        return it == m_ids.end() ? std::nullopt : std::optional<uint32_t>(it->second);
    }
    uint32_t add(std::string_view s)
    {
        if (const auto id = find(s))
            return *id;
        const std::string &stored = m_values.emplace_back(s);
        const auto id = static_cast<uint32_t>(m_values.size() - 1);
        m_ids.emplace(std::string_view(stored), id);
        return id;
    }
    const std::string &operator[](uint32_t id) const { return m_values[id]; }

private:
    std::deque<std::string> m_values;
    absl::flat_hash_map<std::string_view, uint32_t> m_ids;
};

// The requests of one kind: how many, and their query strings, kept apart and made on the kind's
// first query (a table of kinds seen without queries stays small).
struct Counts
{
    uint64_t count = 0;
    std::unique_ptr<HttpQueries> queries;

    void add(const HttpRequestCounts &n)
    {
        count += n.count;
        if (n.queries.requests > 0)
            queriesToAdd().merge(n.queries);
    }
    void add(const Counts &n)
    {
        count += n.count;
        if (n.queries)
            queriesToAdd().merge(*n.queries);
    }
    HttpQueries &queriesToAdd()
    {
        if (!queries)
            queries = std::make_unique<HttpQueries>();
        return *queries;
    }
};

struct RequestKey
{
    uint32_t connection, method, path, host;
    bool http2;
    friend bool operator==(const RequestKey &, const RequestKey &) = default;
    template <typename H>
    friend H AbslHashValue(H h, const RequestKey &k)
    {
        return H::combine(std::move(h), k.connection, k.method, k.path, k.host, k.http2);
    }
};

} // namespace http

struct HttpExtractor::Tables
{
    struct DirectionHash
    {
        size_t operator()(const DirectionKey &k) const
        {
            return absl::Hash<std::tuple<size_t, size_t, uint32_t>>{}(
                {k.src.hash(), k.dst.hash(), uint32_t(k.sport) << 16 | k.dport});
        }
    };
    // A direction given up keeps its key with a null stream, so the rest of it is not read again.
    absl::flat_hash_map<DirectionKey, std::unique_ptr<HttpStream>, DirectionHash> streams;
    // Every direction that carried a request, numbered (kept when its stream ends).
    std::vector<DirectionKey> connections;
    absl::flat_hash_map<DirectionKey, uint32_t, DirectionHash> connectionIds;
    http::Interned methods, paths, hosts;
    absl::flat_hash_map<http::RequestKey, http::Counts> requests;
    std::string method, path, authority; // HPACK values of the header block being read

    uint32_t connection(const DirectionKey &key)
    {
        const auto [it, added]
            = connectionIds.try_emplace(key, static_cast<uint32_t>(connections.size()));
        if (added)
            connections.push_back(key);
        return it->second;
    }
    // The counts of one kind of request, to add to; a new kind only while fewer than
    // kMaxDistinct are kept (nullptr: not kept). `conn` caches the connection's number
    // (kNoConnection: not known yet).
    http::Counts *kind(const DirectionKey &key, uint32_t &conn, std::string_view m,
                       std::string_view p, std::string_view h, bool http2)
    {
        if (conn == kNoConnection) {
            if (const auto it = connectionIds.find(key); it != connectionIds.end())
                conn = it->second;
            else if (requests.size() >= kMaxDistinct)
                return nullptr; // nothing new is kept: no number either
            else
                conn = connection(key);
        }
        const auto mi = methods.find(m), pi = paths.find(p), hi = hosts.find(h);
        if (mi && pi && hi) {
            const auto it = requests.find(http::RequestKey{conn, *mi, *pi, *hi, http2});
            if (it != requests.end())
                return &it->second;
        }
        if (requests.size() >= kMaxDistinct)
            return nullptr;
        return &requests[http::RequestKey{conn, mi ? *mi : methods.add(m), pi ? *pi : paths.add(p),
                                          hi ? *hi : hosts.add(h), http2}];
    }
    HttpRequestKey key(const http::RequestKey &k) const
    {
        const DirectionKey &d = connections[k.connection];
        return {d.src,         d.dst,         d.sport, d.dport, methods[k.method],
                paths[k.path], hosts[k.host], k.http2};
    }
};

// One client -> server byte stream.
class HttpStream
{
public:
    explicit HttpStream(const HttpExtractor::DirectionKey &key)
        : m_key(key)
    {
    }
    ~HttpStream()
    {
        if (m_inflater)
            nghttp2_hd_inflate_del(m_inflater);
    }
    HttpStream(const HttpStream &) = delete;
    HttpStream &operator=(const HttpStream &) = delete;

    // False once the stream is given up (malformed, or past a bound). Requests go to `owner`.
    bool feed(HttpExtractor &owner, const uint8_t *data, size_t length);

private:
    enum class State {
        Start,
        Head,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Preface,
        FrameHeader,
        FramePayload,
        Failed
    };

    bool headComplete(HttpExtractor &owner, std::string_view head);
    bool frameComplete(HttpExtractor &owner);
    bool inflate(HttpExtractor &owner, const uint8_t *block, size_t length);
    bool fail()
    {
        m_state = State::Failed;
        m_buffer.clear();
        m_buffer.shrink_to_fit();
        return false;
    }
    // A buffer that grew past a few KiB for one large head gives the memory back once used.
    static void release(std::string &buffer)
    {
        buffer.clear();
        if (buffer.capacity() > 4096)
            buffer.shrink_to_fit();
    }

    HttpExtractor::DirectionKey m_key;
    uint32_t m_connection = HttpExtractor::kNoConnection; // its number once it made a request
    State m_state = State::Start;
    std::string m_buffer;     // a request head, a chunk-size line, a frame header or header block
    uint64_t m_remaining = 0; // body, chunk or frame payload bytes left
    size_t m_requests = 0;
    // HTTP/2
    uint8_t m_frameType = 0;
    uint8_t m_frameFlags = 0;
    bool m_skipFrame = false;
    std::string m_block; // header block across HEADERS + CONTINUATION
    nghttp2_hd_inflater *m_inflater = nullptr;
};

} // namespace bulkhead
