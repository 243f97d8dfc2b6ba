// libFuzzer target: the DNS answer and TLS ClientHello parsers that give external peers their
// names, and the Hubble flow-line reader. The first byte picks: 0 DNS (UDP payload), 1 DNS over TCP
// (with its 2-byte length, through PeerNames), 2 TLS ClientHello, 3 Hubble lines (written to a
// temporary file, read with readHubbleFile). Each must stay within its input and never crash.
#include "capture/dnsparser.h"
#include "capture/packetinfo.h"
#include "capture/peernames.h"
#include "capture/tlsparser.h"
#include "hubble/hubblereader.h"
#include "hubble/hubbletable.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t mode = data[0] % 4;
    // A copy of exactly the payload: reads past it are caught by ASan.
    std::vector<uint8_t> payload(data + 1, data + size);
    switch (mode) {
    case 0: {
        bulkhead::DnsAnswers answers;
        if (bulkhead::parseDnsResponse(payload.data(), payload.size(), answers)
            && answers.nameLength > 255)
            std::abort();
        break;
    }
    case 1:
    case 2: {
        bulkhead::PacketInfo info;
        info.protocol = bulkhead::Protocol::TCP;
        info.sport = mode == 1 ? 53 : 40000;
        info.dport = mode == 1 ? 40000 : 443;
        info.payload = payload.data();
        info.payloadLength = uint32_t(payload.size());
        bulkhead::PeerNames names;
        if (bulkhead::PeerNames::interesting(info))
            names.observe(info);
        bulkhead::TlsServerName sni;
        if (bulkhead::parseTlsClientHelloSni(payload.data(), payload.size(), sni)
            && sni.length > 253)
            std::abort();
        break;
    }
    default: {
        char path[] = "/tmp/fuzz_hubble_XXXXXX";
        const int fd = mkstemp(path);
        if (fd < 0)
            return 0;
        if (write(fd, payload.data(), payload.size()) != ssize_t(payload.size())) {
            close(fd);
            unlink(path);
            return 0;
        }
        close(fd);
        bulkhead::HubbleTable table;
        (void)bulkhead::readHubbleFile(path, 0, table);
        (void)table.connections();
        unlink(path);
        break;
    }
    }
    return 0;
}
