#pragma once

#include "util/ipaddress.h"

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bulkhead {

struct PacketInfo;

// Names learnt for addresses from the captures: DNS answers (A/AAAA, CNAME chains back to the
// name asked; UDP and TCP from port 53) and TLS ClientHello server names (TCP to 443, 6443, 8443).
// observe() only parses payloads on those ports and allocates only when it learns a new pair.
class PeerNames
{
public:
    static constexpr size_t kMaxNamesPerAddress = 16;
    static constexpr size_t kMaxAddresses = 200000;

    // Is this decoded packet one whose payload names something? Cheap: ports and length only.
    static bool interesting(const PacketInfo &packet);
    // Learns from the payload of an interesting packet (packet.payload must still be valid).
    void observe(const PacketInfo &packet);
    void add(const IpAddress &address, std::string_view name);
    void merge(const PeerNames &other);

    size_t size() const { return m_names.size(); }
    // address -> sorted names.
    std::map<IpAddress, std::vector<std::string>> byAddress() const;
    // The names asked in DNS answers that gave addresses (TLS server names are not among them).
    std::set<std::string> resolvedNames() const { return {m_resolved.begin(), m_resolved.end()}; }

private:
    std::unordered_map<IpAddress, std::vector<std::string>, IpAddressHash> m_names;
    std::set<std::string, std::less<>> m_resolved;
};

} // namespace bulkhead
