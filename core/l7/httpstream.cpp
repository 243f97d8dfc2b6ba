// HttpStream: one client -> server byte stream, HTTP/1.x heads (chunked bodies skipped) or
// HTTP/2 frames with HPACK (core/l7/httpextractorimpl.h).

#include "l7/httpextractorimpl.h"

#include <algorithm>
#include <cstring>

namespace bulkhead {

namespace {

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
            const size_t take = std::min(n, kHttp2Preface.size() - m_buffer.size());
            m_buffer.append(p, take);
            p += take;
            n -= take;
            if (!kHttp2Preface.starts_with(m_buffer))
                return fail();
            if (m_buffer.size() == kHttp2Preface.size()) {
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
    if (owner.record(m_key, m_connection, method, target, host, false,
                     m_kinds < HttpExtractor::kMaxKindsPerStream))
        ++m_kinds;
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
    if (owner.record(m_key, m_connection, method, path, authority, true,
                     m_kinds < HttpExtractor::kMaxKindsPerStream))
        ++m_kinds;
    return true;
}

} // namespace bulkhead
