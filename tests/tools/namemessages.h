#pragma once

// DNS messages and TLS ClientHellos built from their definitions (RFC 1035 / 3596, RFC 8446
// section 4.1.2 and RFC 6066 section 3), for the name tests and the fuzz corpus.

#include "util/ipaddress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bulkhead::testing {

struct DnsRecord
{
    std::string owner;
    uint16_t type = 1; // 1 A, 5 CNAME, 28 AAAA
    std::string cname; // type 5
    IpAddress address; // type 1 / 28
};

// A response (QR=1, RD, RA) to one question `asked` (type A or AAAA), with these answers. Names
// after the first are written in full (no compression) unless compress: then an owner equal to
// the question is a pointer to it (offset 12).
std::vector<uint8_t> dnsResponse(uint16_t id, const std::string &asked, uint16_t qtype,
                                 const std::vector<DnsRecord> &answers, bool compress = true,
                                 uint8_t rcode = 0);
// The same message with its 2-byte length in front (DNS over TCP).
std::vector<uint8_t> withTcpLength(const std::vector<uint8_t> &message);
// A TLS 1.2-record ClientHello with a server_name extension for `serverName` (no SNI when empty),
// after a GREASE-like unknown extension; cipher suites and other extensions as a browser sends.
std::vector<uint8_t> tlsClientHello(const std::string &serverName);

} // namespace bulkhead::testing
