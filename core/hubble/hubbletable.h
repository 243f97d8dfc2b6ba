#pragma once

#include "hubble/hubbleconnection.h"

#include <memory>
#include <string_view>
#include <vector>

namespace bulkhead {

// One Hubble flow event reduced to what deduplication needs. The strings point into the reader's
// buffer and are only copied the first time a connection is seen (or when it learns a name).
struct HubbleEvent
{
    IpAddress src, dst;
    uint16_t sport = 0, dport = 0;
    Protocol protocol = Protocol::TCP;
    int64_t timeUs = 0;
    enum class Verdict : uint8_t { Forwarded, Dropped, Other } verdict = Verdict::Other;
    int isReply = -1; // -1 unknown, 0 no, 1 yes
    bool syn = false, ack = false;
    std::string_view srcNs, srcPod, dstNs, dstPod;
    std::string_view dropReason;
    std::string_view deniedNs[8], deniedName[8]; // up to 8 denying policies per event
    int deniedCount = 0;
};

// Connections keyed by their 5-tuple in either direction, across every flow file read into it.
class HubbleTable
{
public:
    HubbleTable();
    ~HubbleTable();
    HubbleTable(HubbleTable &&) noexcept;
    HubbleTable &operator=(HubbleTable &&) noexcept;

    void add(const HubbleEvent &event, uint32_t fileIndex);
    size_t size() const;
    // Every connection, in a deterministic order (protocol, addresses, ports).
    std::vector<HubbleConnection> connections() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace bulkhead
