#include "capture/flowtable.h"

#include "capture/packetinfo.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstring>
#include <tuple>
#include <utility>

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
    friend bool operator==(const Addr &, const Addr &) = default;
};

// A conversation's key, the same for both directions: the (address, port) pair that sorts first
// (in any fixed order) is endpoint a.
struct FlowKey
{
    Addr a, b;
    uint16_t pa = 0, pb = 0;
    uint8_t proto = 0;
    bool v6 = false; // keeps 10.0.0.1 and ::a00:1 apart (both addresses of a packet share the family)

    friend bool operator==(const FlowKey &x, const FlowKey &y)
    {
        return x.a == y.a && x.b == y.b && x.pa == y.pa && x.pb == y.pb && x.proto == y.proto && x.v6 == y.v6;
    }
    template<typename H>
    friend H AbslHashValue(H h, const FlowKey &k)
    {
        return H::combine(std::move(h), k.a.hi, k.a.lo, k.b.hi, k.b.lo,
                          uint64_t(k.pa) << 32 | uint64_t(k.pb) << 16 | uint64_t(k.proto) << 1 | uint64_t(k.v6));
    }
};

// srcIsA: the packet's source is endpoint a of the key.
FlowKey makeKey(const IpAddress &src, uint16_t sport, const IpAddress &dst, uint16_t dport, Protocol proto,
                bool *srcIsA = nullptr)
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

// A conversation, stored in the hash map's slot itself: a packet touches one place in memory,
// not a slot then a vector element (the two cache misses dominated an ingest profile).
struct FlowEntry
{
    RawFlow flow;
    bool aIsSide0 = true; // endpoint a of the key is side 0 of the flow
};

struct FragmentKey
{
    IpAddress src, dst;
    uint32_t id = 0;
    uint8_t proto = 0;

    friend bool operator==(const FragmentKey &, const FragmentKey &) = default;
    template<typename H>
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

void credit(RawFlow &f, int side, uint64_t packets, uint64_t bytes, int64_t firstUs, int64_t lastUs, uint64_t fileMask)
{
    f.packets[side] += packets;
    f.bytes[side] += bytes;
    f.firstSeenUs = std::min(f.firstSeenUs, firstUs);
    f.lastSeenUs = std::max(f.lastSeenUs, lastUs);
    f.fileMask |= fileMask;
}

void swapSides(RawFlow &f)
{
    std::swap(f.address[0], f.address[1]);
    std::swap(f.port[0], f.port[1]);
    std::swap(f.packets[0], f.packets[1]);
    std::swap(f.bytes[0], f.bytes[1]);
    std::swap(f.synFrom[0], f.synFrom[1]);
    std::swap(f.synAckFrom[0], f.synAckFrom[1]);
    std::swap(f.rstFrom[0], f.rstFrom[1]);
    std::swap(f.tcpAnsweredAfterSyn[0], f.tcpAnsweredAfterSyn[1]);
    std::swap(f.unreachableTo[0], f.unreachableTo[1]);
}

} // namespace

struct FlowTable::Private
{
    absl::flat_hash_map<FlowKey, FlowEntry> conversations;
    absl::flat_hash_map<FragmentKey, FragmentEntry> fragments;
    absl::flat_hash_map<FragmentKey, PendingFragments> pending;
    uint64_t droppedOrphans = 0; // orphans no longer (or never) held in `pending`
    uint64_t pendingPackets = 0;
    uint64_t unmatchedUnreachables = 0;

    // The conversation of this key (created with the sender, src, as side 0 when new) and the
    // side the sender is on.
    std::pair<RawFlow *, int> conversation(const FlowKey &key, bool srcIsA, const PacketInfo &pk)
    {
        const auto [it, inserted] = conversations.try_emplace(key);
        FlowEntry &e = it->second;
        if (inserted) {
            e.aIsSide0 = srcIsA;
            e.flow.address[0] = pk.src;
            e.flow.address[1] = pk.dst;
            e.flow.port[0] = pk.sport;
            e.flow.port[1] = pk.dport;
            e.flow.protocol = pk.protocol;
        }
        return {&e.flow, srcIsA == e.aIsSide0 ? 0 : 1};
    }

    void rememberFirstFragment(const FragmentKey &key, const FlowKey &flow, int side, int64_t timeUs)
    {
        if (fragments.size() >= kMaxFragmentEntries && !fragments.contains(key)) {
            absl::erase_if(fragments, [timeUs](const auto &kv) {
                return kv.second.lastUs < timeUs - kFragmentLifetimeUs;
            });
            if (fragments.size() >= kMaxFragmentEntries)
                fragments.clear(); // a storm of fragmented datagrams: forget them all rather than grow
        }
        fragments[key] = FragmentEntry{flow, uint8_t(side), timeUs};
        const auto p = pending.find(key);
        if (p != pending.end()) {
            const PendingFragments &o = p->second;
            credit(conversations.find(flow)->second.flow, side, o.packets, o.bytes, o.firstUs, o.lastUs, o.fileMask);
            pendingPackets -= o.packets;
            pending.erase(p);
        }
    }

    void addLaterFragment(const PacketInfo &pk, uint32_t fileIndex)
    {
        const FragmentKey key{pk.src, pk.dst, pk.fragmentId, pk.ipProtocol};
        const auto it = fragments.find(key);
        if (it != fragments.end()) {
            it->second.lastUs = std::max(it->second.lastUs, pk.timeUs);
            credit(conversations.find(it->second.flow)->second.flow, it->second.side, 1, pk.ipLength, pk.timeUs,
                   pk.timeUs, fileBit(fileIndex));
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
    const auto [flow, side] = d->conversation(key, srcIsA, pk);
    RawFlow &f = *flow;
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
        d->rememberFirstFragment(FragmentKey{pk.src, pk.dst, pk.fragmentId, pk.ipProtocol}, key, side, pk.timeUs);

    if (pk.has(PacketInfo::IcmpUnreachable)) {
        const QuotedTuple &q = pk.quoted;
        bool quotedSrcIsA = true;
        const auto it = d->conversations.find(makeKey(q.src, q.sport, q.dst, q.dport, q.protocol, &quotedSrcIsA));
        if (it == d->conversations.end()) {
            ++d->unmatchedUnreachables;
            return;
        }
        RawFlow &answered = it->second.flow;
        answered.unreachableTo[quotedSrcIsA == it->second.aIsSide0 ? 0 : 1] = true;
    }
}

void FlowTable::merge(const FlowTable &other)
{
    if (&other == this)
        return;
    d->conversations.reserve(d->conversations.size() + other.d->conversations.size());
    for (const auto &[key, entry] : other.d->conversations) {
        const RawFlow &o = entry.flow;
        const bool oSide0IsA = entry.aIsSide0;
        const auto [it, inserted] = d->conversations.try_emplace(key, entry);
        if (inserted)
            continue;
        RawFlow &f = it->second.flow;
        bool swapped = oSide0IsA != it->second.aIsSide0;
        // Side 0 stays the sender of the earliest packet of both tables.
        if (swapped && o.firstSeenUs < f.firstSeenUs) {
            swapSides(f);
            it->second.aIsSide0 = !it->second.aIsSide0;
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
        out.push_back(entry.flow);
    std::sort(out.begin(), out.end(), [](const RawFlow &x, const RawFlow &y) {
        return std::tie(x.protocol, x.address[0], x.port[0], x.address[1], x.port[1])
             < std::tie(y.protocol, y.address[0], y.port[0], y.address[1], y.port[1]);
    });
    return out;
}

void FlowTable::forEach(const std::function<void(const RawFlow &)> &visit) const
{
    for (const auto &[key, entry] : d->conversations)
        visit(entry.flow);
}

} // namespace bulkhead
