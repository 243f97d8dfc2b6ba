#include "hubble/hubbletable.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <tuple>

namespace bulkhead {
namespace {

struct ConnectionKey
{
    IpAddress a, b; // a <= b (address, then port)
    uint16_t pa = 0, pb = 0;
    Protocol protocol = Protocol::TCP;

    friend bool operator==(const ConnectionKey &, const ConnectionKey &) = default;
    template <typename H>
    friend H AbslHashValue(H h, const ConnectionKey &k)
    {
        return H::combine(std::move(h), k.a.hash(), k.b.hash(), k.pa, k.pb, uint8_t(k.protocol));
    }
};

void insertSorted(std::vector<std::string> &list, std::string_view value)
{
    if (value.empty())
        return;
    const auto it = std::lower_bound(list.begin(), list.end(), value);
    if (it == list.end() || *it != value)
        list.insert(it, std::string(value));
}

void setName(std::string &target, std::string_view value)
{
    if (target.empty() && !value.empty())
        target.assign(value);
}

} // namespace

struct HubbleTable::Private
{
    absl::flat_hash_map<ConnectionKey, size_t> index;
    std::vector<HubbleConnection> connections;
};

HubbleTable::HubbleTable()
    : d(std::make_unique<Private>())
{
}
HubbleTable::~HubbleTable() = default;
HubbleTable::HubbleTable(HubbleTable &&) noexcept = default;
HubbleTable &HubbleTable::operator=(HubbleTable &&) noexcept = default;

size_t HubbleTable::size() const
{
    return d->connections.size();
}

void HubbleTable::add(const HubbleEvent &e, uint32_t fileIndex)
{
    const bool srcFirst = std::tie(e.src, e.sport) <= std::tie(e.dst, e.dport);
    ConnectionKey key;
    key.a = srcFirst ? e.src : e.dst;
    key.b = srcFirst ? e.dst : e.src;
    key.pa = srcFirst ? e.sport : e.dport;
    key.pb = srcFirst ? e.dport : e.sport;
    key.protocol = e.protocol;
    auto [it, inserted] = d->index.try_emplace(key, d->connections.size());
    if (inserted) {
        HubbleConnection &c = d->connections.emplace_back();
        c.raw.address[0] = key.a;
        c.raw.address[1] = key.b;
        c.raw.port[0] = key.pa;
        c.raw.port[1] = key.pb;
        c.raw.protocol = e.protocol;
    }
    HubbleConnection &c = d->connections[it->second];
    RawFlow &raw = c.raw;

    // Who is the client: a SYN without ACK is sent by it; is_reply says whether the source is the
    // answering side. Without either the connection keeps what it knew.
    int clientIsSrc = -1;
    if (e.protocol == Protocol::TCP && e.syn && !e.ack)
        clientIsSrc = 1;
    else if (e.isReply >= 0)
        clientIsSrc = e.isReply ? 0 : 1;
    if (clientIsSrc >= 0 && !c.clientKnown) {
        const IpAddress &client = clientIsSrc ? e.src : e.dst;
        const uint16_t clientPort = clientIsSrc ? e.sport : e.dport;
        if (raw.address[0] != client || raw.port[0] != clientPort) { // put the client on side 0
            std::swap(raw.address[0], raw.address[1]);
            std::swap(raw.port[0], raw.port[1]);
            std::swap(raw.packets[0], raw.packets[1]);
            std::swap(c.forwardedFrom[0], c.forwardedFrom[1]);
            std::swap(c.ns[0], c.ns[1]);
            std::swap(c.pod[0], c.pod[1]);
        }
        c.clientKnown = true;
    }
    const int srcSide = (raw.address[0] == e.src && raw.port[0] == e.sport) ? 0 : 1;
    ++raw.packets[srcSide];
    raw.firstSeenUs = std::min(raw.firstSeenUs, e.timeUs);
    raw.lastSeenUs = std::max(raw.lastSeenUs, e.timeUs);
    raw.fileMask |= uint64_t(1) << std::min<uint32_t>(fileIndex, 63);
    setName(c.ns[srcSide], e.srcNs);
    setName(c.pod[srcSide], e.srcPod);
    setName(c.ns[1 - srcSide], e.dstNs);
    setName(c.pod[1 - srcSide], e.dstPod);

    if (e.verdict == HubbleEvent::Verdict::Forwarded) {
        c.forwarded = true;
        c.forwardedFrom[srcSide] = true;
    } else if (e.verdict == HubbleEvent::Verdict::Dropped) {
        c.dropped = true;
        insertSorted(c.dropReasons, e.dropReason);
        for (int i = 0; i < e.deniedCount; ++i) {
            if (e.deniedNs[i].empty()) {
                insertSorted(c.deniedBy, e.deniedName[i]);
            } else {
                std::string name;
                name.reserve(e.deniedNs[i].size() + 1 + e.deniedName[i].size());
                name.append(e.deniedNs[i]).append(1, '/').append(e.deniedName[i]);
                insertSorted(c.deniedBy, name);
            }
        }
    }
}

std::vector<HubbleConnection> HubbleTable::connections() const
{
    std::vector<HubbleConnection> out = d->connections;
    std::sort(out.begin(), out.end(), [](const HubbleConnection &x, const HubbleConnection &y) {
        return std::tie(x.raw.protocol, x.raw.address[0], x.raw.address[1], x.raw.port[0],
                        x.raw.port[1])
               < std::tie(y.raw.protocol, y.raw.address[0], y.raw.address[1], y.raw.port[0],
                          y.raw.port[1]);
    });
    return out;
}

} // namespace bulkhead
