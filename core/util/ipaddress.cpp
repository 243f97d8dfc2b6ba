#include "util/ipaddress.h"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>

namespace bulkhead {

std::optional<IpAddress> IpAddress::parse(std::string_view text)
{
    if (text.empty() || text.size() > 45)
        return std::nullopt;
    char buffer[46];
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    uint8_t raw[16];
    if (text.find(':') == std::string_view::npos) {
        if (inet_pton(AF_INET, buffer, raw) == 1)
            return fromV4(raw);
        return std::nullopt;
    }
    if (inet_pton(AF_INET6, buffer, raw) == 1)
        return fromV6(raw);
    return std::nullopt;
}

std::string IpAddress::toString() const
{
    char buffer[INET6_ADDRSTRLEN];
    if (!inet_ntop(m_v6 ? AF_INET6 : AF_INET, m_bytes.data(), buffer, sizeof buffer))
        return {};
    return buffer;
}

Cidr::Cidr(const IpAddress &address, int prefixLength)
    : m_prefix(prefixLength)
{
    std::array<uint8_t, 16> bytes = address.bytes();
    const int bits = address.bitLength();
    for (int i = 0; i < bits / 8; ++i) {
        const int keep = std::clamp(prefixLength - i * 8, 0, 8);
        bytes[i] &= static_cast<uint8_t>(0xFF00u >> keep);
    }
    m_network = address.isV6() ? IpAddress::fromV6(bytes.data()) : IpAddress::fromV4(bytes.data());
}

std::optional<Cidr> Cidr::parse(std::string_view text)
{
    const auto slash = text.find('/');
    const auto address = IpAddress::parse(text.substr(0, slash));
    if (!address)
        return std::nullopt;
    if (slash == std::string_view::npos)
        return Cidr::host(*address);
    const std::string_view digits = text.substr(slash + 1);
    int prefix = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || prefix < 0
        || prefix > address->bitLength())
        return std::nullopt;
    return Cidr(*address, prefix);
}

bool Cidr::contains(const IpAddress &address) const
{
    if (address.isV6() != m_network.isV6())
        return false;
    const auto &a = address.bytes();
    const auto &n = m_network.bytes();
    int remaining = m_prefix;
    for (int i = 0; remaining > 0; ++i, remaining -= 8) {
        const uint8_t mask = static_cast<uint8_t>(0xFF00u >> std::min(remaining, 8));
        if ((a[i] & mask) != n[i])
            return false;
    }
    return true;
}

bool Cidr::contains(const Cidr &other) const
{
    return other.m_prefix >= m_prefix && contains(other.m_network);
}

std::string Cidr::toString() const
{
    return m_network.toString() + '/' + std::to_string(m_prefix);
}

} // namespace bulkhead
