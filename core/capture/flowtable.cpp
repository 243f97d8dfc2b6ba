#include "capture/flowtable.h"

#include "capture/packetinfo.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <tuple>
#include <utility>

#include <sys/mman.h>

namespace bulkhead {

namespace {

// Bounds of the fragment bookkeeping: memory must not grow with packets.
constexpr size_t kMaxFragmentEntries = 65536;
constexpr size_t kMaxPendingFragments = 4096;
constexpr int64_t kFragmentLifetimeUs = 60 * 1000000ll; // longer than any reassembly timeout

// An address as two integers: compared and hashed inline (IpAddress's operators call memcmp,
// which showed up at 7% of an ingest profile).
struct Addr
{
    uint64_t hi = 0, lo = 0;
    explicit Addr(const IpAddress &a)
    {
        std::memcpy(&hi, a.bytes().data(), 8);
        std::memcpy(&lo, a.bytes().data() + 8, 8);
    }
    Addr() = default;
    IpAddress toIpAddress(bool v6) const
    {
        uint8_t bytes[16];
        std::memcpy(bytes, &hi, 8);
        std::memcpy(bytes + 8, &lo, 8);
        return v6 ? IpAddress::fromV6(bytes)
                  : IpAddress::fromV4(bytes); // an IPv4 address's other bytes are 0
    }
    friend bool operator==(const Addr &, const Addr &) = default;
};

// A conversation's key, the same for both directions: the (address, port) pair that sorts first
// (in any fixed order) is endpoint a.
struct FlowKey
{
    Addr a, b;
    uint16_t pa = 0, pb = 0;
    uint8_t proto = 0;
    bool v6
        = false; // keeps 10.0.0.1 and ::a00:1 apart (both addresses of a packet share the family)

    friend bool operator==(const FlowKey &x, const FlowKey &y)
    {
        return x.a == y.a && x.b == y.b && x.pa == y.pa && x.pb == y.pb && x.proto == y.proto
               && x.v6 == y.v6;
    }
    template <typename H>
    friend H AbslHashValue(H h, const FlowKey &k)
    {
        return H::combine(std::move(h), k.a.hi, k.a.lo, k.b.hi, k.b.lo,
                          uint64_t(k.pa) << 32 | uint64_t(k.pb) << 16 | uint64_t(k.proto) << 1
                              | uint64_t(k.v6));
    }
};

// srcIsA: the packet's source is endpoint a of the key.
FlowKey makeKey(const IpAddress &src, uint16_t sport, const IpAddress &dst, uint16_t dport,
                Protocol proto, bool *srcIsA = nullptr)
{
    const Addr s(src), d(dst);
    FlowKey k;
    k.proto = uint8_t(proto);
    k.v6 = src.isV6();
    const bool srcFirst = std::tie(s.hi, s.lo, sport) <= std::tie(d.hi, d.lo, dport);
    if (srcFirst) {
        k.a = s, k.pa = sport, k.b = d, k.pb = dport;
    } else {
        k.a = d, k.pa = dport, k.b = s, k.pb = sport;
    }
    if (srcIsA)
        *srcIsA = srcFirst;
    return k;
}

// A conversation's counters, stored in the hash map's slot itself next to its key: a packet
// touches one place in memory, not a slot then a vector element (the two cache misses dominated
// an ingest profile). The addresses, ports and protocol are the key's: leaving RawFlow's copies
// out makes a slot 112 bytes instead of 160 (fewer cache lines per packet, less memory).
// Sides are RawFlow's: side 0 is the sender of the conversation's first packet.
struct FlowEntry
{
    uint64_t packets[2] = {0, 0};
    uint64_t bytes[2] = {0, 0};
    int64_t firstSeenUs = std::numeric_limits<int64_t>::max();
    int64_t lastSeenUs = std::numeric_limits<int64_t>::min();
    uint64_t fileMask = 0;
    bool synFrom[2] = {false, false};
    bool synAckFrom[2] = {false, false};
    bool rstFrom[2] = {false, false};
    bool tcpAnsweredAfterSyn[2] = {false, false};
    bool unreachableTo[2] = {false, false};
    bool aIsSide0 = true; // endpoint a of the key is side 0

    RawFlow toRawFlow(const FlowKey &key) const
    {
        RawFlow f;
        const int a = aIsSide0 ? 0 : 1;
        f.address[a] = key.a.toIpAddress(key.v6);
        f.address[1 - a] = key.b.toIpAddress(key.v6);
        f.port[a] = key.pa;
        f.port[1 - a] = key.pb;
        f.protocol = Protocol(key.proto);
        for (int s = 0; s < 2; ++s) {
            f.packets[s] = packets[s];
            f.bytes[s] = bytes[s];
            f.synFrom[s] = synFrom[s];
            f.synAckFrom[s] = synAckFrom[s];
            f.rstFrom[s] = rstFrom[s];
            f.tcpAnsweredAfterSyn[s] = tcpAnsweredAfterSyn[s];
            f.unreachableTo[s] = unreachableTo[s];
        }
        f.firstSeenUs = firstSeenUs;
        f.lastSeenUs = lastSeenUs;
        f.fileMask = fileMask;
        return f;
    }
};

static_assert(sizeof(std::pair<const FlowKey, FlowEntry>) == 112,
              "a conversation's slot grew: see FlowEntry");

struct FragmentKey
{
    IpAddress src, dst;
    uint32_t id = 0;
    uint8_t proto = 0;

    friend bool operator==(const FragmentKey &, const FragmentKey &) = default;
    template <typename H>
    friend H AbslHashValue(H h, const FragmentKey &k)
    {
        return H::combine(std::move(h), k.src.hash(), k.dst.hash(), k.id, k.proto);
    }
};

struct FragmentEntry
{
    FlowKey flow; // the conversation of the first fragment
    uint8_t side = 0;
    int64_t lastUs = 0;
};

// Later fragments seen before their first fragment (senders may emit fragments in any order).
struct PendingFragments
{
    uint64_t packets = 0, bytes = 0;
    int64_t firstUs = 0, lastUs = 0;
    uint64_t fileMask = 0;
};

uint64_t fileBit(uint32_t fileIndex)
{
    return uint64_t(1) << std::min<uint32_t>(fileIndex, 63);
}

void credit(FlowEntry &f, int side, uint64_t packets, uint64_t bytes, int64_t firstUs,
            int64_t lastUs, uint64_t fileMask)
{
    f.packets[side] += packets;
    f.bytes[side] += bytes;
    f.firstSeenUs = std::min(f.firstSeenUs, firstUs);
    f.lastSeenUs = std::max(f.lastSeenUs, lastUs);
    f.fileMask |= fileMask;
}

// Turns side 0 into side 1 and back (the addresses follow aIsSide0).
void swapSides(FlowEntry &f)
{
    f.aIsSide0 = !f.aIsSide0;
    std::swap(f.packets[0], f.packets[1]);
    std::swap(f.bytes[0], f.bytes[1]);
    std::swap(f.synFrom[0], f.synFrom[1]);
    std::swap(f.synAckFrom[0], f.synAckFrom[1]);
    std::swap(f.rstFrom[0], f.rstFrom[1]);
    std::swap(f.tcpAnsweredAfterSyn[0], f.tcpAnsweredAfterSyn[1]);
    std::swap(f.unreachableTo[0], f.unreachableTo[1]);
}

// Allocates the conversation table's slot array (7 MiB at 50k conversations) in transparent huge
// pages where the kernel offers them on request: each packet lands on a random slot, and with
// 4 KiB pages the address translation missed as often as the slot itself (in a virtual machine a
// translation miss costs a two-level page walk); 2 MiB pages took 7% off a 5M-packet ingest.
// Small blocks come from the ordinary allocator.
template <typename T>
struct TableAllocator
{
    using value_type = T;
    static constexpr size_t kHugePage = size_t(2) << 20;

    TableAllocator() = default;
    template <typename U>
    TableAllocator(const TableAllocator<U> &) noexcept
    {
    }

    static bool huge(size_t n) { return n * sizeof(T) >= kHugePage; }

    T *allocate(size_t n)
    {
        if (!huge(n))
            return std::allocator<T>().allocate(n);
        const size_t bytes = (n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage;
        void *p = std::aligned_alloc(kHugePage, bytes);
        if (!p)
            throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        madvise(p, bytes,
                MADV_HUGEPAGE); // a hint: without it the table still works, on small pages
#endif
        return static_cast<T *>(p);
    }
    void deallocate(T *p, size_t n) noexcept
    {
        if (!huge(n))
            std::allocator<T>().deallocate(p, n);
        else
            std::free(p);
    }
    friend bool operator==(const TableAllocator &, const TableAllocator &)
    {
        return true;
    }
};

} // namespace

struct FlowTable::Private
{
    PeerNames names;
    HttpExtractor http;
    HttpExtractor::DirectionFilter httpFilter;
    bool httpEnabled = true;
    absl::flat_hash_map<FlowKey, FlowEntry, absl::Hash<FlowKey>, std::equal_to<FlowKey>,
                        TableAllocator<std::pair<const FlowKey, FlowEntry>>>
        conversations;
    absl::flat_hash_map<FragmentKey, FragmentEntry> fragments;
    absl::flat_hash_map<FragmentKey, PendingFragments> pending;
    uint64_t droppedOrphans = 0; // orphans no longer (or never) held in `pending`
    uint64_t pendingPackets = 0;
    uint64_t unmatchedUnreachables = 0;

    // The conversation of this key (created with the sender, src, as side 0 when new) and the
    // side the sender is on.
    std::pair<FlowEntry *, int> conversation(const FlowKey &key, bool srcIsA)
    {
        const auto [it, inserted] = conversations.try_emplace(key);
        FlowEntry &e = it->second;
        if (inserted)
            e.aIsSide0 = srcIsA;
        return {&e, srcIsA == e.aIsSide0 ? 0 : 1};
    }

    void rememberFirstFragment(const FragmentKey &key, const FlowKey &flow, int side,
                               int64_t timeUs)
    {
        if (fragments.size() >= kMaxFragmentEntries && !fragments.contains(key)) {
            absl::erase_if(fragments, [timeUs](const auto &kv) {
                return kv.second.lastUs < timeUs - kFragmentLifetimeUs;
            });
            if (fragments.size() >= kMaxFragmentEntries)
                fragments
                    .clear(); // a storm of fragmented datagrams: forget them all rather than grow
        }
        fragments[key] = FragmentEntry{flow, uint8_t(side), timeUs};
        const auto p = pending.find(key);
        if (p != pending.end()) {
            const PendingFragments &o = p->second;
            credit(conversations.find(flow)->second, side, o.packets, o.bytes, o.firstUs, o.lastUs,
                   o.fileMask);
            pendingPackets -= o.packets;
            pending.erase(p);
        }
    }

    // A packet of a conversation (not a later fragment), its key computed by the caller.
    void add(const PacketInfo &pk, const FlowKey &key, bool srcIsA, uint32_t fileIndex);

    void addLaterFragment(const PacketInfo &pk, uint32_t fileIndex)
    {
        const FragmentKey key{pk.src, pk.dst, pk.fragmentId, pk.ipProtocol};
        const auto it = fragments.find(key);
        if (it != fragments.end()) {
            it->second.lastUs = std::max(it->second.lastUs, pk.timeUs);
            credit(conversations.find(it->second.flow)->second, it->second.side, 1, pk.ipLength,
                   pk.timeUs, pk.timeUs, fileBit(fileIndex));
            return;
        }
        auto p = pending.find(key);
        if (p == pending.end()) {
            if (pending.size() >= kMaxPendingFragments) {
                ++droppedOrphans;
                return;
            }
            p = pending.emplace(key, PendingFragments{0, 0, pk.timeUs, pk.timeUs, 0}).first;
        }
        PendingFragments &o = p->second;
        ++o.packets;
        o.bytes += pk.ipLength;
        o.firstUs = std::min(o.firstUs, pk.timeUs);
        o.lastUs = std::max(o.lastUs, pk.timeUs);
        o.fileMask |= fileBit(fileIndex);
        ++pendingPackets;
    }
};

FlowTable::FlowTable()
    : d(new Private)
{
}

FlowTable::~FlowTable()
{
    delete d;
}

FlowTable::FlowTable(FlowTable &&other) noexcept
    : d(std::exchange(other.d, new Private))
{
}

FlowTable &FlowTable::operator=(FlowTable &&other) noexcept
{
    std::swap(d, other.d);
    return *this;
}

void FlowTable::prefetch(const PacketInfo &pk) const
{
    if (!pk.has(PacketInfo::NonFirstFragment))
        d->conversations.prefetch(makeKey(pk.src, pk.sport, pk.dst, pk.dport, pk.protocol));
}

void FlowTable::add(const PacketInfo &pk, uint32_t fileIndex)
{
    if (pk.has(PacketInfo::NonFirstFragment)) {
        d->addLaterFragment(pk, fileIndex);
        return;
    }
    bool srcIsA = true;
    const FlowKey key = makeKey(pk.src, pk.sport, pk.dst, pk.dport, pk.protocol, &srcIsA);
    d->add(pk, key, srcIsA, fileIndex);
}

void FlowTable::add(std::span<const PacketInfo> packets, uint32_t fileIndex)
{
    constexpr size_t kChunk = 32;
    FlowKey keys[kChunk];
    bool srcIsA[kChunk];
    while (!packets.empty()) {
        const size_t n = std::min(packets.size(), kChunk);
        for (size_t i = 0; i < n; ++i) {
            const PacketInfo &pk = packets[i];
            if (!pk.has(PacketInfo::NonFirstFragment)) {
                keys[i] = makeKey(pk.src, pk.sport, pk.dst, pk.dport, pk.protocol, &srcIsA[i]);
                d->conversations.prefetch(keys[i]);
            }
        }
        for (size_t i = 0; i < n; ++i) {
            if (packets[i].has(PacketInfo::NonFirstFragment))
                d->addLaterFragment(packets[i], fileIndex);
            else
                d->add(packets[i], keys[i], srcIsA[i], fileIndex);
        }
        packets = packets.subspan(n);
    }
}

void FlowTable::Private::add(const PacketInfo &pk, const FlowKey &key, bool srcIsA,
                             uint32_t fileIndex)
{
    const auto [flow, side] = conversation(key, srcIsA);
    FlowEntry &f = *flow;
    credit(f, side, 1, pk.ipLength, pk.timeUs, pk.timeUs, fileBit(fileIndex));

    if (pk.protocol == Protocol::TCP) {
        const uint8_t fl = pk.tcpFlags;
        const bool syn = fl & 0x02, ack = fl & 0x10, rst = fl & 0x04;
        if (syn && !ack)
            f.synFrom[side] = true;
        if (syn && ack)
            f.synAckFrom[side] = true;
        if (rst)
            f.rstFrom[side] = true;
        else if (f.synFrom[1 - side])
            f.tcpAnsweredAfterSyn[side] = true;
    }
    if (pk.has(PacketInfo::FirstFragment))
        rememberFirstFragment(FragmentKey{pk.src, pk.dst, pk.fragmentId, pk.ipProtocol}, key, side,
                              pk.timeUs);

    if (pk.has(PacketInfo::IcmpUnreachable)) {
        const QuotedTuple &q = pk.quoted;
        bool quotedSrcIsA = true;
        const auto it = conversations.find(
            makeKey(q.src, q.sport, q.dst, q.dport, q.protocol, &quotedSrcIsA));
        if (it == conversations.end()) {
            ++unmatchedUnreachables;
            return;
        }
        FlowEntry &answered = it->second;
        answered.unreachableTo[quotedSrcIsA == answered.aIsSide0 ? 0 : 1] = true;
    }
}

void FlowTable::merge(const FlowTable &other)
{
    if (&other == this)
        return;
    d->names.merge(other.d->names);
    d->http.merge(other.d->http);
    d->conversations.reserve(d->conversations.size() + other.d->conversations.size());
    for (const auto &[key, entry] : other.d->conversations) {
        const FlowEntry &o = entry;
        const auto [it, inserted] = d->conversations.try_emplace(key, entry);
        if (inserted)
            continue;
        FlowEntry &f = it->second;
        bool swapped = o.aIsSide0 != f.aIsSide0;
        // Side 0 stays the sender of the earliest packet of both tables.
        if (swapped && o.firstSeenUs < f.firstSeenUs) {
            swapSides(f);
            swapped = false;
        }
        for (int s = 0; s < 2; ++s) {
            const int t = swapped ? 1 - s : s;
            f.packets[t] += o.packets[s];
            f.bytes[t] += o.bytes[s];
            f.synFrom[t] |= o.synFrom[s];
            f.synAckFrom[t] |= o.synAckFrom[s];
            f.rstFrom[t] |= o.rstFrom[s];
            f.tcpAnsweredAfterSyn[t] |= o.tcpAnsweredAfterSyn[s];
            f.unreachableTo[t] |= o.unreachableTo[s];
        }
        f.firstSeenUs = std::min(f.firstSeenUs, o.firstSeenUs);
        f.lastSeenUs = std::max(f.lastSeenUs, o.lastSeenUs);
        f.fileMask |= o.fileMask;
    }
    d->droppedOrphans += other.orphanFragments();
    d->unmatchedUnreachables += other.d->unmatchedUnreachables;
}

size_t FlowTable::size() const
{
    return d->conversations.size();
}

uint64_t FlowTable::orphanFragments() const
{
    return d->droppedOrphans + d->pendingPackets;
}

uint64_t FlowTable::unmatchedUnreachables() const
{
    return d->unmatchedUnreachables;
}

std::vector<RawFlow> FlowTable::flows() const
{
    std::vector<RawFlow> out;
    out.reserve(d->conversations.size());
    for (const auto &[key, entry] : d->conversations)
        out.push_back(entry.toRawFlow(key));
    std::sort(out.begin(), out.end(), [](const RawFlow &x, const RawFlow &y) {
        return std::tie(x.protocol, x.address[0], x.port[0], x.address[1], x.port[1])
               < std::tie(y.protocol, y.address[0], y.port[0], y.address[1], y.port[1]);
    });
    return out;
}

void FlowTable::forEach(const std::function<void(const RawFlow &)> &visit) const
{
    for (const auto &[key, entry] : d->conversations)
        visit(entry.toRawFlow(key));
}

} // namespace bulkhead

namespace bulkhead {

PeerNames &FlowTable::names()
{
    return d->names;
}

const PeerNames &FlowTable::names() const
{
    return d->names;
}

HttpExtractor &FlowTable::http()
{
    return d->http;
}

const HttpExtractor &FlowTable::http() const
{
    return d->http;
}

HttpExtractor::DirectionFilter &FlowTable::httpFilter()
{
    return d->httpFilter;
}

bool FlowTable::httpEnabled() const
{
    return d->httpEnabled;
}

void FlowTable::setHttpEnabled(bool on)
{
    d->httpEnabled = on;
}

} // namespace bulkhead
