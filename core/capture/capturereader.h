#pragma once

#include "util/error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bulkhead {

class FlowTable;
class ProgressSink;

// What reading one capture file found. Counted, never fatal: truncated and malformed packets,
// unknown link types, non-IP frames.
struct CaptureStats
{
    std::string file;
    std::vector<std::string> linkTypes; // libpcap names, e.g. "EN10MB", "LINUX_SLL2"
    uint64_t packets = 0;               // records read
    uint64_t bytes = 0;                 // original (wire) lengths
    uint64_t ipPackets = 0;
    uint64_t tcp = 0, udp = 0, sctp = 0, icmp = 0, otherIp = 0;
    uint64_t nonIp = 0;               // ARP, LLDP, ...
    uint64_t truncated = 0;           // cut short before the transport ports
    uint64_t malformed = 0;           // impossible header values
    uint64_t unsupportedLinkType = 0; // packets of a link type Bulkhead does not decode
    uint64_t fragments = 0;           // IPv4/IPv6 fragments after the first
    uint64_t orphanFragments = 0;     // later fragments whose first fragment was not seen
    std::vector<std::string> warnings;

    void merge(const CaptureStats &other);
};

// How one file is read: with a second core, libpcap reads on a thread of its own while this one
// decodes (the same results, in the same order); Auto takes it when the machine has two cores.
enum class CaptureReadMode { Auto, OneThread, ReaderThread };

// Reads one pcap or pcapng file with libpcap into the flow table. A file that is not a capture
// (or that libpcap refuses) is an Error naming the file with libpcap's reason. A file cut off
// mid-record yields the packets before the cut and a warning. Cancelled = an Error "cancelled".
Expected<CaptureStats> readCaptureFile(const std::string &path, uint32_t fileIndex,
                                       FlowTable &flows, ProgressSink *progress = nullptr,
                                       CaptureReadMode mode = CaptureReadMode::Auto);

} // namespace bulkhead
