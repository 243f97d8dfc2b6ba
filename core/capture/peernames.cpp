#include "capture/peernames.h"

#include "capture/dnsparser.h"
#include "capture/packetinfo.h"
#include "capture/tlsparser.h"

#include <algorithm>

namespace bulkhead {
namespace {

bool isTlsPort(uint16_t port)
{
    return port == 443 || port == 6443 || port == 8443;
}

} // namespace

bool PeerNames::interesting(const PacketInfo &p)
{
    if (p.payloadLength == 0)
        return false;
    if (p.protocol == Protocol::UDP)
        return p.sport == 53;
    if (p.protocol == Protocol::TCP)
        return p.sport == 53 || isTlsPort(p.dport);
    return false;
}

void PeerNames::observe(const PacketInfo &p)
{
    if (!p.payload)
        return;
    if (p.sport == 53) {
        const uint8_t *msg = p.payload;
        size_t len = p.payloadLength;
        if (p.protocol
            == Protocol::TCP) { // one whole message with its 2-byte length in this segment
            if (len < 2)
                return;
            const size_t messageLength = size_t(msg[0]) << 8 | msg[1];
            if (messageLength + 2 > len)
                return;
            msg += 2;
            len = messageLength;
        }
        static thread_local DnsAnswers answers;
        if (parseDnsResponse(msg, len, answers)) {
            for (int i = 0; i < answers.count; ++i)
                add(answers.addresses[i], answers.asked());
            if (answers.count > 0 && m_resolved.size() < kMaxAddresses
                && !m_resolved.contains(answers.asked()))
                m_resolved.emplace(answers.asked());
        }
        return;
    }
    if (p.protocol == Protocol::TCP && isTlsPort(p.dport)) {
        TlsServerName sni;
        if (parseTlsClientHelloSni(p.payload, p.payloadLength, sni))
            add(p.dst, sni.view());
    }
}

void PeerNames::add(const IpAddress &address, std::string_view name)
{
    auto it = m_names.find(address);
    if (it == m_names.end()) {
        if (m_names.size() >= kMaxAddresses)
            return;
        it = m_names.emplace(address, std::vector<std::string>{}).first;
    }
    std::vector<std::string> &names = it->second;
    for (const std::string &n : names) {
        if (n == name)
            return;
    }
    if (names.size() < kMaxNamesPerAddress)
        names.emplace_back(name);
}

void PeerNames::merge(const PeerNames &other)
{
    m_resolved.insert(other.m_resolved.begin(), other.m_resolved.end());
    for (const auto &[address, names] : other.m_names) {
        for (const std::string &n : names)
            add(address, n);
    }
}

std::map<IpAddress, std::vector<std::string>> PeerNames::byAddress() const
{
    std::map<IpAddress, std::vector<std::string>> out;
    for (const auto &[address, names] : m_names) {
        std::vector<std::string> sorted = names;
        std::sort(sorted.begin(), sorted.end());
        out.emplace(address, std::move(sorted));
    }
    return out;
}

} // namespace bulkhead
