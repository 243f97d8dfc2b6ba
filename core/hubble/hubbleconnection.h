#pragma once

#include "capture/rawflow.h"

#include <string>
#include <vector>

namespace bulkhead {

// One connection as Hubble flow events describe it, after deduplication: every event of the
// connection (SYN, SYN-ACK, ACKs, seen at both ends as EGRESS and INGRESS) lands here once.
// raw.address[0] is the client when clientKnown (a SYN without ACK, or an event with is_reply);
// otherwise side 0 is the lower address and attribution decides by the declared ports.
struct HubbleConnection
{
    RawFlow raw; // packets[i] = events sent by side i; bytes stay 0 (Hubble has none)
    bool clientKnown = false;
    std::string ns[2];                      // namespace of side i when an event named its pod
    std::string pod[2];                     // pod name of side i, "" when no event named one
    bool forwarded = false;                 // at least one FORWARDED event
    bool forwardedFrom[2] = {false, false}; // a FORWARDED event sent by side i
    bool dropped = false;                   // at least one DROPPED event
    std::vector<std::string> dropReasons;   // drop_reason_desc values, sorted, unique
    std::vector<std::string> deniedBy; // "ns/name" (or "name") of denying policies, sorted, unique
};

} // namespace bulkhead
