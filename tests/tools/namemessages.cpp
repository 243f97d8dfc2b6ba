#include "namemessages.h"

#include <algorithm>

namespace bulkhead::testing {
namespace {

void put16(std::vector<uint8_t> &out, uint16_t v)
{
    out.push_back(uint8_t(v >> 8));
    out.push_back(uint8_t(v));
}

void putName(std::vector<uint8_t> &out, const std::string &name)
{
    size_t start = 0;
    while (start < name.size()) {
        size_t dot = name.find('.', start);
        if (dot == std::string::npos)
            dot = name.size();
        out.push_back(uint8_t(dot - start));
        out.insert(out.end(), name.begin() + long(start), name.begin() + long(dot));
        start = dot + 1;
    }
    out.push_back(0);
}

} // namespace

std::vector<uint8_t> dnsResponse(uint16_t id, const std::string &asked, uint16_t qtype,
                                 const std::vector<DnsRecord> &answers, bool compress,
                                 uint8_t rcode)
{
    std::vector<uint8_t> m;
    put16(m, id);
    put16(m, uint16_t(0x8180 | (rcode & 0xF))); // QR, RD, RA
    put16(m, 1);
    put16(m, uint16_t(answers.size()));
    put16(m, 0);
    put16(m, 0);
    putName(m, asked);
    put16(m, qtype);
    put16(m, 1);
    for (const DnsRecord &r : answers) {
        if (compress && r.owner == asked)
            put16(m, 0xC00C);
        else
            putName(m, r.owner);
        put16(m, r.type);
        put16(m, 1);
        put16(m, 0);
        put16(m, 300); // TTL
        std::vector<uint8_t> data;
        if (r.type == 5)
            putName(data, r.cname);
        else if (r.type == 1)
            data.assign(r.address.bytes().begin(), r.address.bytes().begin() + 4);
        else
            data.assign(r.address.bytes().begin(), r.address.bytes().end());
        put16(m, uint16_t(data.size()));
        m.insert(m.end(), data.begin(), data.end());
    }
    return m;
}

std::vector<uint8_t> withTcpLength(const std::vector<uint8_t> &message)
{
    // Sized once and filled (an insert after the two length bytes made GCC 12 warn wrongly).
    std::vector<uint8_t> out(2 + message.size());
    out[0] = static_cast<uint8_t>(message.size() >> 8);
    out[1] = static_cast<uint8_t>(message.size());
    std::copy(message.begin(), message.end(), out.begin() + 2);
    return out;
}

std::vector<uint8_t> tlsClientHello(const std::string &serverName)
{
    std::vector<uint8_t> body;
    put16(body, 0x0303);         // legacy_version TLS 1.2
    for (int i = 0; i < 32; ++i) // random
        body.push_back(uint8_t(i * 7));
    body.push_back(32); // legacy_session_id
    for (int i = 0; i < 32; ++i)
        body.push_back(uint8_t(0xA0 + i));
    const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F};
    put16(body, uint16_t(sizeof suites));
    for (uint16_t s : suites)
        put16(body, s);
    body.push_back(1); // compression methods: null
    body.push_back(0);

    std::vector<uint8_t> ext;
    put16(ext, 0x0A0A); // a GREASE extension, empty
    put16(ext, 0);
    put16(ext, 0x000A); // supported_groups
    put16(ext, 4);
    put16(ext, 2);
    put16(ext, 0x001D);
    if (!serverName.empty()) {
        put16(ext, 0x0000); // server_name
        put16(ext, uint16_t(serverName.size() + 5));
        put16(ext, uint16_t(serverName.size() + 3));
        ext.push_back(0); // host_name
        put16(ext, uint16_t(serverName.size()));
        ext.insert(ext.end(), serverName.begin(), serverName.end());
    }
    put16(ext, 0x002B); // supported_versions: TLS 1.3
    put16(ext, 3);
    ext.push_back(2);
    put16(ext, 0x0304);
    put16(body, uint16_t(ext.size()));
    body.insert(body.end(), ext.begin(), ext.end());

    std::vector<uint8_t> hs;
    hs.push_back(1); // ClientHello
    hs.push_back(uint8_t(body.size() >> 16));
    hs.push_back(uint8_t(body.size() >> 8));
    hs.push_back(uint8_t(body.size()));
    hs.insert(hs.end(), body.begin(), body.end());

    std::vector<uint8_t> record;
    record.push_back(22); // handshake
    put16(record, 0x0301);
    put16(record, uint16_t(hs.size()));
    record.insert(record.end(), hs.begin(), hs.end());
    return record;
}

} // namespace bulkhead::testing
