#include "analysis/edge.h"

#include <algorithm>
#include <tuple>

namespace bulkhead {

void Evidence::merge(const Evidence &other)
{
    flows += other.flows;
    packets += other.packets;
    bytes += other.bytes;
    firstSeenUs = std::min(firstSeenUs, other.firstSeenUs);
    lastSeenUs = std::max(lastSeenUs, other.lastSeenUs);
    std::vector<uint32_t> merged;
    std::set_union(files.begin(), files.end(), other.files.begin(), other.files.end(),
                   std::back_inserter(merged));
    files = std::move(merged);
}

std::string portLabel(const Edge &edge)
{
    return std::string(protocolName(edge.protocol)) + '/' + std::to_string(edge.port);
}

std::string_view flowStateName(FlowState state)
{
    switch (state) {
    case FlowState::Established: return "established";
    case FlowState::Refused: return "refused";
    case FlowState::Unanswered: return "unanswered";
    case FlowState::Dropped: return "dropped";
    }
    return "?";
}

bool edgeLess(const Edge &a, const Edge &b)
{
    return std::tie(a.from, a.to, a.protocol, a.port) < std::tie(b.from, b.to, b.protocol, b.port);
}

} // namespace bulkhead
