#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace bulkhead {

// An IPv4 or IPv6 address held by value (17 bytes, no allocation). IPv4 addresses keep their four
// bytes at the front of the array; the family flag keeps 10.0.0.1 and ::a00:1 apart.
class IpAddress
{
public:
    IpAddress() = default;

    static IpAddress fromV4(const uint8_t *bytes)
    {
        IpAddress a;
        std::memcpy(a.m_bytes.data(), bytes, 4);
        a.m_v6 = false;
        return a;
    }
    static IpAddress fromV6(const uint8_t *bytes)
    {
        IpAddress a;
        std::memcpy(a.m_bytes.data(), bytes, 16);
        a.m_v6 = true;
        return a;
    }
    static std::optional<IpAddress> parse(std::string_view text);

    bool isV6() const { return m_v6; }
    int bitLength() const { return m_v6 ? 128 : 32; }
    const std::array<uint8_t, 16> &bytes() const { return m_bytes; }
    std::string toString() const;

    friend bool operator==(const IpAddress &, const IpAddress &) = default;
    friend auto operator<=>(const IpAddress &a, const IpAddress &b)
    {
        if (a.m_v6 != b.m_v6)
            return a.m_v6 <=> b.m_v6; // IPv4 sorts first
        return a.m_bytes <=> b.m_bytes;
    }

    size_t hash() const
    {
        uint64_t lo, hi;
        std::memcpy(&lo, m_bytes.data(), 8);
        std::memcpy(&hi, m_bytes.data() + 8, 8);
        uint64_t h
            = lo * 0x9E3779B97F4A7C15ull ^ (hi + 0x632BE59BD9B4E019ull + (lo << 6) + (lo >> 2));
        return static_cast<size_t>(h ^ (m_v6 ? 0x5bd1e995u : 0u));
    }

private:
    std::array<uint8_t, 16> m_bytes{};
    bool m_v6 = false;
};

struct IpAddressHash
{
    size_t operator()(const IpAddress &a) const { return a.hash(); }
};

// A network prefix such as 10.244.0.0/16 or fd00::/64. The address is stored masked.
class Cidr
{
public:
    Cidr() = default;
    Cidr(const IpAddress &address, int prefixLength);
    static std::optional<Cidr> parse(std::string_view text);
    static Cidr host(const IpAddress &address) { return Cidr(address, address.bitLength()); }

    const IpAddress &network() const { return m_network; }
    int prefixLength() const { return m_prefix; }
    bool contains(const IpAddress &address) const;
    bool contains(const Cidr &other) const; // other is equal to or inside this
    std::string toString() const;

    friend bool operator==(const Cidr &, const Cidr &) = default;
    friend auto operator<=>(const Cidr &, const Cidr &) = default;

private:
    IpAddress m_network;
    int m_prefix = 0;
};

} // namespace bulkhead

template <>
struct std::hash<bulkhead::IpAddress>
{
    size_t operator()(const bulkhead::IpAddress &a) const { return a.hash(); }
};
