#include "l7messages.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <stdexcept>

namespace bulkhead::testing {
namespace {

void appendFrame(std::vector<uint8_t> &out, uint8_t type, uint8_t flags, uint32_t stream,
                 const uint8_t *payload, size_t length)
{
    out.push_back(static_cast<uint8_t>(length >> 16));
    out.push_back(static_cast<uint8_t>(length >> 8));
    out.push_back(static_cast<uint8_t>(length));
    out.push_back(type);
    out.push_back(flags);
    out.push_back(static_cast<uint8_t>(stream >> 24 & 0x7f));
    out.push_back(static_cast<uint8_t>(stream >> 16));
    out.push_back(static_cast<uint8_t>(stream >> 8));
    out.push_back(static_cast<uint8_t>(stream));
    out.insert(out.end(), payload, payload + length);
}

nghttp2_nv nv(const std::string &name, const std::string &value)
{
    return nghttp2_nv{reinterpret_cast<uint8_t *>(const_cast<char *>(name.data())),
                      reinterpret_cast<uint8_t *>(const_cast<char *>(value.data())), name.size(),
                      value.size(), NGHTTP2_NV_FLAG_NONE};
}

} // namespace

std::vector<uint8_t> bytes(const std::string &text)
{
    return {text.begin(), text.end()};
}

H2Client::H2Client()
{
    nghttp2_hd_deflater *d = nullptr;
    if (nghttp2_hd_deflate_new(&d, 4096) != 0)
        throw std::runtime_error("nghttp2_hd_deflate_new failed");
    m_deflater = d;
}

H2Client::~H2Client()
{
    nghttp2_hd_deflate_del(static_cast<nghttp2_hd_deflater *>(m_deflater));
}

std::vector<uint8_t> H2Client::preface() const
{
    std::vector<uint8_t> out = bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    appendFrame(out, 4, 0, 0, nullptr, 0); // SETTINGS, empty
    return out;
}

std::vector<uint8_t> H2Client::request(const H2Request &r)
{
    const std::string scheme = "http";
    std::vector<std::string> names{":method", ":scheme", ":path", ":authority"};
    std::vector<std::string> values{r.method, scheme, r.path, r.authority};
    if (r.grpc) {
        names.insert(names.end(), {"content-type", "te", "user-agent"});
        values.insert(values.end(), {"application/grpc", "trailers", "grpc-c++/1.51.1"});
    } else {
        names.emplace_back("user-agent");
        values.emplace_back("bulkhead-test/1");
    }
    std::vector<nghttp2_nv> nva;
    for (size_t i = 0; i < names.size(); ++i)
        nva.push_back(nv(names[i], values[i]));
    auto *d = static_cast<nghttp2_hd_deflater *>(m_deflater);
    std::vector<uint8_t> block(nghttp2_hd_deflate_bound(d, nva.data(), nva.size()));
    const ssize_t n = nghttp2_hd_deflate_hd(d, block.data(), block.size(), nva.data(), nva.size());
    if (n < 0)
        throw std::runtime_error("nghttp2_hd_deflate_hd failed");
    m_lastBlock = static_cast<size_t>(n);
    std::vector<uint8_t> out;
    const bool body = r.grpc || !r.body.empty();
    appendFrame(out, 1, body ? 0x4 : 0x5, m_stream, block.data(),
                static_cast<size_t>(n)); // END_HEADERS (+ END_STREAM)
    if (body) {
        // gRPC: a 5-byte message prefix (not compressed, the length) before the body. Sized once
        // and filled (an insert after the prefix made GCC 12 warn wrongly).
        const size_t prefix = r.grpc ? 5 : 0;
        std::vector<uint8_t> data(prefix + r.body.size());
        if (r.grpc) {
            const uint32_t len = static_cast<uint32_t>(r.body.size());
            data[1] = static_cast<uint8_t>(len >> 24);
            data[2] = static_cast<uint8_t>(len >> 16);
            data[3] = static_cast<uint8_t>(len >> 8);
            data[4] = static_cast<uint8_t>(len);
        }
        std::copy(r.body.begin(), r.body.end(), data.begin() + static_cast<long>(prefix));
        appendFrame(out, 0, 0x1, m_stream, data.data(), data.size()); // DATA, END_STREAM
    }
    m_stream += 2;
    return out;
}

} // namespace bulkhead::testing
