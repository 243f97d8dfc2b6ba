#pragma once

namespace bulkhead {

class HttpExtractor;
struct PacketInfo;

// What the capture readers hand to the HTTP extractor (core/l7): a TCP packet with payload
// (packet.payload must still be valid), or a FIN or RST, whose connection's state is forgotten
// then, in both directions.
bool carriesHttp(const PacketInfo &packet);
void observeHttp(HttpExtractor &http, const PacketInfo &packet);

} // namespace bulkhead
