#pragma once

#include "util/ipaddress.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bulkhead {

// The addresses one DNS response gives for the name it was asked, following CNAME chains back to
// that name. Filled in place: no allocation.
struct DnsAnswers
{
    static constexpr int kMaxAddresses = 32;
    char name[256]; // the question's name, lower case, without the trailing dot
    size_t nameLength = 0;
    IpAddress addresses[kMaxAddresses];
    int count = 0;

    std::string_view asked() const { return {name, nameLength}; }
};

// Parses a DNS message (the UDP payload, or one TCP message without its 2-byte length). Only a
// response with one question, no error, and A/AAAA records whose owner is the question's name or
// reached from it by CNAME records gives addresses; anything else (a query, NXDOMAIN, a record for
// an unrelated name, a malformed or truncated message) gives none. Bounded work: at most 64
// records and 16 compression jumps a name are read.
bool parseDnsResponse(const uint8_t *message, size_t length, DnsAnswers &out);

} // namespace bulkhead
