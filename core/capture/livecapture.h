#pragma once

#include "capture/rawflow.h"
#include "util/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bulkhead {

// A network interface libpcap can capture on (pcap_findalldevs).
struct CaptureInterface
{
    std::string name;        // "eth0", "lo", "any"
    std::string description; // libpcap's description, may be empty
    bool loopback = false;
    bool up = false;
};

// Every interface libpcap lists, in its order. An empty list is not an error (no permission to
// see devices, or none); a libpcap failure is.
Expected<std::vector<CaptureInterface>> listCaptureInterfaces();

// Checks a BPF filter without any privilege: pcap_compile on a pcap_open_dead handle of link
// type `linkType` (DLT_EN10MB by default). An empty filter is valid. The error quotes libpcap's
// reason ("syntax error", "unknown host 'x'").
Expected<void> checkCaptureFilter(const std::string &filter, int linkType = 1);

// The message for a capture that lacks CAP_NET_RAW: what is missing and how to grant it to
// `program` (sudo setcap cap_net_raw,cap_net_admin=eip PROGRAM); never "run as root".
std::string capturePermissionHelp(const std::string &program);

struct LiveCaptureOptions
{
    std::string interfaceName;
    std::string filter; // BPF; empty: everything
    int snapLength = 262144;
    int timeoutMs = 100;     // how often the worker wakes to see stop() (immediate mode is on)
    uint64_t maxPackets = 0; // stop after this many packets (0: no limit)
    std::string writePath;   // also write every packet to this pcap file (empty: none)
    std::string program = "bulkhead"; // named in the permission message
};

struct LiveCaptureStats
{
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t decoded = 0; // TCP/UDP/SCTP/ICMP packets that entered the flow table
    uint64_t skipped = 0; // not IP, truncated, malformed, other IP protocols
    uint64_t dropped = 0; // pcap_stats ps_drop + ps_ifdrop, when the handle tells
};

// A live capture (docs/semantics.md "Captures"): opens the interface with pcap_create,
// pcap_set_snaplen, pcap_set_timeout, pcap_set_immediate_mode and pcap_activate, applies the
// filter, then runs pcap_dispatch on a worker thread, decoding each packet with PacketDecoder
// into a FlowTable (and pcap_dump when writePath is set). Without permission
// (PCAP_ERROR_PERM_DENIED, EPERM) start() returns an Error whose message is
// capturePermissionHelp().
class LiveCapture
{
public:
    explicit LiveCapture(LiveCaptureOptions options);
    ~LiveCapture(); // stops and joins the worker
    LiveCapture(const LiveCapture &) = delete;
    LiveCapture &operator=(const LiveCapture &) = delete;

    Expected<void> start();
    // Stops the worker (pcap_breakloop), joins it, flushes and closes the dump file. Idempotent.
    void stop();
    // Asks the worker to flush the pcap file being written (done after its current batch), so
    // that a reader sees every packet so far as whole records.
    void requestFlush();
    // Whether the worker still runs (false once maxPackets was reached or an error stopped it).
    bool isRunning() const;
    // An error that stopped the worker (pcap_dispatch failed, the dump could not be written).
    std::optional<Error> failure() const;

    int linkType() const;
    LiveCaptureStats stats() const;
    // The conversations so far, in FlowTable order (thread-safe: a snapshot under a lock).
    std::vector<RawFlow> flows() const;
    size_t flowCount() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace bulkhead
