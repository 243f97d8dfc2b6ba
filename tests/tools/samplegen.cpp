// bulkhead-samplegen OUTDIR: writes the Online Boutique sample's captures (node1.pcapng,
// node2.pcap).
//
// The traffic is the application's real call graph (the *_ADDR variables of Google's manifests),
// between the addresses of samples/online-boutique/inventory.yaml, plus what a real capture also
// holds: DNS lookups, kubelet probes, an outside client over IPv4 and IPv6, a connection already
// open when the capture started, a refused and an unanswered attempt.
// samples/online-boutique/README.md lists every conversation. Nothing depends on the clock or the
// machine: one fixed-seed generator (std::mt19937, whose output the standard fixes) draws ports,
// sequence numbers and think times, so the same program writes the same bytes.

#include "capturewriter.h"
#include "packetbuilder.h"

#include "util/ipaddress.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using bulkhead::IpAddress;
using namespace bulkhead::testing;

constexpr int64_t kStartUs = 1793613600LL * 1000000; // 2026-11-02T10:00:00Z
constexpr int64_t kMs = 1000;
constexpr int64_t kSecond = 1000000;
constexpr int64_t kWindowUs = 20 * kSecond; // probes are scheduled within the first 20 s

IpAddress ip(const char *text)
{
    const auto address = IpAddress::parse(text);
    if (!address) {
        std::fprintf(stderr, "bulkhead-samplegen: bad address constant %s\n", text);
        std::exit(3);
    }
    return *address;
}

// The addresses of samples/online-boutique/inventory.yaml (make-inventory.py): change both
// together.
struct Addresses
{
    // Nodes (InternalIP): kubelet probes come from these.
    IpAddress node1 = ip("172.18.0.3"); // kind-worker
    IpAddress node2 = ip("172.18.0.4"); // kind-worker2
    // Pods on kind-worker (10.244.1.0/24).
    IpAddress emailservice = ip("10.244.1.2");
    IpAddress checkoutservice = ip("10.244.1.3");
    IpAddress currencyservice = ip("10.244.1.4");
    IpAddress productcatalogservice = ip("10.244.1.5");
    IpAddress cartservice1 = ip("10.244.1.6");
    IpAddress frontend1 = ip("10.244.1.10");
    IpAddress frontend1v6 = ip("fd00:10:244:1::a");
    IpAddress loadgenerator = ip("10.244.1.11");
    // Pods on kind-worker2 (10.244.2.0/24).
    IpAddress adservice = ip("10.244.2.2");
    IpAddress recommendationservice = ip("10.244.2.3");
    IpAddress paymentservice = ip("10.244.2.4");
    IpAddress shippingservice = ip("10.244.2.5");
    IpAddress redisCart = ip("10.244.2.6");
    IpAddress cartservice2 = ip("10.244.2.7");
    IpAddress frontend2 = ip("10.244.2.8");
    // Service cluster IPs.
    IpAddress kubeDnsVip = ip("10.96.0.10");
    IpAddress adserviceVip = ip("10.96.12.147");
    IpAddress cartserviceVip = ip("10.96.44.201");
    IpAddress checkoutserviceVip = ip("10.96.88.23");
    IpAddress currencyserviceVip = ip("10.96.101.5");
    IpAddress emailserviceVip = ip("10.96.143.62");
    IpAddress frontendVip = ip("10.96.201.17");
    IpAddress paymentserviceVip = ip("10.96.57.230");
    IpAddress productcatalogserviceVip = ip("10.96.130.8");
    IpAddress recommendationserviceVip = ip("10.96.166.44");
    IpAddress redisCartVip = ip("10.96.30.117");
    IpAddress shippingserviceVip = ip("10.96.77.182");
    // Not in the inventory.
    IpAddress customer = ip("203.0.113.50");   // a shopper on the internet (TEST-NET-3)
    IpAddress customerV6 = ip("2001:db8::50"); // the same over IPv6 (documentation prefix)
    IpAddress stalePod = ip("10.244.2.250");   // a cartservice pod deleted before the capture
};

// One request and its response on a TCP connection; gapUs is the idle time before the request.
struct Exchange
{
    size_t request;
    size_t response;
    int64_t gapUs = 0;
};

enum class Opening { Handshake, MidStream };
enum class Closing { Fin, StayOpen };

// One capture file being assembled: frames are collected with their times, then sorted and written,
// so conversations may be generated one after the other and still interleave as on the wire.
class Capture
{
public:
    explicit Capture(LinkType link)
        : m_link(link)
    {
    }

    LinkType link() const { return m_link; }
    void add(int64_t timeUs, std::vector<uint8_t> frame)
    {
        m_records.push_back({timeUs, m_records.size(), std::move(frame)});
    }

    bool write(const std::string &path, CaptureWriter::Format format)
    {
        std::sort(m_records.begin(), m_records.end(), [](const Record &a, const Record &b) {
            return a.timeUs != b.timeUs ? a.timeUs < b.timeUs : a.order < b.order;
        });
        CaptureWriter writer(path, m_link, format);
        if (!writer.isOpen()) {
            std::fprintf(stderr, "bulkhead-samplegen: cannot write %s\n", path.c_str());
            return false;
        }
        for (const Record &record : m_records)
            writer.write(record.timeUs, record.frame);
        if (auto closed = writer.close(); !closed) {
            std::fprintf(stderr, "bulkhead-samplegen: %s\n", closed.error().toString().c_str());
            return false;
        }
        std::printf("%s: %zu packets\n", path.c_str(), m_records.size());
        return true;
    }

private:
    struct Record
    {
        int64_t timeUs;
        size_t order;
        std::vector<uint8_t> frame;
    };
    LinkType m_link;
    std::vector<Record> m_records;
};

// Writes conversations into captures. All randomness comes from m_random, drawn in program order.
class Traffic
{
public:
    Traffic() = default;

    // A TCP connection client -> server: handshake (or none, when the capture started after it),
    // the exchanges (request, response, client ACK), and a FIN close started by the client.
    void tcp(Capture &capture, int64_t t, const IpAddress &client, const IpAddress &server,
             uint16_t serverPort, std::initializer_list<Exchange> exchanges,
             Opening opening = Opening::Handshake, Closing closing = Closing::Fin,
             LinkType link = LinkType::Ethernet)
    {
        PacketBuilder builder(link == LinkType::EthernetVlan ? link : capture.link());
        const uint16_t clientPort = ephemeralPort();
        uint32_t c = isn(), s = isn(); // next sequence number of each side
        auto segment = [&](bool fromClient, uint8_t flags, size_t length) {
            builder.setTcpSeqAck(fromClient ? c : s, fromClient ? s : c);
            capture.add(
                t, fromClient ? builder.tcp(client, clientPort, server, serverPort, flags, length)
                              : builder.tcp(server, serverPort, client, clientPort, flags, length));
            (fromClient ? c : s) += uint32_t(length) + ((flags & (tcp::SYN | tcp::FIN)) ? 1 : 0);
        };
        const int64_t hop = oneWayDelayUs(client, server);
        if (opening == Opening::Handshake) {
            segment(true, tcp::SYN, 0);
            t += hop;
            segment(false, tcp::SYN | tcp::ACK, 0);
            t += hop;
            segment(true, tcp::ACK, 0);
        }
        for (const Exchange &exchange : exchanges) {
            t += exchange.gapUs + 30;
            segment(true, tcp::PSH | tcp::ACK, exchange.request);
            t += hop + thinkTimeUs();
            segment(false, tcp::PSH | tcp::ACK, exchange.response);
            t += hop;
            segment(true, tcp::ACK, 0);
        }
        if (closing == Closing::Fin) {
            t += 200;
            segment(true, tcp::FIN | tcp::ACK, 0);
            t += hop;
            segment(false, tcp::FIN | tcp::ACK, 0);
            t += hop;
            segment(true, tcp::ACK, 0);
        }
    }

    // A SYN to a port nothing listens on, answered by RST-ACK.
    void refused(Capture &capture, int64_t t, const IpAddress &client, const IpAddress &server,
                 uint16_t serverPort)
    {
        PacketBuilder builder(capture.link());
        const uint16_t clientPort = ephemeralPort();
        const uint32_t c = isn();
        builder.setTcpSeqAck(c, 0);
        capture.add(t, builder.tcp(client, clientPort, server, serverPort, tcp::SYN));
        builder.setTcpSeqAck(0, c + 1);
        capture.add(t + oneWayDelayUs(client, server),
                    builder.tcp(server, serverPort, client, clientPort, tcp::RST | tcp::ACK));
    }

    // A SYN nobody answers, retransmitted after 1 s and 3 s as Linux does.
    void unanswered(Capture &capture, int64_t t, const IpAddress &client, const IpAddress &server,
                    uint16_t serverPort)
    {
        PacketBuilder builder(capture.link());
        const uint16_t clientPort = ephemeralPort();
        builder.setTcpSeqAck(isn(), 0);
        for (int64_t retry : {int64_t(0), 1 * kSecond, 3 * kSecond})
            capture.add(t + retry, builder.tcp(client, clientPort, server, serverPort, tcp::SYN));
    }

    // A resolver lookup of `name` (with the pod's search domains already applied): an A and an AAAA
    // query on one socket, each answered by the kube-dns service address. `exists` false answers
    // NXDOMAIN (with the zone's SOA) to both.
    void dnsLookup(Capture &capture, int64_t t, const IpAddress &client, const IpAddress &dns,
                   const std::string &name, bool exists = true)
    {
        PacketBuilder builder(capture.link());
        const uint16_t clientPort = ephemeralPort();
        const size_t query = 12 + name.size() + 2 + 4; // header, question
        const size_t soa = 12 + 2 + 10 + 50;           // authority: cluster.local SOA
        const size_t answerA = exists ? query + 16 : query + soa;
        const size_t answerAAAA = query + soa; // IPv4-only services: NOERROR, no AAAA record
        const int64_t hop = oneWayDelayUs(client, dns);
        capture.add(t, builder.udp(client, clientPort, dns, 53, query));
        capture.add(t + 5, builder.udp(client, clientPort, dns, 53, query));
        capture.add(t + 2 * hop + 90, builder.udp(dns, 53, client, clientPort, answerA));
        capture.add(t + 2 * hop + 140, builder.udp(dns, 53, client, clientPort, answerAAAA));
    }

    // Kubelet probes from the pod's own node, every periodSeconds within the window, starting at t.
    enum class Probe { Grpc, Http, TcpSocket };
    void probes(Capture &capture, int64_t t, int64_t periodUs, const IpAddress &node,
                const IpAddress &pod, uint16_t port, Probe kind)
    {
        for (; t < kStartUs + kWindowUs; t += periodUs) {
            switch (kind) {
            case Probe::Grpc: // HTTP/2 preface + SETTINGS + HEADERS/DATA of
                              // grpc.health.v1.Health/Check
                tcp(capture, t, node, pod, port, {{146, 87}, {64, 112}});
                break;
            case Probe::Http: // GET /_healthz with the readiness cookie
                tcp(capture, t, node, pod, port, {{187, 148}});
                break;
            case Probe::TcpSocket: // connect, then close
                tcp(capture, t, node, pod, port, {});
                break;
            }
        }
    }

private:
    uint16_t ephemeralPort()
    {
        for (;;) { // Linux's default ip_local_port_range, unique within the sample
            const auto port = uint16_t(32768 + m_random() % (60999 - 32768 + 1));
            if (m_usedPorts.insert(port).second)
                return port;
        }
    }
    uint32_t isn() { return uint32_t(m_random()); }
    int64_t thinkTimeUs() { return 250 + int64_t(m_random() % 2500); }
    // Same node (both in one /24 or a node and its pod) is faster than crossing nodes or the
    // internet.
    static int64_t oneWayDelayUs(const IpAddress &a, const IpAddress &b)
    {
        if (a.isV6() || b.bytes()[0] == 203 || a.bytes()[0] == 203)
            return 9000; // the outside shopper
        return a.bytes()[2] == b.bytes()[2] && a.bytes()[0] == b.bytes()[0] ? 40 : 180;
    }

    std::mt19937 m_random{20261102u};
    std::set<uint16_t> m_usedPorts;
};

constexpr int64_t at(int64_t ms)
{
    return kStartUs + ms * kMs;
}

// Node 1 (kind-worker): `tcpdump -i any` there, Linux cooked v2 framing, written as pcapng.
void node1Traffic(Traffic &traffic, Capture &capture, const Addresses &a)
{
    const std::string svc = ".boutique.svc.cluster.local";
    // loadgenerator browses the shop through the frontend Service (port 80 -> container port 8080).
    traffic.dnsLookup(capture, at(40), a.loadgenerator, a.kubeDnsVip, "frontend" + svc);
    traffic.tcp(capture, at(45), a.loadgenerator, a.frontendVip, 80,
                {{192, 1380}, {205, 1214, 400 * kMs}});
    traffic.tcp(capture, at(5200), a.loadgenerator, a.frontendVip, 80,
                {{188, 1296}, {241, 1108, 800 * kMs}});
    traffic.tcp(capture, at(12600), a.loadgenerator, a.frontendVip, 80, {{356, 1402}});
    // ... and once at a port of the second frontend pod where nothing listens: refused.
    traffic.refused(capture, at(9100), a.loadgenerator, a.frontend2, 8081);

    // frontend (first pod) resolves its backends, then calls each through its Service.
    int64_t t = 60;
    for (const char *name :
         {"productcatalogservice", "currencyservice", "cartservice", "recommendationservice",
          "shippingservice", "checkoutservice", "adservice"}) {
        traffic.dnsLookup(capture, at(t), a.frontend1, a.kubeDnsVip, name + svc);
        t += 1;
    }
    // SHOPPING_ASSISTANT_SERVICE_ADDR names a Service this deployment does not have.
    traffic.dnsLookup(capture, at(t), a.frontend1, a.kubeDnsVip, "shoppingassistantservice" + svc,
                      false);
    traffic.tcp(capture, at(75), a.frontend1, a.productcatalogserviceVip, 3550,
                {{96, 1188}, {54, 402, 3 * kMs}});
    traffic.tcp(capture, at(78), a.frontend1, a.currencyserviceVip, 7000,
                {{71, 356}, {88, 64, 2 * kMs}});
    traffic.tcp(capture, at(81), a.frontend1, a.cartserviceVip, 7070, {{58, 73}});
    traffic.tcp(capture, at(84), a.frontend1, a.recommendationserviceVip, 8080, {{112, 96}});
    traffic.tcp(capture, at(87), a.frontend1, a.shippingserviceVip, 50051, {{131, 58}});
    traffic.tcp(capture, at(90), a.frontend1, a.adserviceVip, 9555, {{67, 244}});
    // A gRPC client still holding the address of a cartservice pod that is gone: no answer.
    traffic.unanswered(capture, at(7300), a.frontend1, a.stalePod, 7070);

    // A shopper outside the cluster, through the LoadBalancer (externalTrafficPolicy Local keeps
    // the client address), over IPv4 and over IPv6 to the dual-stack frontend pod.
    traffic.tcp(capture, at(2500), a.customer, a.frontend1, 8080,
                {{418, 1400}, {377, 1296, 1200 * kMs}, {352, 911}});
    traffic.tcp(capture, at(6400), a.customerV6, a.frontend1v6, 8080,
                {{402, 1400}, {361, 1104, 900 * kMs}});

    // The third loadgenerator visit checks out: frontend -> checkoutservice, which calls six
    // services, two of them straight at a pod address (client-side load balancing) and emailservice
    // through its Service port 5000 (container port 8080).
    traffic.tcp(capture, at(12610), a.frontend1, a.checkoutserviceVip, 5050, {{241, 188}});
    t = 12612;
    for (const char *name : {"cartservice", "productcatalogservice", "currencyservice",
                             "shippingservice", "paymentservice", "emailservice"}) {
        traffic.dnsLookup(capture, at(t), a.checkoutservice, a.kubeDnsVip, name + svc);
        t += 1;
    }
    traffic.tcp(capture, at(12620), a.checkoutservice, a.cartserviceVip, 7070,
                {{61, 138}, {58, 12, 4 * kMs}});
    traffic.tcp(capture, at(12623), a.checkoutservice, a.productcatalogserviceVip, 3550,
                {{47, 402}});
    traffic.tcp(capture, at(12626), a.checkoutservice, a.currencyservice, 7000,
                {{88, 64}, {88, 64}});
    traffic.tcp(capture, at(12629), a.checkoutservice, a.shippingserviceVip, 50051,
                {{214, 58}, {214, 61}});
    traffic.tcp(capture, at(12633), a.checkoutservice, a.paymentservice, 50051, {{97, 66}});
    traffic.tcp(capture, at(12637), a.checkoutservice, a.emailserviceVip, 5000, {{486, 5}});

    // cartservice (first pod) has held its Redis connection since before the capture started:
    // no handshake, only commands and replies.
    traffic.dnsLookup(capture, at(9000), a.cartservice1, a.kubeDnsVip, "redis-cart" + svc);
    traffic.tcp(capture, at(10), a.cartservice1, a.redisCartVip, 6379,
                {{43, 5}, {61, 294, 3500 * kMs}, {52, 11, 7400 * kMs}}, Opening::MidStream,
                Closing::StayOpen);

    // Kubelet readiness probes from this node's address (own-node traffic).
    using Probe = Traffic::Probe;
    traffic.probes(capture, at(1200), 5 * kSecond, a.node1, a.emailservice, 8080, Probe::Grpc);
    traffic.probes(capture, at(3100), 10 * kSecond, a.node1, a.checkoutservice, 5050, Probe::Grpc);
    traffic.probes(capture, at(4400), 10 * kSecond, a.node1, a.currencyservice, 7000, Probe::Grpc);
    traffic.probes(capture, at(6700), 10 * kSecond, a.node1, a.productcatalogservice, 3550,
                   Probe::Grpc);
    traffic.probes(capture, at(2200), 10 * kSecond, a.node1, a.cartservice1, 7070, Probe::Grpc);
    traffic.probes(capture, at(8800), 10 * kSecond, a.node1, a.frontend1, 8080, Probe::Http);
}

// Node 2 (kind-worker2): Ethernet framing, written as classic pcap; one conversation carries an
// 802.1Q tag (VLAN 100), as on a tagged uplink.
void node2Traffic(Traffic &traffic, Capture &capture, const Addresses &a)
{
    const std::string svc = ".boutique.svc.cluster.local";
    // frontend (second pod): two calls through Services, two straight at pod addresses.
    int64_t t = 1000;
    for (const char *name : {"productcatalogservice", "currencyservice", "cartservice", "adservice",
                             "recommendationservice"}) {
        traffic.dnsLookup(capture, at(t), a.frontend2, a.kubeDnsVip, name + svc);
        t += 1;
    }
    traffic.tcp(capture, at(1010), a.frontend2, a.productcatalogservice, 3550, {{96, 1188}});
    traffic.tcp(capture, at(1013), a.frontend2, a.currencyserviceVip, 7000, {{71, 356}});
    traffic.tcp(capture, at(1016), a.frontend2, a.cartservice2, 7070,
                {{58, 73}, {66, 12, 5 * kMs}});
    traffic.tcp(capture, at(1019), a.frontend2, a.adserviceVip, 9555, {{67, 244}});
    traffic.tcp(capture, at(1022), a.frontend2, a.recommendationserviceVip, 8080, {{112, 96}});

    // recommendationservice asks the product catalog (pod address, over the tagged uplink).
    traffic.dnsLookup(capture, at(1025), a.recommendationservice, a.kubeDnsVip,
                      "productcatalogservice" + svc);
    traffic.tcp(capture, at(1027), a.recommendationservice, a.productcatalogservice, 3550,
                {{41, 1188}}, Opening::Handshake, Closing::Fin, LinkType::EthernetVlan);

    // cartservice (second pod) opens a fresh Redis connection to the pod address.
    traffic.dnsLookup(capture, at(1030), a.cartservice2, a.kubeDnsVip, "redis-cart" + svc);
    traffic.tcp(capture, at(1033), a.cartservice2, a.redisCart, 6379, {{45, 12}, {60, 310}});

    using Probe = Traffic::Probe;
    traffic.probes(capture, at(4000), 15 * kSecond, a.node2, a.adservice, 9555, Probe::Grpc);
    traffic.probes(capture, at(700), 5 * kSecond, a.node2, a.recommendationservice, 8080,
                   Probe::Grpc);
    traffic.probes(capture, at(2900), 10 * kSecond, a.node2, a.paymentservice, 50051, Probe::Grpc);
    traffic.probes(capture, at(1900), 5 * kSecond, a.node2, a.shippingservice, 50051, Probe::Grpc);
    traffic.probes(capture, at(400), 5 * kSecond, a.node2, a.redisCart, 6379, Probe::TcpSocket);
    traffic.probes(capture, at(6100), 10 * kSecond, a.node2, a.cartservice2, 7070, Probe::Grpc);
    traffic.probes(capture, at(3300), 10 * kSecond, a.node2, a.frontend2, 8080, Probe::Http);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2 || std::string(argv[1]) == "--help") {
        std::fprintf(stderr, "usage: bulkhead-samplegen OUTDIR\n"
                             "Writes the Online Boutique sample's captures, node1.pcapng and "
                             "node2.pcap, into OUTDIR.\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        std::fprintf(stderr, "bulkhead-samplegen: cannot create %s: %s\n", dir.c_str(),
                     error.message().c_str());
        return 1;
    }

    const Addresses addresses;
    Traffic traffic;
    Capture node1(LinkType::LinuxSll2);
    Capture node2(LinkType::Ethernet);
    node1Traffic(traffic, node1, addresses);
    node2Traffic(traffic, node2, addresses);
    if (!node1.write((dir / "node1.pcapng").string(), CaptureWriter::Format::Pcapng)
        || !node2.write((dir / "node2.pcap").string(), CaptureWriter::Format::Pcap))
        return 1;
    return 0;
}
