#include "l7/httpextractor.h"

#include "l7/httpextractorimpl.h"
#include "l7/pathcollapse.h"

#include <algorithm>
#include <cstring>

namespace bulkhead {
namespace {

constexpr std::string_view kMethods[]
    = {"GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "PATCH ", "OPTIONS ", "CONNECT ", "TRACE "};

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
    if (starts(kHttp2Preface))
        return true;
    for (std::string_view m : kMethods) {
        if (starts(m))
            return true;
    }
    return false;
}

struct HttpExtractor::DirectionFilter::Set
{
    absl::flat_hash_set<DirectionKey, Tables::DirectionHash> directions;
};

HttpExtractor::DirectionFilter::DirectionFilter()
    : m_set(std::make_unique<Set>())
{
}
HttpExtractor::DirectionFilter::~DirectionFilter() = default;
HttpExtractor::DirectionFilter::DirectionFilter(DirectionFilter &&) noexcept = default;
HttpExtractor::DirectionFilter &
HttpExtractor::DirectionFilter::operator=(DirectionFilter &&) noexcept = default;

// The same decisions as feed() and endConnection() make about `streams`.
bool HttpExtractor::DirectionFilter::wants(const IpAddress &client, uint16_t clientPort,
                                           const IpAddress &server, uint16_t serverPort,
                                           const uint8_t *data, size_t length)
{
    if (length == 0)
        return false;
    auto &directions = m_set->directions;
    const DirectionKey key{client, server, clientPort, serverPort};
    if (!looksLikeHttpRequestStart(data, length)) // the common case: no insertion
        return directions.contains(key) || looksLikeTlsClientHello(data, length);
    if (directions.size() >= kMaxStreams)
        return directions.contains(key);
    directions.insert(key);
    return true;
}

bool HttpExtractor::DirectionFilter::ends(const IpAddress &a, uint16_t aPort, const IpAddress &b,
                                          uint16_t bPort)
{
    auto &directions = m_set->directions;
    if (directions.empty())
        return false;
    const bool one = directions.erase(DirectionKey{a, b, aPort, bPort}) > 0;
    const bool other = directions.erase(DirectionKey{b, a, bPort, aPort}) > 0;
    return one || other;
}

bool looksLikeTlsClientHello(const uint8_t *data, size_t length)
{
    return length >= 6 && data[0] == 22 && data[1] == 3 && data[2] <= 4 && data[5] == 1;
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

void HttpExtractor::endConnection(const IpAddress &a, uint16_t aPort, const IpAddress &b,
                                  uint16_t bPort)
{
    if (m_tables && !m_tables->streams.empty()) {
        m_tables->streams.erase(DirectionKey{a, b, aPort, bPort});
        m_tables->streams.erase(DirectionKey{b, a, bPort, aPort});
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
        if (!looksLikeHttpRequestStart(data, length)) {
            if (looksLikeTlsClientHello(data, length) && m_tables->tls.size() < kMaxDistinct)
                m_tables->tls.insert(Tables::pairOf(key));
            return;
        }
        if (streams.size() >= kMaxStreams)
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

bool HttpExtractor::record(const DirectionKey &key, uint32_t &connection, std::string_view method,
                           std::string_view target, std::string_view host, bool http2, bool mayAdd)
{
    // Only origin-form paths make rules: not "*" (OPTIONS), an authority (CONNECT), or a target
    // that is all fragment ("#x").
    const std::string_view path = requestPathView(target);
    if (!path.starts_with('/'))
        return false;
    bool added = false;
    http::Counts *kind = tables().kind(key, connection, method, path, host, http2, mayAdd, added);
    if (!kind) {
        ++m_notKept;
        return false;
    }
    ++kind->count;
    if (const auto query = requestQueryView(target))
        kind->queriesToAdd().add(*query);
    return added;
}

std::map<HttpRequestKey, HttpRequestCounts> HttpExtractor::requests() const
{
    std::map<HttpRequestKey, HttpRequestCounts> out;
    forEachRequest([&](const RequestView &r) {
        out.emplace(HttpRequestKey{r.client, r.server, r.serverPort, std::string(r.method),
                                   std::string(r.path), std::string(r.host), r.http2},
                    HttpRequestCounts{r.count, r.queries ? *r.queries : HttpQueries{}});
    });
    return out;
}

size_t HttpExtractor::requestKinds() const
{
    return m_tables ? m_tables->requests.size() : 0;
}

void HttpExtractor::forEachTls(
    const std::function<void(const IpAddress &, const IpAddress &, uint16_t)> &visit) const
{
    if (m_tables) {
        for (const DirectionKey &d : m_tables->tls)
            visit(d.src, d.dst, d.dport);
    }
}

void HttpExtractor::forEachRequest(const std::function<void(const RequestView &)> &visit) const
{
    if (!m_tables)
        return;
    const Tables &t = *m_tables;
    for (const auto &[k, n] : t.requests) {
        const DirectionKey &d = t.pairs[k.connection];
        visit(RequestView{d.src, d.dst, d.dport, t.methods[k.method], k.path, t.hosts[k.host],
                          k.http2, n.count, n.queries.get()});
    }
}

void HttpExtractor::merge(const HttpExtractor &other)
{
    const auto add = [this](http::Counts *into, const auto &from) {
        if (into)
            into->add(from);
        else
            m_notKept += from.count;
    };
    bool added = false;
    if (other.m_tables) {
        Tables &t = tables();
        const Tables &o = *other.m_tables;
        if (t.requests.size() + o.requests.size() <= kMaxDistinct
            && t.paths.bytes() + o.paths.bytes() <= kMaxPathBytes) {
            for (const auto &[k, n] : o.requests) {
                uint32_t conn = kNoConnection;
                add(t.kind(o.pairs[k.connection], conn, o.methods[k.method], k.path,
                           o.hosts[k.host], k.http2, true, added),
                    n);
            }
        } else { // some will not fit: which ones must not depend on the table's order
            for (const auto &[k, n] : other.requests()) {
                uint32_t conn = kNoConnection;
                add(t.kind({k.client, k.server, 0, k.serverPort}, conn, k.method, k.path, k.host,
                           k.http2, true, added),
                    n);
            }
        }
    }
    if (other.m_tables) {
        Tables &t = tables();
        for (const DirectionKey &d : other.m_tables->tls) {
            if (t.tls.size() >= kMaxDistinct)
                break;
            t.tls.insert(d);
        }
    }
    m_dropped += other.m_dropped;
    m_notKept += other.m_notKept;
}

} // namespace bulkhead
