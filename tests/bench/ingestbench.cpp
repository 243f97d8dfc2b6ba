// Ingest throughput: readCaptureFile into a FlowTable against a bare pcap_next_ex loop over the
// same file, side by side in one run (README "Performance": at least 70%).
// Usage: bulkhead-ingestbench [packets (default 2000000)] [file (default: a temporary file, removed
// after)]
#include "capture/capturereader.h"
#include "capture/flowtable.h"
#include "capturewriter.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A realistic mix: 2000 TCP conversations (handshake then data both ways), DNS over UDP, some IPv6.
bool writeCapture(const std::string &path, uint64_t packets)
{
    CaptureWriter w(path, LinkType::Ethernet);
    if (!w.isOpen())
        return false;
    PacketBuilder b(LinkType::Ethernet);
    const uint8_t base4[4] = {10, 244, 0, 0};
    const uint8_t base6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    std::vector<std::vector<uint8_t>> frames;
    for (int conv = 0; conv < 2000; ++conv) {
        uint8_t c4[4], s4[4];
        std::memcpy(c4, base4, 4);
        std::memcpy(s4, base4, 4);
        c4[2] = uint8_t(1 + conv % 50), c4[3] = uint8_t(conv / 50 + 1);
        s4[2] = 200, s4[3] = uint8_t(conv % 20 + 1);
        uint8_t c6[16], s6[16];
        std::memcpy(c6, base6, 16);
        std::memcpy(s6, base6, 16);
        c6[15] = uint8_t(conv), c6[14] = uint8_t(conv >> 8), s6[15] = 0xfe;
        const bool v6 = conv % 10 == 0;
        const IpAddress c = v6 ? IpAddress::fromV6(c6) : IpAddress::fromV4(c4);
        const IpAddress s = v6 ? IpAddress::fromV6(s6) : IpAddress::fromV4(s4);
        const uint16_t port = uint16_t(30000 + conv);
        if (conv % 4 == 3) {
            frames.push_back(b.udp(c, port, s, 53, 40));
            frames.push_back(b.udp(s, 53, c, port, 120));
        } else {
            frames.push_back(b.tcp(c, port, s, 8080, tcp::SYN));
            frames.push_back(b.tcp(s, 8080, c, port, tcp::SYN | tcp::ACK));
            frames.push_back(b.tcp(c, port, s, 8080, tcp::ACK | tcp::PSH, 300));
            frames.push_back(b.tcp(s, 8080, c, port, tcp::ACK | tcp::PSH, 1200));
        }
    }
    for (uint64_t i = 0; i < packets; ++i)
        w.write(1700000000000000ll + int64_t(i) * 10, frames[i % frames.size()]);
    return w.close().has_value();
}

} // namespace

int main(int argc, char **argv)
{
    const uint64_t packets = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
    const std::string path
        = argc > 2
              ? argv[2]
              : (std::filesystem::temp_directory_path() / "bulkhead-ingestbench.pcap").string();
    // An existing file given on the command line is reused as is (to profile the reading alone).
    const bool reuse = argc > 2 && std::filesystem::exists(path);
    if (!reuse && !writeCapture(path, packets)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
    }
    const double mb = double(std::filesystem::file_size(path)) / 1e6;
    std::printf("capture: %s, %llu packets, %.1f MB\n", path.c_str(), (unsigned long long)packets,
                mb);

    double bare = 1e9, ingest = 1e9;
    for (int round = 0; round < 3;
         ++round) { // best of three, alternating, so the page cache is warm for both
        {
            const auto t0 = std::chrono::steady_clock::now();
            char err[PCAP_ERRBUF_SIZE];
            pcap_t *p = pcap_open_offline(path.c_str(), err);
            if (!p) {
                std::fprintf(stderr, "%s\n", err);
                return 1;
            }
            pcap_pkthdr *h;
            const u_char *d;
            uint64_t n = 0, bytes = 0;
            while (pcap_next_ex(p, &h, &d) == 1) {
                ++n;
                bytes += h->caplen;
            }
            pcap_close(p);
            bare = std::min(bare, seconds(t0));
            if (n != packets)
                std::fprintf(stderr, "bare loop read %llu packets\n", (unsigned long long)n);
        }
        {
            const auto t0 = std::chrono::steady_clock::now();
            FlowTable table;
            const auto r = readCaptureFile(path, 0, table);
            ingest = std::min(ingest, seconds(t0));
            if (!r) {
                std::fprintf(stderr, "%s\n", r.error().toString().c_str());
                return 1;
            }
            if (round == 0)
                std::printf("ingest: %llu packets, %zu conversations\n",
                            (unsigned long long)r->packets, table.size());
        }
    }
    std::printf("bare pcap_next_ex loop: %.3f s, %.2f Mpackets/s\n", bare,
                double(packets) / bare / 1e6);
    std::printf("readCaptureFile+FlowTable: %.3f s, %.2f Mpackets/s\n", ingest,
                double(packets) / ingest / 1e6);
    std::printf("ingest throughput / bare throughput: %.0f%%\n", 100.0 * bare / ingest);
    if (argc <= 2)
        std::filesystem::remove(path);
    return 0;
}
