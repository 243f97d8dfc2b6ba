// libFuzzer target: the HTTP/1.x request parser and the HTTP/2 frame reader with libnghttp2's
// HPACK inflater (core/l7). The first byte picks: bit 0 clear, the rest is one client stream
// (HTTP/1.x, or HTTP/2 when it starts with the preface); bit 0 set, the rest follows an HTTP/2
// preface as the payload of HEADERS frames (so that inputs reach the inflater at once, and the
// dynamic table carries over between the frames). The other bits pick the segment size. Each
// request found must have a token method and a printable path; nothing may read past its input.
#include "l7/httpextractor.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t mode = data[0];
    std::vector<uint8_t> stream;
    if (mode & 1) {
        constexpr std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        stream.assign(preface.begin(), preface.end());
        // Two HEADERS frames (END_HEADERS) splitting the input in half, on streams 1 and 3.
        const size_t half = (size - 1) / 2;
        const uint8_t *parts[2] = {data + 1, data + 1 + half};
        const size_t lengths[2] = {half, size - 1 - half};
        for (int i = 0; i < 2; ++i) {
            const size_t n = lengths[i];
            const uint8_t header[9] = {
                uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), 1, 0x4, 0, 0, 0, uint8_t(1 + 2 * i)};
            stream.insert(stream.end(), header, header + 9);
            stream.insert(stream.end(), parts[i], parts[i] + n);
        }
    } else {
        stream.assign(data + 1, data + size);
    }
    const size_t segment = size_t(1) + (mode >> 1) * 16;
    bulkhead::HttpExtractor x;
    const bulkhead::IpAddress a = *bulkhead::IpAddress::parse("10.0.0.1");
    const bulkhead::IpAddress b = *bulkhead::IpAddress::parse("10.0.0.2");
    for (size_t at = 0; at < stream.size(); at += segment) {
        // A copy of exactly the segment: reads past it are caught by ASan.
        std::vector<uint8_t> piece(stream.begin() + long(at),
                                   stream.begin() + long(std::min(stream.size(), at + segment)));
        x.feed(a, 40000, b, 80, piece.data(), piece.size());
    }
    for (const auto &[k, n] : x.requests()) {
        if (k.method.empty() || k.path.empty() || n.count == 0 || n.queries.requests > n.count
            || n.queries.samples.size() > bulkhead::HttpQueries::kMaxSamples
            || !std::is_sorted(n.queries.samples.begin(), n.queries.samples.end()))
            std::abort();
        for (char c : k.path) {
            if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
                std::abort();
        }
    }
    return 0;
}
