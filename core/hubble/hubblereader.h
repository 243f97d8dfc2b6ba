#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bulkhead {

class HubbleTable;
class ProgressSink;

// What one flow file held (`hubble observe -o json|jsonpb` output or a Cilium flow-export file).
struct HubbleStats
{
    std::string file;
    uint64_t lines = 0;  // non-empty lines
    uint64_t events = 0; // L3/L4 flow events with ports, FORWARDED or DROPPED: read as evidence
    uint64_t otherVerdicts = 0; // AUDIT, TRACED, TRANSLATED, ERROR, ...: counted, not evidence
    uint64_t l7Events = 0;      // L7 events: counted, not needed (their L3/L4 flow is reported too)
    uint64_t withoutPorts = 0;  // ICMP, non-IP or flows without an L4 header: counted
    uint64_t nonFlowLines = 0;  // node_status, lost_events and other responses without a flow
    bool truncatedLastLine = false; // the file ended in the middle of a line: ignored, reported
    std::vector<std::string> warnings;
};

// Reads one flow file into `table`, events tagged with `fileIndex`. One JSON object a line, either
// `{"flow": {...}, "node_name": ..., "time": ...}` or a bare flow object. A line that is not valid
// JSON or holds impossible values (an address, a port) stops the read with an Error naming the
// file and line, except an unfinished last line (a file still being written or cut short), which
// is ignored and reported in the stats. See docs/hubble.md.
Expected<HubbleStats> readHubbleFile(const std::string &path, uint32_t fileIndex,
                                     HubbleTable &table, ProgressSink *progress = nullptr);

// Does this file look like Hubble flow lines (its first non-blank byte is '{' and its first line
// names a flow field)? For the GUI's import, which takes captures and flow files alike.
bool looksLikeHubbleFile(const std::string &path);

} // namespace bulkhead
