#pragma once

// The insides of HttpExtractor (internal to core/l7): its tables of requests and the parser of
// one client -> server stream (httpstream.cpp).

#include "l7/httpextractor.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace bulkhead {

inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// Requests are counted per kind in one flat table whose keys are small: the connection's number,
// interned method and host, and a view of the path, whose bytes lie in an arena. A request costs
// one hash of its key and one probe: of a kind already seen it allocates nothing; a new kind stores
// its path's bytes once (the same path on another connection is another kind, stored again).
namespace http {

// Distinct strings, each stored once, numbered in order of arrival. The views in `ids` point into
// `values`, whose elements never move (a deque grows without moving them). For methods and hosts:
// few, so these tables stay in cache.
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

// Bytes stored once, in blocks that never move, so views of them stay valid.
class Arena
{
public:
    std::string_view store(std::string_view s)
    {
        if (s.size() > m_free) {
            const size_t block = std::max(kBlock, s.size());
            m_blocks.push_back(std::make_unique<char[]>(block));
            m_at = m_blocks.back().get();
            m_free = block;
        }
        std::memcpy(m_at, s.data(), s.size());
        const std::string_view stored(m_at, s.size());
        m_at += s.size();
        m_free -= s.size();
        m_bytes += s.size();
        return stored;
    }
    size_t bytes() const { return m_bytes; }

private:
    static constexpr size_t kBlock = 64 * 1024;
    std::vector<std::unique_ptr<char[]>> m_blocks;
    char *m_at = nullptr;
    size_t m_free = 0;
    size_t m_bytes = 0;
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

// A kind: stored, `path` views the arena; looked up, it views the packet (== compares bytes).
struct KindKey
{
    uint32_t connection, method, host; // connection: the number of the client -> server pair
    bool http2;
    std::string_view path;
    friend bool operator==(const KindKey &, const KindKey &) = default;
    template <typename H>
    friend H AbslHashValue(H h, const KindKey &k)
    {
        return H::combine(std::move(h), k.connection, k.method, k.host, k.http2, k.path);
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
    // Every client address -> server address and port that carried a request, numbered (a
    // direction's key with its client port 0; kept when its streams end).
    std::vector<DirectionKey> pairs;
    absl::flat_hash_map<DirectionKey, uint32_t, DirectionHash> pairIds;
    http::Interned methods, hosts;
    http::Arena paths;
    absl::flat_hash_map<http::KindKey, http::Counts> requests;
    absl::flat_hash_set<DirectionKey, DirectionHash> tls; // pair keys (client port 0)
    std::string method, path, authority; // HPACK values of the header block being read

    static DirectionKey pairOf(const DirectionKey &key) { return {key.src, key.dst, 0, key.dport}; }
    uint32_t pair(const DirectionKey &pairKey)
    {
        const auto [it, added] = pairIds.try_emplace(pairKey, static_cast<uint32_t>(pairs.size()));
        if (added)
            pairs.push_back(pairKey);
        return it->second;
    }
    static constexpr size_t kReserveAt = 16384;
    // Room for a new kind with a path of `pathBytes`?
    bool roomFor(size_t pathBytes) const
    {
        return requests.size() < kMaxDistinct && paths.bytes() + pathBytes <= kMaxPathBytes;
    }
    // The counts of one kind of request on `key`'s direction, to add to; a new kind only when
    // `mayAdd` and there is room (nullptr: not kept; `added` says whether it is new). `conn`
    // caches the number of the direction's address pair (kNoConnection: not known yet).
    http::Counts *kind(const DirectionKey &key, uint32_t &conn, std::string_view m,
                       std::string_view p, std::string_view h, bool http2, bool mayAdd, bool &added)
    {
        added = false;
        const bool room = mayAdd && roomFor(p.size());
        if (conn == kNoConnection) {
            const DirectionKey pairKey = pairOf(key);
            if (const auto it = pairIds.find(pairKey); it != pairIds.end())
                conn = it->second;
            else if (!room)
                return nullptr; // nothing new is kept: no number either
            else
                conn = pair(pairKey);
        }
        if (!room) {
            const auto mi = methods.find(m), hi = hosts.find(h);
            if (!mi || !hi)
                return nullptr;
            const auto it = requests.find(http::KindKey{conn, *mi, *hi, http2, p});
            return it == requests.end() ? nullptr : &it->second;
        }
        if (requests.size() == kReserveAt) // many kinds: grow once to the bound, not 4 times more
            requests.reserve(kMaxDistinct);
        const http::KindKey probe{conn, methods.add(m), hosts.add(h), http2, p};
        const auto it = requests.lazy_emplace(probe, [&](const auto &construct) {
            http::KindKey stored = probe;
            stored.path = paths.store(p);
            construct(stored, http::Counts{});
            added = true;
        });
        return &it->second;
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
    size_t m_kinds = 0;       // kinds this direction added to the table
    // HTTP/2
    uint8_t m_frameType = 0;
    uint8_t m_frameFlags = 0;
    bool m_skipFrame = false;
    std::string m_block; // header block across HEADERS + CONTINUATION
    nghttp2_hd_inflater *m_inflater = nullptr;
};

} // namespace bulkhead
