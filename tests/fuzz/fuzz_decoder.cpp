// libFuzzer target: PacketDecoder + FlowTable on one link-type family, chosen at build time
// (BULKHEAD_FUZZ_FAMILY: 0 Ethernet/VLAN, 1 Linux SLL/SLL2, 2 raw IP, 3 BSD null/loop).
//
// Input: a sequence of records, each a 2-byte big-endian caplen, a 2-byte wire length delta and
// the captured bytes (the rest of the input when shorter). The first byte picks the DLT within
// the family. Every record is decoded and fed to one FlowTable, then the table is listed, as
// readCaptureFile and the analysis do.
#include "capture/decoder.h"
#include "capture/flowtable.h"
#include "capture/packetinfo.h"

#include <pcap/dlt.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#ifndef BULKHEAD_FUZZ_FAMILY
#error "BULKHEAD_FUZZ_FAMILY must be set"
#endif

namespace {

int pickDlt(uint8_t selector)
{
#if BULKHEAD_FUZZ_FAMILY == 0
    (void)selector;
    return DLT_EN10MB;
#elif BULKHEAD_FUZZ_FAMILY == 1
    return selector & 1 ? DLT_LINUX_SLL2 : DLT_LINUX_SLL;
#elif BULKHEAD_FUZZ_FAMILY == 2
    static const int dlts[]
        = {12 /* DLT_RAW */, 14 /* DLT_RAW, OpenBSD */, 101 /* LINKTYPE_RAW */, DLT_IPV4, DLT_IPV6};
    return dlts[selector % 5];
#else
    return selector & 1 ? 108 /* DLT_LOOP */ : DLT_NULL;
#endif
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const bulkhead::PacketDecoder decoder(pickDlt(data[0]));
    ++data;
    --size;
    bulkhead::FlowTable flows;
    bulkhead::PacketInfo info;
    std::vector<uint8_t> packet; // a copy of exactly caplen bytes, so that ASan sees every overread
    int64_t timeUs = 1'000'000;
    while (size >= 4) {
        const size_t caplen = std::min<size_t>(size_t(data[0]) << 8 | data[1], size - 4);
        const uint32_t wireLen = uint32_t(caplen) + (uint32_t(data[2]) << 8 | data[3]);
        data += 4;
        size -= 4;
        packet.assign(data, data + caplen);
        data += caplen;
        size -= caplen;
        const bulkhead::DecodeResult result = decoder.decode(
            packet.empty() ? nullptr : packet.data(), uint32_t(caplen), timeUs, info, wireLen);
        if (result == bulkhead::DecodeResult::Ok || result == bulkhead::DecodeResult::Fragment
            || result == bulkhead::DecodeResult::Icmp)
            flows.add(info, 0);
        timeUs += 1000;
    }
    // Listing the table walks every conversation, as the analysis does.
    size_t packets = 0;
    for (const bulkhead::RawFlow &f : flows.flows())
        packets += sizeof(f);
    (void)packets;
    (void)flows.orphanFragments();
    (void)flows.unmatchedUnreachables();
    return 0;
}
