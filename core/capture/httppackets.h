#pragma once

#include "l7/httpextractor.h"

namespace bulkhead {

struct PacketInfo;

// What the capture readers hand to the HTTP extractor (core/l7): a TCP packet with payload
// (packet.payload must still be valid), or a FIN or RST, whose connection's state is forgotten
// then, in both directions.
bool carriesHttp(const PacketInfo &packet);
void observeHttp(HttpExtractor &http, const PacketInfo &packet);
// For a packet that carriesHttp: would the extractor the filter follows (FlowTable keeps them
// together) read it? Where packets are decoded on one thread and extracted on another, those it
// would not read need not be handed over. Call for every such packet, in order.
bool httpWants(HttpExtractor::DirectionFilter &filter, const PacketInfo &packet);

} // namespace bulkhead
