#include "capture/capturereader.h"

#include "capture/decoder.h"
#include "capture/flowtable.h"
#include "capture/packetinfo.h"
#include "util/progress.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <stdio_ext.h>
#include <sys/stat.h>

namespace bulkhead {

namespace {

constexpr uint64_t kProgressEvery = 65536; // packets between progress reports and cancel checks
constexpr size_t kReadBuffer = 256 * 1024; // stdio's default 4 KiB reads cost measurably
constexpr size_t kBatch = 32;              // decoded packets handed to the flow table at once

std::string plural(uint64_t n, const char *word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Owns the pcap_t (which owns the FILE once pcap_fopen_offline succeeded).
struct PcapHandle
{
    pcap_t *p = nullptr;
    ~PcapHandle()
    {
        if (p)
            pcap_close(p);
    }
};

bool useReaderThread(CaptureReadMode mode)
{
    if (mode == CaptureReadMode::Auto)
        return std::thread::hardware_concurrency() >= 2;
    return mode == CaptureReadMode::ReaderThread;
}

// Packets copied out of libpcap's buffer, a block at a time (no allocation per packet: the blocks
// are reused).
struct PacketBlock
{
    struct Record
    {
        uint32_t offset, caplen, len;
        int64_t timeUs;
    };
    std::vector<u_char> bytes;
    std::vector<Record> records;
    uint64_t filePosition = 0;
};

// The reader thread fills free blocks and queues them; the decoding thread takes them in order
// and gives them back.
class PacketQueue
{
public:
    static constexpr size_t kBlocks = 4;
    static constexpr size_t kBlockBytes = size_t(1) << 20;
    static constexpr size_t kBlockPackets = 4096;

    PacketQueue()
    {
        for (PacketBlock &b : m_blocks) {
            b.bytes.resize(kBlockBytes + 262144); // room for one more packet of libpcap's maximum
            b.records.reserve(kBlockPackets);
            m_free.push_back(&b);
        }
    }

    void fill(pcap_t *p)
    {
        int rc = 1;
        while (rc == 1) {
            PacketBlock *block = take(m_free, m_freeReady);
            if (!block)
                break; // stopped
            block->records.clear();
            size_t used = 0;
            pcap_pkthdr *hdr = nullptr;
            const u_char *data = nullptr;
            while (block->records.size() < kBlockPackets && used < kBlockBytes
                   && (rc = pcap_next_ex(p, &hdr, &data)) == 1) {
                const uint32_t caplen = std::min<uint32_t>(hdr->caplen, uint32_t(block->bytes.size() - used));
                std::memcpy(block->bytes.data() + used, data, caplen);
                block->records.push_back({uint32_t(used), caplen, hdr->len,
                                          int64_t(hdr->ts.tv_sec) * 1000000 + int64_t(hdr->ts.tv_usec)});
                used += caplen;
            }
            const long pos = std::ftell(pcap_file(p));
            block->filePosition = pos > 0 ? uint64_t(pos) : 0;
            put(m_ready, m_readyReady, block);
        }
        std::lock_guard lock(m_mutex);
        m_result = rc;
        m_done = true;
        m_readyReady.notify_all();
    }

    // The next block in file order; nullptr at the end.
    PacketBlock *next()
    {
        std::unique_lock lock(m_mutex);
        m_readyReady.wait(lock, [&] { return !m_ready.empty() || m_done; });
        if (m_ready.empty())
            return nullptr;
        PacketBlock *b = m_ready.front();
        m_ready.pop_front();
        return b;
    }
    void recycle(PacketBlock *b) { put(m_free, m_freeReady, b); }
    void stop()
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        m_freeReady.notify_all();
    }
    int result() const { return m_result; }

private:
    PacketBlock *take(std::deque<PacketBlock *> &q, std::condition_variable &cv)
    {
        std::unique_lock lock(m_mutex);
        cv.wait(lock, [&] { return !q.empty() || m_stopped; });
        if (m_stopped)
            return nullptr;
        PacketBlock *b = q.front();
        q.pop_front();
        return b;
    }
    void put(std::deque<PacketBlock *> &q, std::condition_variable &cv, PacketBlock *b)
    {
        std::lock_guard lock(m_mutex);
        q.push_back(b);
        cv.notify_one();
    }

    std::array<PacketBlock, kBlocks> m_blocks;
    std::deque<PacketBlock *> m_free, m_ready;
    std::mutex m_mutex;
    std::condition_variable m_freeReady, m_readyReady;
    bool m_done = false, m_stopped = false;
    int m_result = 0;
};

} // namespace

void CaptureStats::merge(const CaptureStats &o)
{
    if (file.empty())
        file = o.file;
    else if (!o.file.empty() && o.file != file)
        file += ", " + o.file;
    for (const std::string &t : o.linkTypes)
        if (std::find(linkTypes.begin(), linkTypes.end(), t) == linkTypes.end())
            linkTypes.push_back(t);
    std::sort(linkTypes.begin(), linkTypes.end());
    packets += o.packets;
    bytes += o.bytes;
    ipPackets += o.ipPackets;
    tcp += o.tcp;
    udp += o.udp;
    sctp += o.sctp;
    icmp += o.icmp;
    otherIp += o.otherIp;
    nonIp += o.nonIp;
    truncated += o.truncated;
    malformed += o.malformed;
    unsupportedLinkType += o.unsupportedLinkType;
    fragments += o.fragments;
    orphanFragments += o.orphanFragments;
    warnings.insert(warnings.end(), o.warnings.begin(), o.warnings.end());
}

Expected<CaptureStats> readCaptureFile(const std::string &path, uint32_t fileIndex, FlowTable &flows,
                                       ProgressSink *progress, CaptureReadMode mode)
{
    CaptureStats stats;
    stats.file = path;

    FILE *fp = std::fopen(path.c_str(), "rb");
    if (!fp)
        return makeError(path, 0, std::string("cannot open the file: ") + std::strerror(errno));
    struct stat st{};
    const uint64_t fileSize = fstat(fileno(fp), &st) == 0 ? uint64_t(st.st_size) : 0;
    if (S_ISDIR(st.st_mode)) {
        std::fclose(fp);
        return makeError(path, 0, "is a folder, not a capture file");
    }
    std::setvbuf(fp, nullptr, _IOFBF, kReadBuffer);
    // Only this thread reads the FILE: libpcap's two fread() calls per packet need not lock it
    // (atomic operations once the process has several threads, e.g. files read in parallel).
    __fsetlocking(fp, FSETLOCKING_BYCALLER);

    char errbuf[PCAP_ERRBUF_SIZE] = {};
    PcapHandle handle;
    handle.p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!handle.p) {
        std::fclose(fp); // libpcap leaves the FILE to us when it fails
        return makeError(path, 0, std::string("not a capture file libpcap can read: ") + errbuf);
    }
    pcap_t *p = handle.p;

    // libpcap 1.10 gives one link type per handle: a pcapng whose interfaces differ fails on
    // the first block of another type (handled below), so one decoder serves the whole file.
    const int dlt = pcap_datalink(p);
    const PacketDecoder decoder(dlt);
    {
        const std::string name = PacketDecoder::linkTypeName(dlt);
        stats.linkTypes.push_back(name.empty() ? std::to_string(dlt) : name);
    }
    const uint64_t orphansBefore = flows.orphanFragments();

    // Decoded packets go to the table a batch at a time, so that it can overlap their cache misses.
    PacketInfo batch[kBatch];
    size_t batched = 0;
    const bool httpOn = flows.httpEnabled();
    auto onPacket = [&](const u_char *data, uint32_t caplen, uint32_t len, int64_t timeUs) {
        PacketInfo &info = batch[batched];
        bool tracked = true;
        switch (decoder.decode(data, caplen, timeUs, info, len)) {
        case DecodeResult::Ok:
            ++stats.ipPackets;
            if (info.protocol == Protocol::TCP)
                ++stats.tcp;
            else if (info.protocol == Protocol::UDP)
                ++stats.udp;
            else
                ++stats.sctp;
            if (PeerNames::interesting(info)) // DNS answers, TLS server names: the payload is valid now
                flows.names().observe(info);
            if (httpOn && HttpExtractor::interesting(info)) // HTTP requests (core/l7)
                flows.http().observe(info);
            break;
        case DecodeResult::Fragment:
            ++stats.ipPackets;
            ++stats.fragments;
            break;
        case DecodeResult::Icmp:
            ++stats.ipPackets;
            ++stats.icmp;
            break;
        case DecodeResult::OtherIp:
            ++stats.ipPackets;
            ++stats.otherIp;
            tracked = false;
            break;
        case DecodeResult::NotIp:
            ++stats.nonIp;
            tracked = false;
            break;
        case DecodeResult::Truncated:
            ++stats.truncated;
            tracked = false;
            break;
        case DecodeResult::Malformed:
            ++stats.malformed;
            tracked = false;
            break;
        case DecodeResult::UnsupportedLinkType:
            ++stats.unsupportedLinkType;
            tracked = false;
            break;
        }
        if (tracked && ++batched == kBatch) {
            flows.add(std::span(batch, batched), fileIndex);
            batched = 0;
        }
    };

    int rc = 0;
    uint64_t nextReport = kProgressEvery;
    if (useReaderThread(mode)) {
        // libpcap reads on its own thread into a few reusable blocks; this one decodes them in
        // file order, so the results are the same as below.
        PacketQueue queue;
        std::thread reader([&] { queue.fill(p); });
        bool cancelled = false;
        while (PacketBlock *block = queue.next()) {
            for (const PacketBlock::Record &r : block->records) {
                ++stats.packets;
                stats.bytes += r.len;
                if (stats.packets == nextReport) {
                    nextReport += kProgressEvery;
                    if (progress) {
                        if (progress->isCancelled()) {
                            cancelled = true;
                            break;
                        }
                        progress->progress(block->filePosition, fileSize);
                    }
                }
                onPacket(block->bytes.data() + r.offset, r.caplen, r.len, r.timeUs);
            }
            queue.recycle(block);
            if (cancelled) {
                queue.stop();
                break;
            }
        }
        reader.join();
        if (cancelled)
            return makeError(path, 0, "cancelled");
        rc = queue.result();
    } else {
        pcap_pkthdr *hdr = nullptr;
        const u_char *data = nullptr;
        while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
            ++stats.packets;
            stats.bytes += hdr->len;
            if (stats.packets == nextReport) {
                nextReport += kProgressEvery;
                if (progress) {
                    if (progress->isCancelled())
                        return makeError(path, 0, "cancelled");
                    const long pos = std::ftell(pcap_file(p));
                    progress->progress(pos > 0 ? uint64_t(pos) : 0, fileSize);
                }
            }
            onPacket(data, hdr->caplen, hdr->len,
                   int64_t(hdr->ts.tv_sec) * 1000000 + int64_t(hdr->ts.tv_usec));
        }
    }
    flows.add(std::span(batch, batched), fileIndex);

    if (rc == PCAP_ERROR) {
        const std::string reason = pcap_geterr(p);
        const std::string read = plural(stats.packets, "packet");
        if (reason.find("different from the type of the first interface") != std::string::npos) {
            const std::string message = "its interfaces have different link types, which libpcap "
                                        + std::string(pcap_lib_version()) + " cannot read (" + reason + ")";
            if (stats.packets == 0)
                return makeError(path, 0, message);
            stats.warnings.push_back(path + ": " + message + "; only the first " + read + " were read");
        } else if (reason.find("truncated") != std::string::npos) {
            stats.warnings.push_back(path + ": the file is cut off mid-record; kept the " + read
                                     + " before the cut (" + reason + ")");
        } else {
            if (stats.packets == 0)
                return makeError(path, 0, "cannot read the capture: " + reason);
            stats.warnings.push_back(path + ": reading stopped after " + read + ": " + reason);
        }
    }

    if (!decoder.isSupported())
        stats.warnings.push_back(path + ": link type " + PacketDecoder::linkTypeLabel(dlt)
                                 + " is not decoded: " + plural(stats.unsupportedLinkType, "packet") + " skipped");

    const uint64_t orphansAfter = flows.orphanFragments();
    stats.orphanFragments = orphansAfter > orphansBefore ? orphansAfter - orphansBefore : 0;
    if (progress)
        progress->progress(fileSize, fileSize);
    return stats;
}

} // namespace bulkhead
