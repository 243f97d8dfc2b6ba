// libFuzzer target: HttpExtractor::DirectionFilter against the extractor it stands in front of.
// The input is a sequence of TCP segments between two client addresses (four client ports each)
// and one server (port 80), each: one byte (bits 0-1 the client port, bit 2 set for server ->
// client, bit 3 FIN, bit 4 RST, bit 5 the second client address), one byte of payload length, then
// that many payload bytes (fewer at the end of the input). Every segment goes, as core/capture
// does, (a) to one extractor (observeHttp), and (b) through httpWants to a second extractor, which
// gets only the segments the filter wants. The two must agree after every segment (open streams,
// directions given up, requests not kept) and on the requests at the end; otherwise the filter
// dropped a payload the extractor would have read.
#include "capture/httppackets.h"
#include "capture/packetinfo.h"
#include "l7/httpextractor.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <tuple>
#include <vector>

namespace {

constexpr uint8_t kFin = 0x01, kRst = 0x04, kAck = 0x10;

bool same(const bulkhead::HttpExtractor &a, const bulkhead::HttpExtractor &b)
{
    return a.openStreams() == b.openStreams() && a.droppedStreams() == b.droppedStreams()
           && a.requestsNotKept() == b.requestsNotKept();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bulkhead::IpAddress clients[2]
        = {*bulkhead::IpAddress::parse("10.0.0.1"), *bulkhead::IpAddress::parse("10.0.0.3")};
    static const bulkhead::IpAddress server = *bulkhead::IpAddress::parse("10.0.0.2");
    bulkhead::HttpExtractor all, behind;
    bulkhead::HttpExtractor::DirectionFilter filter;
    size_t at = 0;
    while (at + 2 <= size) {
        const uint8_t head = data[at];
        const size_t length = std::min<size_t>(data[at + 1], size - at - 2);
        // A copy of exactly the payload: reads past it are caught by ASan.
        const std::vector<uint8_t> payload(data + at + 2, data + at + 2 + length);
        at += 2 + length;

        const uint16_t clientPort = uint16_t(40000 + (head & 3));
        const bool fromServer = head & 4;
        const bulkhead::IpAddress &client = clients[(head >> 5) & 1];
        bulkhead::PacketInfo p;
        p.protocol = bulkhead::Protocol::TCP;
        p.src = fromServer ? server : client;
        p.dst = fromServer ? client : server;
        p.sport = fromServer ? 80 : clientPort;
        p.dport = fromServer ? clientPort : 80;
        p.tcpFlags = uint8_t(kAck | (head & 8 ? kFin : 0) | (head & 16 ? kRst : 0));
        p.payload = payload.empty() ? nullptr : payload.data();
        p.payloadLength = uint32_t(payload.size());
        if (!bulkhead::carriesHttp(p))
            continue;
        bulkhead::observeHttp(all, p);
        if (bulkhead::httpWants(filter, p))
            bulkhead::observeHttp(behind, p);
        if (!same(all, behind))
            __builtin_trap();
    }
    if (all.requests() != behind.requests())
        __builtin_trap();
    // The TLS ClientHellos noted (the filter hands them over too).
    const auto tlsOf = [](const bulkhead::HttpExtractor &x) {
        std::set<std::tuple<bulkhead::IpAddress, bulkhead::IpAddress, uint16_t>> out;
        x.forEachTls([&](const bulkhead::IpAddress &c, const bulkhead::IpAddress &s,
                         uint16_t port) { out.emplace(c, s, port); });
        return out;
    };
    if (tlsOf(all) != tlsOf(behind))
        __builtin_trap();
    return 0;
}
