#pragma once

#include "packetbuilder.h"
#include "util/error.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace bulkhead::testing {

// Writes a capture file: classic pcap through libpcap (pcap_open_dead + pcap_dump), or pcapng
// (SHB + one IDB + EPBs) written by hand, since libpcap 1.10 cannot write pcapng.
class CaptureWriter
{
public:
    enum class Format { Pcap, Pcapng };
    CaptureWriter(const std::string &path, LinkType link, Format format = Format::Pcap);
    // Any DLT, e.g. one Bulkhead does not decode (DLT_PKTAP 258).
    CaptureWriter(const std::string &path, int dlt, Format format = Format::Pcap);
    // A pcapng with one interface per entry (DLT_ values); write to one with writeOn().
    explicit CaptureWriter(const std::string &path, const std::vector<int> &pcapngInterfaceDlts);
    ~CaptureWriter();
    CaptureWriter(const CaptureWriter &) = delete;
    CaptureWriter &operator=(const CaptureWriter &) = delete;

    bool isOpen() const;
    // timeUs: microseconds since the epoch. origLen > frame size writes a truncated record
    // (caplen < len), as a short snaplen would.
    void write(int64_t timeUs, const std::vector<uint8_t> &frame, uint32_t origLen = 0);
    // pcapng only: an EPB on interface `interfaceId` (index into the constructor's list).
    void writeOn(uint32_t interfaceId, int64_t timeUs, const std::vector<uint8_t> &frame,
                 uint32_t origLen = 0);
    Expected<void> close();

private:
    struct Private;
    Private *d;
};

} // namespace bulkhead::testing
