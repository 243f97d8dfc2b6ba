#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bulkhead {

// The server name (SNI) of a TLS ClientHello at the start of a TCP payload. Only what the first
// segment holds is read: a ClientHello whose server_name extension lies beyond it gives nothing.
struct TlsServerName
{
    char name[256];
    size_t length = 0;
    std::string_view view() const { return {name, length}; }
};

// False when the payload is not a ClientHello, is malformed, or carries no host_name. Bounded by
// the payload's length; allocates nothing. The name is lower case.
bool parseTlsClientHelloSni(const uint8_t *payload, size_t length, TlsServerName &out);

} // namespace bulkhead
