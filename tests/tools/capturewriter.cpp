#include "capturewriter.h"

#include <pcap/pcap.h>

#include <cstring>

namespace bulkhead::testing {

namespace {
constexpr uint32_t kSnapLen = 262144;
}

struct CaptureWriter::Private
{
    std::string path;
    Format format = Format::Pcap;
    // pcap
    pcap_t *dead = nullptr;
    pcap_dumper_t *dumper = nullptr;
    // pcapng (host byte order, as a writer on this machine would)
    FILE *file = nullptr;
    uint32_t interfaces = 0;
    std::string error;

    void writeBlock(uint32_t type, const std::vector<uint8_t> &body)
    {
        const uint32_t padded = uint32_t((body.size() + 3) / 4 * 4);
        const uint32_t total = 12 + padded;
        static const uint8_t zeros[4] = {0, 0, 0, 0};
        std::fwrite(&type, 4, 1, file);
        std::fwrite(&total, 4, 1, file);
        std::fwrite(body.data(), 1, body.size(), file);
        std::fwrite(zeros, 1, padded - body.size(), file);
        std::fwrite(&total, 4, 1, file);
    }
    template <typename T>
    static void append(std::vector<uint8_t> &v, T x)
    {
        uint8_t b[sizeof(T)];
        std::memcpy(b, &x, sizeof(T));
        v.insert(v.end(), b, b + sizeof(T));
    }

    void openPcap(int dlt)
    {
        format = Format::Pcap;
        dead = pcap_open_dead(dlt, int(kSnapLen));
        if (!dead) {
            error = "pcap_open_dead failed";
            return;
        }
        dumper = pcap_dump_open(dead, path.c_str());
        if (!dumper)
            error = pcap_geterr(dead);
    }

    void openPcapng(const std::vector<int> &dlts)
    {
        format = Format::Pcapng;
        file = std::fopen(path.c_str(), "wb");
        if (!file) {
            error = std::strerror(errno);
            return;
        }
        std::vector<uint8_t> shb;
        append<uint32_t>(shb, 0x1A2B3C4Du); // byte-order magic
        append<uint16_t>(shb, 1);           // major
        append<uint16_t>(shb, 0);           // minor
        append<int64_t>(shb, -1);           // section length unknown
        writeBlock(0x0A0D0D0Au, shb);
        for (int dlt : dlts) {
            std::vector<uint8_t> idb;
            append<uint16_t>(idb, uint16_t(linkTypeOfDlt(dlt)));
            append<uint16_t>(idb, 0);
            append<uint32_t>(idb, kSnapLen);
            // No if_tsresol option: the default resolution is microseconds.
            writeBlock(1, idb);
        }
        interfaces = uint32_t(dlts.size());
    }
};

CaptureWriter::CaptureWriter(const std::string &path, LinkType link, Format format)
    : CaptureWriter(path, dltOf(link), format)
{
}

CaptureWriter::CaptureWriter(const std::string &path, int dlt, Format format)
    : d(new Private)
{
    d->path = path;
    if (format == Format::Pcap)
        d->openPcap(dlt);
    else
        d->openPcapng({dlt});
}

CaptureWriter::CaptureWriter(const std::string &path, const std::vector<int> &pcapngInterfaceDlts)
    : d(new Private)
{
    d->path = path;
    d->openPcapng(pcapngInterfaceDlts);
}

CaptureWriter::~CaptureWriter()
{
    (void)close();
    delete d;
}

bool CaptureWriter::isOpen() const
{
    return d->dumper || d->file;
}

void CaptureWriter::write(int64_t timeUs, const std::vector<uint8_t> &frame, uint32_t origLen)
{
    if (d->dumper) {
        pcap_pkthdr h{};
        h.ts.tv_sec = time_t(timeUs / 1000000);
        h.ts.tv_usec = suseconds_t(timeUs % 1000000);
        h.caplen = uint32_t(frame.size());
        h.len = origLen > frame.size() ? origLen : uint32_t(frame.size());
        pcap_dump(reinterpret_cast<u_char *>(d->dumper), &h, frame.data());
        return;
    }
    writeOn(0, timeUs, frame, origLen);
}

void CaptureWriter::writeOn(uint32_t interfaceId, int64_t timeUs, const std::vector<uint8_t> &frame,
                            uint32_t origLen)
{
    if (!d->file || interfaceId >= d->interfaces)
        return;
    std::vector<uint8_t> epb;
    epb.reserve(20 + frame.size());
    const uint64_t ts = uint64_t(timeUs);
    Private::append<uint32_t>(epb, interfaceId);
    Private::append<uint32_t>(epb, uint32_t(ts >> 32));
    Private::append<uint32_t>(epb, uint32_t(ts));
    Private::append<uint32_t>(epb, uint32_t(frame.size()));
    Private::append<uint32_t>(epb, origLen > frame.size() ? origLen : uint32_t(frame.size()));
    epb.insert(epb.end(), frame.begin(), frame.end());
    d->writeBlock(6, epb);
}

Expected<void> CaptureWriter::close()
{
    std::string error = d->error;
    if (d->dumper) {
        if (pcap_dump_flush(d->dumper) != 0 && error.empty())
            error = "cannot write the capture";
        pcap_dump_close(d->dumper);
        d->dumper = nullptr;
    }
    if (d->dead) {
        pcap_close(d->dead);
        d->dead = nullptr;
    }
    if (d->file) {
        const bool bad = std::ferror(d->file) != 0;
        if (std::fclose(d->file) != 0 || bad)
            if (error.empty())
                error = "cannot write the capture";
        d->file = nullptr;
    }
    d->error.clear();
    if (!error.empty())
        return makeError(d->path, 0, error);
    return {};
}

} // namespace bulkhead::testing
