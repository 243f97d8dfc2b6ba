#include "capture/capturereader.h"

#include "capture/decoder.h"
#include "capture/flowtable.h"
#include "capture/httppackets.h"
#include "capture/packetinfo.h"
#include "util/progress.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <span>
#include <stdio_ext.h>
#include <sys/stat.h>
#include <thread>

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

// Counts one decode result; true when the packet goes to the flow table.
bool count(DecodeResult result, const PacketInfo &info, CaptureStats &stats)
{
    switch (result) {
    case DecodeResult::Ok:
        ++stats.ipPackets;
        if (info.protocol == Protocol::TCP)
            ++stats.tcp;
        else if (info.protocol == Protocol::UDP)
            ++stats.udp;
        else
            ++stats.sctp;
        return true;
    case DecodeResult::Fragment:
        ++stats.ipPackets;
        ++stats.fragments;
        return true;
    case DecodeResult::Icmp:
        ++stats.ipPackets;
        ++stats.icmp;
        return true;
    case DecodeResult::OtherIp:
        ++stats.ipPackets;
        ++stats.otherIp;
        return false;
    case DecodeResult::NotIp: ++stats.nonIp; return false;
    case DecodeResult::Truncated: ++stats.truncated; return false;
    case DecodeResult::Malformed: ++stats.malformed; return false;
    case DecodeResult::UnsupportedLinkType: ++stats.unsupportedLinkType; return false;
    }
    return false;
}

// Packets the reader thread decoded, a block at a time: the PacketInfo of every packet the flow
// table takes, and a copy of the payload only where a reader of payloads (peer names, HTTP) will
// look at it; everything else stays in libpcap's buffer. The blocks are allocated once and reused.
struct DecodedBlock
{
    static constexpr size_t kPackets = 4096;
    static constexpr size_t kPayloadBytes = size_t(1) << 20;
    enum : uint8_t { Names = 1, Http = 2 };

    DecodedBlock()
        : packets(kPackets)
        , readers(kPackets)
        , payload(kPayloadBytes + 262144) // room for one more payload of libpcap's maximum
    {
    }

    std::vector<PacketInfo> packets; // the first `size` are this block's
    std::vector<uint8_t> readers;    // Names | Http per packet
    std::vector<uint8_t> payload;    // never resized, so the PacketInfo pointers into it stay valid
    size_t size = 0;
    uint64_t records = 0; // records read up to the end of this block (all of them, decoded or not)
    uint64_t filePosition = 0; // where the reader was in the file then
};

// The reader thread reads with libpcap, decodes and counts into free blocks, and queues them;
// the calling thread takes them in file order, feeds the flow table, and gives them back.
class DecodedQueue
{
public:
    static constexpr size_t kBlocks = 4;

    DecodedQueue()
    {
        for (DecodedBlock &b : m_blocks)
            m_free.push_back(&b);
    }

    // `http`: the flow table's filter when HTTP requests are extracted, else nullptr.
    void fill(pcap_t *p, const PacketDecoder &decoder, HttpExtractor::DirectionFilter *http,
              CaptureStats &stats)
    {
        int rc = 1;
        while (rc == 1) {
            DecodedBlock *block = take(m_free, m_freeReady);
            if (!block)
                break; // stopped
            block->size = 0;
            size_t used = 0;
            pcap_pkthdr *hdr = nullptr;
            const u_char *data = nullptr;
            while (block->size < DecodedBlock::kPackets && used < DecodedBlock::kPayloadBytes
                   && (rc = pcap_next_ex(p, &hdr, &data)) == 1) {
                ++stats.packets;
                stats.bytes += hdr->len;
                PacketInfo &info = block->packets[block->size];
                const int64_t timeUs = int64_t(hdr->ts.tv_sec) * 1000000 + int64_t(hdr->ts.tv_usec);
                const DecodeResult result
                    = decoder.decode(data, hdr->caplen, timeUs, info, hdr->len);
                if (!count(result, info, stats))
                    continue;
                uint8_t readers = 0;
                if (result == DecodeResult::Ok) {
                    if (PeerNames::interesting(info))
                        readers |= DecodedBlock::Names;
                    if (http && carriesHttp(info) && httpWants(*http, info))
                        readers |= DecodedBlock::Http;
                }
                if (readers && info.payload && info.payloadLength > 0) {
                    const size_t n
                        = std::min<size_t>(info.payloadLength, block->payload.size() - used);
                    std::memcpy(block->payload.data() + used, info.payload, n);
                    info.payload = block->payload.data() + used;
                    info.payloadLength = uint32_t(n);
                    used += n;
                } else {
                    info.payload = nullptr; // not valid past this call, and nobody reads it
                }
                block->readers[block->size++] = readers;
            }
            block->records = stats.packets;
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
    DecodedBlock *next()
    {
        std::unique_lock lock(m_mutex);
        m_readyReady.wait(lock, [&] { return !m_ready.empty() || m_done; });
        if (m_ready.empty())
            return nullptr;
        DecodedBlock *b = m_ready.front();
        m_ready.pop_front();
        return b;
    }
    void recycle(DecodedBlock *b) { put(m_free, m_freeReady, b); }
    void stop()
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        m_freeReady.notify_all();
    }
    int result() const { return m_result; }

private:
    DecodedBlock *take(std::deque<DecodedBlock *> &q, std::condition_variable &cv)
    {
        std::unique_lock lock(m_mutex);
        cv.wait(lock, [&] { return !q.empty() || m_stopped; });
        if (m_stopped)
            return nullptr;
        DecodedBlock *b = q.front();
        q.pop_front();
        return b;
    }
    void put(std::deque<DecodedBlock *> &q, std::condition_variable &cv, DecodedBlock *b)
    {
        std::lock_guard lock(m_mutex);
        q.push_back(b);
        cv.notify_one();
    }

    std::array<DecodedBlock, kBlocks> m_blocks;
    std::deque<DecodedBlock *> m_free, m_ready;
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

Expected<CaptureStats> readCaptureFile(const std::string &path, uint32_t fileIndex,
                                       FlowTable &flows, ProgressSink *progress,
                                       CaptureReadMode mode)
{
    CaptureStats stats;
    stats.file = path;

    FILE *fp = std::fopen(path.c_str(), "rb");
    if (!fp)
        return makeError(path, 0, std::string("cannot open the file: ") + std::strerror(errno));
    struct stat st
    {
    };
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
    const bool httpOn = flows.httpEnabled();
    int rc = 0;
    uint64_t nextReport = kProgressEvery;
    if (useReaderThread(mode)) {
        // libpcap reads and the decoder runs on a thread of their own, a block of packets at a
        // time; this one feeds the flow table, the names and the HTTP requests in file order, so
        // the results are the same as below. The reader owns `stats` until it is joined.
        DecodedQueue queue;
        HttpExtractor::DirectionFilter *filter = httpOn ? &flows.httpFilter() : nullptr;
        std::thread reader([&] { queue.fill(p, decoder, filter, stats); });
        bool cancelled = false;
        while (DecodedBlock *block = queue.next()) {
            for (size_t at = 0; at < block->size; at += kBatch) {
                const size_t n = std::min(kBatch, block->size - at);
                for (size_t i = at; i < at + n; ++i) {
                    if (block->readers[i] & DecodedBlock::Names)
                        flows.names().observe(block->packets[i]);
                    if (block->readers[i] & DecodedBlock::Http)
                        observeHttp(flows.http(), block->packets[i]);
                }
                flows.add(std::span(block->packets.data() + at, n), fileIndex);
            }
            const uint64_t records = block->records;
            const uint64_t position = block->filePosition;
            queue.recycle(block);
            if (records >= nextReport) {
                nextReport = (records / kProgressEvery + 1) * kProgressEvery;
                if (progress) {
                    if (progress->isCancelled()) {
                        cancelled = true;
                        queue.stop();
                        break;
                    }
                    progress->progress(position, fileSize);
                }
            }
        }
        reader.join();
        if (cancelled)
            return makeError(path, 0, "cancelled");
        rc = queue.result();
    } else {
        PacketInfo batch[kBatch];
        size_t batched = 0;
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
            PacketInfo &info = batch[batched];
            const DecodeResult result = decoder.decode(
                data, hdr->caplen, int64_t(hdr->ts.tv_sec) * 1000000 + int64_t(hdr->ts.tv_usec),
                info, hdr->len);
            if (!count(result, info, stats))
                continue;
            if (result == DecodeResult::Ok) {
                if (PeerNames::interesting(
                        info)) // DNS answers, TLS server names: the payload is valid now
                    flows.names().observe(info);
                // HTTP requests (core/l7); the filter is kept in step for later reads of the
                // table on a reader thread.
                if (httpOn && carriesHttp(info) && httpWants(flows.httpFilter(), info))
                    observeHttp(flows.http(), info);
            }
            if (++batched == kBatch) {
                flows.add(std::span(batch, batched), fileIndex);
                batched = 0;
            }
        }
        flows.add(std::span(batch, batched), fileIndex);
    }

    if (rc == PCAP_ERROR) {
        const std::string reason = pcap_geterr(p);
        const std::string read = plural(stats.packets, "packet");
        if (reason.find("different from the type of the first interface") != std::string::npos) {
            const std::string message = "its interfaces have different link types, which libpcap "
                                        + std::string(pcap_lib_version()) + " cannot read ("
                                        + reason + ")";
            if (stats.packets == 0)
                return makeError(path, 0, message);
            stats.warnings.push_back(path + ": " + message + "; only the first " + read
                                     + " were read");
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
                                 + " is not decoded: " + plural(stats.unsupportedLinkType, "packet")
                                 + " skipped");

    const uint64_t orphansAfter = flows.orphanFragments();
    stats.orphanFragments = orphansAfter > orphansBefore ? orphansAfter - orphansBefore : 0;
    if (progress)
        progress->progress(fileSize, fileSize);
    return stats;
}

} // namespace bulkhead
