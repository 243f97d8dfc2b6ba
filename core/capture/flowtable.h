#pragma once

#include "capture/peernames.h"
#include "capture/rawflow.h"
#include "l7/httpextractor.h"

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace bulkhead {

struct PacketInfo;

// Aggregates decoded packets into conversations keyed by their 5-tuple (either direction).
// Memory grows with conversations, never with packets; add() allocates nothing once a
// conversation exists.
class FlowTable
{
public:
    FlowTable();
    ~FlowTable();
    FlowTable(FlowTable &&) noexcept;
    FlowTable &operator=(FlowTable &&) noexcept;

    void add(const PacketInfo &packet, uint32_t fileIndex);
    // Adds packets in order, the same as add() on each: computes every packet's key once
    // and starts loading all their conversations into the cache before crediting the first, so
    // the cache misses overlap. Readers pass a few dozen decoded packets at a time.
    void add(std::span<const PacketInfo> packets, uint32_t fileIndex);
    // A hint that `packet` will be added soon: starts loading its conversation's slot
    // into the cache, so that a reader can overlap the memory access with the next packet's read.
    void prefetch(const PacketInfo &packet) const;
    // Merges another table (e.g. one filled by a parallel reader of another file).
    void merge(const FlowTable &other);

    size_t size() const;
    // Names learnt from DNS answers and TLS server names in the same captures; readers
    // feed it at decode time (PeerNames::interesting), merge() merges it.
    PeerNames &names();
    const PeerNames &names() const;
    // HTTP requests in the same captures (core/l7); readers feed it at decode time when
    // httpEnabled(), merge() merges it.
    HttpExtractor &http();
    const HttpExtractor &http() const;
    // The directions http() follows, for a reader that decodes on another thread than the one
    // that feeds http() (httpWants, core/capture/httppackets.h); only that thread may use it.
    HttpExtractor::DirectionFilter &httpFilter();
    bool httpEnabled() const;
    void setHttpEnabled(bool on);
    // Non-first fragments whose first fragment was never seen (or was forgotten).
    uint64_t orphanFragments() const;
    // ICMP/ICMPv6 unreachables whose quoted 5-tuple matched no conversation.
    uint64_t unmatchedUnreachables() const;
    // Every conversation, in a deterministic order (by protocol, addresses, ports).
    std::vector<RawFlow> flows() const;
    // Every conversation, in no particular order.
    void forEach(const std::function<void(const RawFlow &)> &visit) const;

private:
    struct Private;
    Private *d;
};

} // namespace bulkhead
