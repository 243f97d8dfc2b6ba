#include "capture/livecapture.h"

#include "capture/decoder.h"
#include "capture/flowtable.h"
#include "capture/packetinfo.h"

#include <pcap/pcap.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace bulkhead {

Expected<std::vector<CaptureInterface>> listCaptureInterfaces()
{
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_if_t *all = nullptr;
    if (pcap_findalldevs(&all, errbuf) != 0)
        return makeError("", 0, std::string("cannot list network interfaces: ") + errbuf);
    std::vector<CaptureInterface> result;
    for (pcap_if_t *dev = all; dev; dev = dev->next) {
        CaptureInterface iface;
        iface.name = dev->name ? dev->name : "";
        iface.description = dev->description ? dev->description : "";
        iface.loopback = (dev->flags & PCAP_IF_LOOPBACK) != 0;
        iface.up = (dev->flags & PCAP_IF_UP) != 0;
        result.push_back(std::move(iface));
    }
    pcap_freealldevs(all);
    return result;
}

Expected<void> checkCaptureFilter(const std::string &filter, int linkType)
{
    if (filter.empty())
        return {};
    pcap_t *dead = pcap_open_dead(linkType, 262144);
    if (!dead)
        return makeError("", 0, "libpcap could not open a handle to check the filter");
    bpf_program program{};
    const int rc = pcap_compile(dead, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN);
    std::string reason = rc == 0 ? std::string() : std::string(pcap_geterr(dead));
    if (rc == 0)
        pcap_freecode(&program);
    pcap_close(dead);
    if (rc != 0)
        return makeError("", 0, "the capture filter \"" + filter + "\" is not valid: " + reason);
    return {};
}

std::string capturePermissionHelp(const std::string &program)
{
    return "Capturing packets needs the CAP_NET_RAW capability, which " + program
           + " does not have. Grant it once to the program (not to a user, and without running it "
             "as root): sudo setcap cap_net_raw,cap_net_admin=eip "
           + program + " — or capture with tcpdump and open the file.";
}

struct LiveCapture::Private
{
    LiveCaptureOptions options;
    pcap_t *handle = nullptr;
    pcap_dumper_t *dumper = nullptr;
    std::unique_ptr<PacketDecoder> decoder;
    std::thread worker;
    std::atomic<bool> stopRequested{false};
    std::atomic<bool> running{false};
    std::atomic<bool> flushRequested{false};
    mutable std::mutex mutex; // guards table, stats, failure
    FlowTable table;
    LiveCaptureStats stats;
    std::optional<Error> failure;
    PacketInfo info; // reused: nothing allocated per packet

    static void onPacket(u_char *user, const pcap_pkthdr *hdr, const u_char *data)
    {
        auto *self = reinterpret_cast<Private *>(user);
        self->packet(hdr, data);
    }

    void packet(const pcap_pkthdr *hdr, const u_char *data)
    {
        if (dumper)
            pcap_dump(reinterpret_cast<u_char *>(dumper), hdr, data);
        const int64_t timeUs = int64_t(hdr->ts.tv_sec) * 1000000 + int64_t(hdr->ts.tv_usec);
        const DecodeResult result = decoder->decode(data, hdr->caplen, timeUs, info, hdr->len);
        std::lock_guard lock(mutex);
        ++stats.packets;
        stats.bytes += hdr->len;
        if (result == DecodeResult::Ok || result == DecodeResult::Fragment
            || result == DecodeResult::Icmp) {
            ++stats.decoded;
            table.add(info, 0);
        } else {
            ++stats.skipped;
        }
        if (options.maxPackets != 0 && stats.packets >= options.maxPackets) {
            stopRequested = true;
            pcap_breakloop(handle);
        }
    }

    void run()
    {
        while (!stopRequested.load()) {
            const int rc
                = pcap_dispatch(handle, 256, &Private::onPacket, reinterpret_cast<u_char *>(this));
            if (dumper && flushRequested.exchange(false))
                pcap_dump_flush(dumper);
            if (rc == PCAP_ERROR_BREAK)
                break;
            if (rc == PCAP_ERROR) {
                std::lock_guard lock(mutex);
                failure = Error{options.interfaceName, 0,
                                std::string("capture failed: ") + pcap_geterr(handle)};
                break;
            }
        }
        pcap_stat ps{};
        if (pcap_stats(handle, &ps) == 0) {
            std::lock_guard lock(mutex);
            stats.dropped = uint64_t(ps.ps_drop) + uint64_t(ps.ps_ifdrop);
        }
        running = false;
    }

    void close()
    {
        if (dumper) {
            pcap_dump_flush(dumper);
            pcap_dump_close(dumper);
            dumper = nullptr;
        }
        if (handle) {
            pcap_close(handle);
            handle = nullptr;
        }
    }
};

LiveCapture::LiveCapture(LiveCaptureOptions options)
    : d(std::make_unique<Private>())
{
    d->options = std::move(options);
}

LiveCapture::~LiveCapture()
{
    stop();
}

Expected<void> LiveCapture::start()
{
    if (d->handle)
        return makeError(d->options.interfaceName, 0, "the capture is already running");
    const std::string &name = d->options.interfaceName;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t *p = pcap_create(name.c_str(), errbuf);
    if (!p)
        return makeError(name, 0, std::string("cannot capture on this interface: ") + errbuf);
    const auto fail = [&](const std::string &message) {
        pcap_close(p);
        return makeError(name, 0, message);
    };
    pcap_set_snaplen(p, d->options.snapLength);
    pcap_set_timeout(p, d->options.timeoutMs);
    pcap_set_immediate_mode(p, 1);
    const int rc = pcap_activate(p);
    if (rc == PCAP_ERROR_PERM_DENIED
        || (rc < 0 && (errno == EPERM || std::strstr(pcap_geterr(p), "ermission") != nullptr)))
        return fail(capturePermissionHelp(d->options.program));
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
        return fail("there is no interface named \"" + name + "\"");
    if (rc < 0)
        return fail(std::string("cannot capture on this interface: ") + pcap_geterr(p));
    if (!d->options.filter.empty()) {
        bpf_program program{};
        if (pcap_compile(p, &program, d->options.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
            return fail("the capture filter \"" + d->options.filter
                        + "\" is not valid: " + pcap_geterr(p));
        const int set = pcap_setfilter(p, &program);
        pcap_freecode(&program);
        if (set != 0)
            return fail(std::string("cannot apply the capture filter: ") + pcap_geterr(p));
    }
    const int dlt = pcap_datalink(p);
    if (!PacketDecoder::isSupportedLinkType(dlt))
        return fail("the interface's link type " + PacketDecoder::linkTypeLabel(dlt)
                    + " is not one Bulkhead decodes");
    if (!d->options.writePath.empty()) {
        // Captured traffic is the user's alone (payloads, credentials): mode 0600 whatever the
        // umask, also when an older file of that name was wider (libpcap's own open gives 0666
        // narrowed by the umask).
        const int fd = ::open(d->options.writePath.c_str(),
                              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        FILE *file = nullptr;
        if (fd >= 0 && ::fchmod(fd, 0600) == 0)
            file = ::fdopen(fd, "wb");
        if (!file) {
            const std::string reason = std::strerror(errno);
            if (fd >= 0)
                ::close(fd);
            pcap_close(p);
            return makeError(d->options.writePath, 0, "cannot write the capture: " + reason);
        }
        d->dumper = pcap_dump_fopen(p, file); // owns the FILE from here
        if (!d->dumper) {
            const std::string reason = pcap_geterr(p);
            std::fclose(file);
            pcap_close(p);
            return makeError(d->options.writePath, 0, "cannot write the capture: " + reason);
        }
    }
    d->handle = p;
    d->decoder = std::make_unique<PacketDecoder>(dlt);
    d->stopRequested = false;
    d->running = true;
    d->worker = std::thread([this] { d->run(); });
    return {};
}

void LiveCapture::stop()
{
    if (!d->handle)
        return;
    d->stopRequested = true;
    pcap_breakloop(d->handle);
    if (d->worker.joinable())
        d->worker.join();
    d->close();
}

void LiveCapture::requestFlush()
{
    d->flushRequested = true;
}

bool LiveCapture::isRunning() const
{
    return d->running.load();
}

std::optional<Error> LiveCapture::failure() const
{
    std::lock_guard lock(d->mutex);
    return d->failure;
}

int LiveCapture::linkType() const
{
    return d->decoder ? d->decoder->dlt() : -1;
}

LiveCaptureStats LiveCapture::stats() const
{
    std::lock_guard lock(d->mutex);
    return d->stats;
}

std::vector<RawFlow> LiveCapture::flows() const
{
    std::lock_guard lock(d->mutex);
    return d->table.flows();
}

size_t LiveCapture::flowCount() const
{
    std::lock_guard lock(d->mutex);
    return d->table.size();
}

} // namespace bulkhead
