#include "capture/httppackets.h"

#include "capture/packetinfo.h"
#include "l7/httpextractor.h"

namespace bulkhead {
namespace {

constexpr uint8_t kFin = 0x01, kRst = 0x04;

} // namespace

bool carriesHttp(const PacketInfo &p)
{
    return p.protocol == Protocol::TCP
           && ((p.payloadLength > 0 && p.payload) || (p.tcpFlags & (kFin | kRst)));
}

void observeHttp(HttpExtractor &http, const PacketInfo &p)
{
    if (p.payloadLength > 0 && p.payload)
        http.feed(p.src, p.sport, p.dst, p.dport, p.payload, p.payloadLength);
    if (p.tcpFlags & (kFin | kRst))
        http.endConnection(p.src, p.sport, p.dst, p.dport);
}

bool httpWants(HttpExtractor::DirectionFilter &filter, const PacketInfo &p)
{
    bool wants = p.payloadLength > 0 && p.payload
                 && filter.wants(p.src, p.sport, p.dst, p.dport, p.payload, p.payloadLength);
    if (p.tcpFlags & (kFin | kRst))
        wants = filter.ends(p.src, p.sport, p.dst, p.dport) || wants;
    return wants;
}

} // namespace bulkhead
