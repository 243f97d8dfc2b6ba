#include "capture/tlsparser.h"

namespace bulkhead {
namespace {

uint16_t rd16(const uint8_t *p)
{
    return uint16_t(p[0] << 8 | p[1]);
}

} // namespace

bool parseTlsClientHelloSni(const uint8_t *p, size_t len, TlsServerName &out)
{
    out.length = 0;
    // TLS record: type 22 (handshake), version 3.x, length.
    if (len < 5 || p[0] != 22 || p[1] != 3)
        return false;
    size_t end = 5 + size_t(rd16(p + 3));
    if (end > len)
        end = len; // the rest of the record is in later segments
    size_t pos = 5;
    // Handshake: type 1 (ClientHello), 3-byte length.
    if (pos + 4 > end || p[pos] != 1)
        return false;
    pos += 4;
    pos += 2 + 32; // client_version, random
    if (pos + 1 > end)
        return false;
    pos += 1 + p[pos]; // session_id
    if (pos + 2 > end)
        return false;
    pos += 2 + rd16(p + pos); // cipher_suites
    if (pos + 1 > end)
        return false;
    pos += 1 + p[pos]; // compression_methods
    if (pos + 2 > end)
        return false;
    size_t extEnd = pos + 2 + rd16(p + pos);
    pos += 2;
    if (extEnd > end)
        extEnd = end;
    while (pos + 4 <= extEnd) {
        const uint16_t type = rd16(p + pos), extLen = rd16(p + pos + 2);
        pos += 4;
        if (type != 0) {
            pos += extLen;
            continue;
        }
        // server_name: list length, then entries (type 0 = host_name, 2-byte length, name).
        if (pos + extLen > extEnd || extLen < 5)
            return false;
        size_t e = pos + 2;
        const size_t listEnd = pos + extLen;
        while (e + 3 <= listEnd) {
            const uint8_t nameType = p[e];
            const uint16_t nameLen = rd16(p + e + 1);
            e += 3;
            if (e + nameLen > listEnd)
                return false;
            if (nameType == 0) {
                if (nameLen == 0 || nameLen > 253)
                    return false;
                for (size_t i = 0; i < nameLen; ++i) {
                    char c = char(p[e + i]);
                    if (c >= 'A' && c <= 'Z')
                        c = char(c - 'A' + 'a');
                    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                          || c == '_'))
                        return false;
                    out.name[i] = c;
                }
                out.length = nameLen;
                if (out.name[out.length - 1] == '.')
                    --out.length;
                return out.length > 0;
            }
            e += nameLen;
        }
        return false;
    }
    return false;
}

} // namespace bulkhead
