#include "l7/httpextractor.h"

#include "capture/packetinfo.h"
#include "l7/pathcollapse.h"

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <optional>
#include <tuple>
#include <vector>

namespace bulkhead {
namespace {

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::string_view kMethods[]
    = {"GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "PATCH ", "OPTIONS ", "CONNECT ", "TRACE "};

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool isToken(std::string_view s)
{
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
               || c == '-' || c == '_';
    });
}

bool printable(std::string_view s)
{
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; });
}

} // namespace

bool looksLikeHttpRequestStart(const uint8_t *data, size_t length)
{
    // Most segments that are not requests fail on their first byte: the initials of the methods
    // and of the preface ("PRI") are C, D, G, H, O, P and T.
    if (length > 0) {
        switch (data[0]) {
        case 'C':
        case 'D':
        case 'G':
        case 'H':
        case 'O':
        case 'P':
        case 'T': break;
        default: return false;
        }
    }
    // A segment may be cut inside the first word: a prefix of a method or of the preface counts.
    const std::string_view s(reinterpret_cast<const char *>(data), length);
    const auto starts = [&](std::string_view word) {
        return s.size() >= word.size() ? s.starts_with(word) : word.starts_with(s);
    };
    if (starts(kPreface))
        return true;
    for (std::string_view m : kMethods) {
        if (starts(m))
            return true;
    }
    return false;
}

// Requests are counted per kind in a flat table of small keys: the connection's number and
// interned method, path and host. A request of a kind already seen costs a few hash lookups and
// allocates nothing; a new kind stores its strings once (a path shared by many connections once).
namespace {

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

} // namespace

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
    Interned methods, paths, hosts;
    absl::flat_hash_map<RequestKey, uint64_t> requests;
    std::string method, path, authority; // HPACK values of the header block being read

    uint32_t connection(const DirectionKey &key)
    {
        const auto [it, added]
            = connectionIds.try_emplace(key, static_cast<uint32_t>(connections.size()));
        if (added)
            connections.push_back(key);
        return it->second;
    }
    // Counts `n` requests of one kind; a new kind only while fewer than kMaxDistinct are kept.
    // `conn` caches the connection's number (kNoConnection: not known yet).
    void count(const DirectionKey &key, uint32_t &conn, std::string_view m, std::string_view p,
               std::string_view h, bool http2, uint64_t n)
    {
        if (conn == kNoConnection) {
            if (const auto it = connectionIds.find(key); it != connectionIds.end())
                conn = it->second;
            else if (requests.size() >= kMaxDistinct)
                return; // nothing new is kept: no number either
            else
                conn = connection(key);
        }
        const auto mi = methods.find(m), pi = paths.find(p), hi = hosts.find(h);
        if (mi && pi && hi) {
            const auto it = requests.find(RequestKey{conn, *mi, *pi, *hi, http2});
            if (it != requests.end()) {
                it->second += n;
                return;
            }
        }
        if (requests.size() >= kMaxDistinct)
            return;
        requests.emplace(RequestKey{conn, mi ? *mi : methods.add(m), pi ? *pi : paths.add(p),
                                    hi ? *hi : hosts.add(h), http2},
                         n);
    }
    HttpRequestKey key(const RequestKey &k) const
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

bool HttpStream::feed(HttpExtractor &owner, const uint8_t *data, size_t length)
{
    const char *p = reinterpret_cast<const char *>(data);
    size_t n = length;
    while (n > 0) {
        switch (m_state) {
        case State::Failed: return false;
        case State::Start: { // the first three bytes tell HTTP/2's preface from a request line
            if (m_buffer.empty() && n >= 3) { // all in this segment: decide without consuming
                m_state = std::string_view(p, 3) == "PRI" ? State::Preface : State::Head;
                break;
            }
            const size_t take = std::min(n, size_t(3) - m_buffer.size());
            m_buffer.append(p, take);
            p += take;
            n -= take;
            if (m_buffer.size() == 3)
                m_state = m_buffer == "PRI" ? State::Preface : State::Head;
            break;
        }
        case State::Preface: {
            const size_t take = std::min(n, kPreface.size() - m_buffer.size());
            m_buffer.append(p, take);
            p += take;
            n -= take;
            if (!kPreface.starts_with(m_buffer))
                return fail();
            if (m_buffer.size() == kPreface.size()) {
                m_buffer.clear();
                m_state = State::FrameHeader;
            }
            break;
        }
        case State::Head: {
            // Up to and including the blank line that ends the head.
            if (m_buffer.empty()) { // the head may lie whole in this segment: parse it in place
                const std::string_view in(p, std::min(n, HttpExtractor::kMaxHeaderBytes));
                const size_t end = in.find("\r\n\r\n");
                if (end != std::string_view::npos) {
                    p += end + 4;
                    n -= end + 4;
                    if (!headComplete(owner, in.substr(0, end + 4)))
                        return fail();
                    break;
                }
                if (in.size() >= HttpExtractor::kMaxHeaderBytes)
                    return fail();
                m_buffer.append(in); // the rest comes in later segments
                p += in.size();
                n -= in.size();
                break;
            }
            const size_t before = m_buffer.size();
            const size_t take = std::min(n, HttpExtractor::kMaxHeaderBytes - before);
            m_buffer.append(p, take);
            const size_t end = m_buffer.find("\r\n\r\n", before >= 3 ? before - 3 : 0);
            if (end == std::string::npos) {
                if (m_buffer.size() >= HttpExtractor::kMaxHeaderBytes)
                    return fail();
                p += take;
                n -= take;
                break;
            }
            const size_t used = end + 4 - before;
            m_buffer.resize(end + 4);
            p += used;
            n -= used;
            if (!headComplete(owner, m_buffer))
                return fail();
            release(m_buffer);
            break;
        }
        case State::Body: {
            const size_t take = static_cast<size_t>(std::min<uint64_t>(n, m_remaining));
            p += take;
            n -= take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::Head;
            break;
        }
        case State::ChunkSize:
        case State::Trailers: {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', n));
            const size_t take = nl ? static_cast<size_t>(nl - p) + 1 : n;
            if (m_buffer.size() + take > 1024)
                return fail();
            m_buffer.append(p, take);
            p += take;
            n -= take;
            if (!nl)
                break;
            const std::string_view line
                = trim(std::string_view(m_buffer).substr(0, m_buffer.size() - 1));
            if (m_state == State::Trailers) {
                if (line.empty())
                    m_state = State::Head;
                m_buffer.clear();
                break;
            }
            uint64_t size = 0;
            size_t digits = 0;
            for (char c : line) {
                const int v = (c >= '0' && c <= '9')                     ? c - '0'
                              : ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') ? (c | 0x20) - 'a' + 10
                                                                         : -1;
                if (v < 0)
                    break; // a chunk extension follows
                if (++digits > 15)
                    return fail();
                size = size * 16 + static_cast<uint64_t>(v);
            }
            m_buffer.clear();
            if (digits == 0)
                return fail();
            if (size == 0) {
                m_state = State::Trailers;
            } else {
                m_remaining = size;
                m_state = State::ChunkData;
            }
            break;
        }
        case State::ChunkData: {
            const size_t take = static_cast<size_t>(std::min<uint64_t>(n, m_remaining));
            p += take;
            n -= take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_state = State::ChunkDataEnd;
                m_remaining = 2; // CRLF
            }
            break;
        }
        case State::ChunkDataEnd: {
            const size_t take = static_cast<size_t>(std::min<uint64_t>(n, m_remaining));
            p += take;
            n -= take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::ChunkSize;
            break;
        }
        case State::FrameHeader: {
            const size_t take = std::min(n, size_t(9) - m_buffer.size());
            m_buffer.append(p, take);
            p += take;
            n -= take;
            if (m_buffer.size() < 9)
                break;
            const auto *h = reinterpret_cast<const uint8_t *>(m_buffer.data());
            m_remaining = uint64_t(h[0]) << 16 | uint64_t(h[1]) << 8 | h[2];
            m_frameType = h[3];
            m_frameFlags = h[4];
            m_buffer.clear();
            // HEADERS (1) and CONTINUATION (9) carry the header block; everything else is skipped.
            m_skipFrame = m_frameType != 1 && m_frameType != 9;
            if (!m_skipFrame && m_block.size() + m_remaining > HttpExtractor::kMaxHeaderBytes)
                return fail();
            m_state = State::FramePayload;
            if (m_remaining == 0 && !frameComplete(owner))
                return fail();
            break;
        }
        case State::FramePayload: {
            const size_t take = static_cast<size_t>(std::min<uint64_t>(n, m_remaining));
            if (!m_skipFrame)
                m_buffer.append(p, take);
            p += take;
            n -= take;
            m_remaining -= take;
            if (m_remaining == 0 && !frameComplete(owner))
                return fail();
            break;
        }
        }
    }
    return m_state != State::Failed;
}

bool HttpStream::headComplete(HttpExtractor &owner, std::string_view head)
{
    size_t lineEnd = head.find("\r\n");
    const std::string_view requestLine = head.substr(0, lineEnd);
    const size_t sp1 = requestLine.find(' ');
    const size_t sp2 = requestLine.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1)
        return false;
    const std::string_view method = requestLine.substr(0, sp1);
    const std::string_view target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = requestLine.substr(sp2 + 1);
    if (!isToken(method) || target.empty() || !printable(target) || !version.starts_with("HTTP/1."))
        return false;
    std::string_view host;
    uint64_t contentLength = 0;
    bool chunked = false;
    size_t at = lineEnd + 2;
    while (at < head.size()) {
        const size_t e = head.find("\r\n", at);
        const std::string_view line = head.substr(at, e - at);
        at = e + 2;
        if (line.empty())
            break;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            return false;
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "host")) {
            host = value;
        } else if (iequals(name, "content-length")) {
            contentLength = 0;
            if (value.empty() || value.size() > 15)
                return false;
            for (char c : value) {
                if (c < '0' || c > '9')
                    return false;
                contentLength = contentLength * 10 + static_cast<uint64_t>(c - '0');
            }
        } else if (iequals(name, "transfer-encoding")) {
            chunked = value.size() >= 7 && iequals(value.substr(value.size() - 7), "chunked");
        }
    }
    if (++m_requests > HttpExtractor::kMaxRequestsPerStream)
        return false;
    owner.record(m_key, m_connection, method, target, host, false);
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (contentLength > 0) {
        m_remaining = contentLength;
        m_state = State::Body;
    } else {
        m_state = State::Head;
    }
    return true;
}

bool HttpStream::frameComplete(HttpExtractor &owner)
{
    m_state = State::FrameHeader;
    if (m_skipFrame)
        return true;
    std::string_view payload(m_buffer);
    if (m_frameType == 1) { // HEADERS: padding (0x8) and priority (0x20) around the fragment
        size_t pad = 0;
        if (m_frameFlags & 0x8) {
            if (payload.empty())
                return false;
            pad = static_cast<uint8_t>(payload[0]);
            payload.remove_prefix(1);
        }
        if (m_frameFlags & 0x20) {
            if (payload.size() < 5)
                return false;
            payload.remove_prefix(5);
        }
        if (pad > payload.size())
            return false;
        payload.remove_suffix(pad);
    } else if (m_block.empty() && m_frameType == 9) {
        return false; // a CONTINUATION with no HEADERS before it
    }
    if (m_block.empty() && (m_frameFlags & 0x4)) { // END_HEADERS: the whole block is in this frame
        const bool ok
            = inflate(owner, reinterpret_cast<const uint8_t *>(payload.data()), payload.size());
        release(m_buffer);
        return ok;
    }
    m_block.append(payload);
    release(m_buffer);
    if (!(m_frameFlags & 0x4)) // END_HEADERS
        return true;
    const bool ok
        = inflate(owner, reinterpret_cast<const uint8_t *>(m_block.data()), m_block.size());
    release(m_block);
    return ok;
}

bool HttpStream::inflate(HttpExtractor &owner, const uint8_t *in, size_t length)
{
    if (!m_inflater) {
        if (nghttp2_hd_inflate_new(&m_inflater) != 0) {
            m_inflater = nullptr;
            return false;
        }
    }
    // The values are copied out (libnghttp2's may not outlive the next call) into strings the
    // extractor reuses, so a request allocates nothing here once they have grown.
    std::string &method = owner.tables().method, &path = owner.tables().path,
                &authority = owner.tables().authority;
    method.clear(), path.clear(), authority.clear();
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        const ssize_t used = nghttp2_hd_inflate_hd2(m_inflater, &nv, &flags, in, length, 1);
        if (used < 0)
            return false;
        in += used;
        length -= static_cast<size_t>(used);
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            const std::string_view name(reinterpret_cast<const char *>(nv.name), nv.namelen);
            const std::string_view value(reinterpret_cast<const char *>(nv.value), nv.valuelen);
            if (name == ":method")
                method.assign(value);
            else if (name == ":path")
                path.assign(value);
            else if (name == ":authority")
                authority.assign(value);
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(m_inflater);
            break;
        }
        if (!(flags & NGHTTP2_HD_INFLATE_EMIT) && length == 0)
            break;
    }
    // A trailer block (gRPC's end of stream) has no pseudo-headers: not a request.
    if (method.empty() || path.empty())
        return true;
    if (!isToken(method) || !printable(path))
        return false;
    if (++m_requests > HttpExtractor::kMaxRequestsPerStream)
        return false;
    owner.record(m_key, m_connection, method, path, authority, true);
    return true;
}

HttpExtractor::HttpExtractor() = default;
HttpExtractor::~HttpExtractor() = default;
HttpExtractor::HttpExtractor(HttpExtractor &&) noexcept = default;
HttpExtractor &HttpExtractor::operator=(HttpExtractor &&) noexcept = default;

HttpExtractor::Tables &HttpExtractor::tables()
{
    if (!m_tables)
        m_tables = std::make_unique<Tables>();
    return *m_tables;
}

size_t HttpExtractor::openStreams() const
{
    return m_tables ? m_tables->streams.size() : 0;
}

bool HttpExtractor::interesting(const PacketInfo &p)
{
    return p.protocol == Protocol::TCP
           && ((p.payloadLength > 0 && p.payload) || (p.tcpFlags & (kFin | kRst)));
}

void HttpExtractor::observe(const PacketInfo &p)
{
    if (p.payloadLength > 0 && p.payload)
        feed(p.src, p.sport, p.dst, p.dport, p.payload, p.payloadLength);
    if ((p.tcpFlags & (kFin | kRst)) && m_tables
        && !m_tables->streams.empty()) { // the connection ends: its state goes
        m_tables->streams.erase(DirectionKey{p.src, p.dst, p.sport, p.dport});
        m_tables->streams.erase(DirectionKey{p.dst, p.src, p.dport, p.sport});
    }
}

void HttpExtractor::feed(const IpAddress &client, uint16_t clientPort, const IpAddress &server,
                         uint16_t serverPort, const uint8_t *data, size_t length)
{
    if (length == 0)
        return;
    auto &streams = tables().streams;
    const DirectionKey key{client, server, clientPort, serverPort};
    auto it = streams.find(key);
    if (it == streams.end()) {
        if (!looksLikeHttpRequestStart(data, length) || streams.size() >= kMaxStreams)
            return;
        it = streams.emplace(key, std::make_unique<HttpStream>(key)).first;
    }
    HttpStream *stream = it->second.get();
    if (!stream)
        return; // given up
    if (!stream->feed(*this, data, length)) {
        ++m_dropped;
        // feed() may not have inserted into `streams` (only record() runs inside it), but look
        // the key up again rather than trust an iterator across the call.
        streams.find(key)->second.reset();
    }
}

void HttpExtractor::record(const DirectionKey &key, uint32_t &connection, std::string_view method,
                           std::string_view target, std::string_view host, bool http2)
{
    // Only origin-form paths make rules: not "*" (OPTIONS), an authority (CONNECT), or a target
    // that is all fragment ("#x").
    const std::string_view path = requestPathView(target);
    if (path.starts_with('/'))
        tables().count(key, connection, method, path, host, http2, 1);
}

std::map<HttpRequestKey, uint64_t> HttpExtractor::requests() const
{
    std::map<HttpRequestKey, uint64_t> out;
    if (m_tables) {
        for (const auto &[k, n] : m_tables->requests)
            out.emplace(m_tables->key(k), n);
    }
    return out;
}

void HttpExtractor::merge(const HttpExtractor &other)
{
    if (other.m_tables) {
        Tables &t = tables();
        const Tables &o = *other.m_tables;
        if (t.requests.size() + o.requests.size() <= kMaxDistinct) {
            for (const auto &[k, n] : o.requests) {
                uint32_t conn = kNoConnection;
                t.count(o.connections[k.connection], conn, o.methods[k.method], o.paths[k.path],
                        o.hosts[k.host], k.http2, n);
            }
        } else { // some will not fit: which ones must not depend on the table's order
            for (const auto &[k, n] : other.requests()) {
                uint32_t conn = kNoConnection;
                t.count({k.client, k.server, k.clientPort, k.serverPort}, conn, k.method, k.path,
                        k.host, k.http2, n);
            }
        }
    }
    m_dropped += other.m_dropped;
}

} // namespace bulkhead
