// bulkhead-bench DATADIR: the benchmark suite behind `make bench` (README "Performance").
//
// Prints one table: the bare libpcap loop against Bulkhead's ingest on the same files (one pcap,
// the same as pcapng, the same traffic split in two files read one by one and in parallel),
// generate, check and every workload's blast radius at 1k/5k/10k workloads, and Graphviz layout
// at 200..5,000 workloads. Each case runs in its own process (this program, re-executed with
// --case), so its peak memory (ru_maxrss from wait4) is its own. Synthetic inputs are written to
// DATADIR once and reused. BENCH_SCALE (default 1) scales every size down (or up).
//
//   bulkhead-bench DATADIR                  the whole suite
//   bulkhead-bench --case NAME ARGS...      one case; prints "seconds count" on stdout
//   bulkhead-bench --case generate N FILE   also writes the generated policies to FILE
#include "analysis/analysis.h"
#include "analysis/httpattribution.h"
#include "capture/flowtable.h"
#include "capturewriter.h"
#include "inventory/inventoryloader.h"
#include "layout/graphlayout.h"
#include "model/capturefiles.h"
#include "model/model.h"
#include "packetbuilder.h"
#include "policy/generator.h"
#include "policy/policywriter.h"
#include "review/blastradius.h"
#include "review/check.h"
#include "review/evaluator.h"
#include "zones/zones.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Processor time of the whole process (every thread) so far: on a shared machine the wall-clock
// time also counts the waits for a core.
double cpuNow()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// Wall-clock and processor seconds of the measured work, printed first by every case.
struct Stopwatch
{
    Clock::time_point wall = Clock::now();
    double cpu = cpuNow();
    std::string text() const
    {
        char s[64];
        std::snprintf(s, sizeof s, "%.6f %.6f", secondsSince(wall), cpuNow() - cpu);
        return s;
    }
};

double scale()
{
    const char *s = std::getenv("BENCH_SCALE");
    const double v = s ? std::atof(s) : 1.0;
    return v > 0 ? v : 1.0;
}

int scaled(double n)
{
    return std::max(2, static_cast<int>(std::lround(n * scale())));
}

// ---------------------------------------------------------------------------------------------
// Synthetic inventories: `workloads` workloads in namespaces of about 100 (at least 10
// namespaces), `pods` pods each, every fifth workload dual-stack, one Service per workload
// (port 80 -> 8080), container ports 8080 (and 9090 on every other workload).

IpAddress v4(uint32_t n)
{
    const uint8_t b[4] = {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)};
    return IpAddress::fromV4(b);
}

IpAddress podV4(int pod)
{
    return v4((10u << 24 | 244u << 16) + 256u * uint32_t(pod / 250) + uint32_t(pod % 250 + 1));
}

IpAddress podV6(int pod)
{
    uint8_t b[16] = {0xfd, 0x00, 0, 0x10, 0x02, 0x44};
    b[14] = uint8_t(pod >> 8), b[15] = uint8_t(pod);
    return IpAddress::fromV6(b);
}

IpAddress serviceVip(int workload)
{
    return v4((10u << 24 | 96u << 16) + 256u * uint32_t(workload / 250)
              + uint32_t(workload % 250 + 1));
}

bool dualStack(int workload)
{
    return workload % 5 == 0;
}

Inventory makeInventory(int workloads, int pods)
{
    const int namespaces = std::max(10, workloads / 100);
    Inventory inv;
    for (int w = 0; w < workloads; ++w) {
        Workload wl;
        wl.ns = "team-" + std::to_string(w % namespaces);
        wl.name = "svc-" + std::to_string(w);
        wl.kind = "Deployment";
        wl.labels = {{"app", wl.name},
                     {"tier", w % 3 == 0   ? "front"
                              : w % 3 == 1 ? "api"
                                           : "data"}};
        wl.ports.push_back({"http", 8080, Protocol::TCP});
        if (w % 2 == 0)
            wl.ports.push_back({"grpc", 9090, Protocol::TCP});
        for (int p = 0; p < pods; ++p) {
            const int pod = w * pods + p;
            PodMember m;
            m.name = wl.name + "-" + std::to_string(p);
            m.addresses.push_back(podV4(pod));
            if (dualStack(w))
                m.addresses.push_back(podV6(pod));
            wl.pods.push_back(std::move(m));
        }
        inv.namespaces[wl.ns] = {};
        Service s;
        s.ns = wl.ns;
        s.name = wl.name;
        s.clusterIps.push_back(serviceVip(w));
        s.ports.push_back({"http", 80, Protocol::TCP, uint16_t(8080)});
        s.selector = {{"app", wl.name}};
        inv.services.push_back(std::move(s));
        inv.workloads.push_back(std::move(wl));
    }
    inv.clusterNetworks.push_back(*Cidr::parse("10.0.0.0/8"));
    resolveInventory(inv);
    Zones zones = defaultZones();
    assignZones(inv, zones);
    return inv;
}

// About `perWorkload` edges from each workload: mostly within its namespace, some across.
std::vector<Edge> makeEdges(const Inventory &inv, int perWorkload)
{
    std::mt19937 random(20261128);
    const int n = static_cast<int>(inv.workloads.size());
    std::uniform_int_distribution<int> any(0, n - 1);
    std::vector<Edge> edges;
    edges.reserve(size_t(n) * size_t(perWorkload));
    for (int from = 0; from < n; ++from) {
        for (int k = 0; k < perWorkload; ++k) {
            int to = k < perWorkload * 7 / 10 ? (from + 1 + any(random) % 150) % n
                                              : any(random); // near: same namespace
            if (to == from)
                to = (to + 1) % n;
            Edge e;
            e.from = Peer::workload(from);
            e.to = Peer::workload(to);
            e.port = inv.workloads[size_t(to)]
                         .ports[size_t(k) % inv.workloads[size_t(to)].ports.size()]
                         .port;
            e.evidence.flows = 1;
            e.evidence.packets = 10;
            e.evidence.bytes = 1000;
            e.evidence.firstSeenUs = 1700000000000000ll;
            e.evidence.lastSeenUs = 1700000001000000ll;
            e.evidence.files = {0};
            edges.push_back(std::move(e));
        }
    }
    std::sort(edges.begin(), edges.end(), edgeLess);
    edges.erase(std::unique(edges.begin(), edges.end(),
                            [](const Edge &a, const Edge &b) { return sameEdge(a, b); }),
                edges.end());
    return edges;
}

// ---------------------------------------------------------------------------------------------
// Synthetic captures: the sample generator's traffic shape, scaled. `flows` conversations among
// the pods of the capture inventory (every fourth through a Service VIP, a tenth over IPv6 between
// dual-stack pods, a tenth DNS-like UDP exchanges), TCP ones a handshake then full-MTU data
// segments and bare ACKs alternating, interleaved as on a busy node. A quarter of the Ethernet
// frames carry an 802.1Q tag.

constexpr int kCaptureWorkloads = 500, kCapturePods = 4; // 2,000 hosts

struct FlowSpec
{
    std::vector<uint8_t> eth[5], sll2[5]; // SYN, SYN-ACK, ACK, DATA, (UDP: query, answer in 0, 1)
    bool udp = false;
    int length = 0;
};

enum Packet { Syn, SynAck, Ack, Data };

// An HTTP-heavy capture for the layer-7 figure: `flows` keep-alive connections between pods,
// each with `requests` HTTP/1.1 requests and answers, plus every fourth connection an h2c one with
// the same number of gRPC-like requests (HPACK literals without indexing, written here).
// Worst case (typical false): every HTTP/1.1 path distinct (an id in it), each answer one
// 1,400-byte segment, so every other packet is a request. Typical: the paths of a web shop's
// frontend (7 routes, 200 product ids, 50 images; about 260 distinct paths in all, shared by the
// connections), 400 client pods calling 100 server pods, and answers of 3 segments (1,400, 1,400
// and 600 bytes).
bool writeHttpCapture(const std::string &file, int flows, int requests, bool typical = false)
{
    CaptureWriter w(file, LinkType::Ethernet);
    if (!w.isOpen())
        return false;
    PacketBuilder b;
    int64_t t = 1'700'000'000'000'000;
    for (int f = 0; f < flows; ++f) {
        // Pods of the bench's inventory (makeInventory), so that the requests are attributed:
        // worst case, 1,000 clients and 1,000 servers; typical, 400 clients of 100 servers.
        const IpAddress c = podV4(typical ? f % 400 : f % 1000);
        const IpAddress s = podV4(1000 + (typical ? f % 100 : f % 1000));
        const uint16_t cport = static_cast<uint16_t>(20000 + f % 40000);
        const bool h2 = f % 4 == 3;
        const uint16_t sport = h2 ? 50051 : 8080;
        w.write(t++, b.tcp(c, cport, s, sport, tcp::SYN));
        w.write(t++, b.tcp(s, sport, c, cport, tcp::SYN | tcp::ACK));
        if (h2) {
            const std::string preface = std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
                                        + std::string("\0\0\0\4\0\0\0\0\0", 9);
            w.write(t++, b.tcpData(c, cport, s, sport, tcp::ACK | tcp::PSH,
                                   std::vector<uint8_t>(preface.begin(), preface.end())));
        }
        for (int r = 0; r < requests; ++r) {
            std::string payload;
            if (h2) {
                const std::string path = "/shop.Cart/Get" + std::to_string(r % 5);
                std::string block = "\x83\x86"; // :method POST, :scheme http
                block += '\x04';                // :path, literal without indexing
                block += static_cast<char>(path.size());
                block += path;
                const uint32_t stream = static_cast<uint32_t>(1 + 2 * r);
                payload = {0,
                           0,
                           static_cast<char>(block.size()),
                           1,
                           5,
                           static_cast<char>(stream >> 24),
                           static_cast<char>(stream >> 16),
                           static_cast<char>(stream >> 8),
                           static_cast<char>(stream)};
                payload += block;
            } else if (!typical) {
                payload = "GET /users/" + std::to_string(f * 1000 + r)
                          + " HTTP/1.1\r\nHost: api\r\nUser-Agent: bench\r\n\r\n";
            } else {
                static const char *const routes[]
                    = {"GET /",        "GET /product/",     "GET /cart",          "POST /cart",
                       "GET /static/", "POST /setCurrency", "POST /cart/checkout"};
                const int pick = (f * 7 + r * 13) % 10; // products and images most often
                const char *route = routes[pick < 3 ? 1 : pick < 6 ? 4 : pick - 4];
                std::string line = route; // method and path
                if (line.ends_with("/product/"))
                    line += std::to_string((f * 31 + r * 17) % 200);
                else if (line.ends_with("/static/"))
                    line += "img/" + std::to_string((f + r * 3) % 50) + ".jpg";
                payload = line + " HTTP/1.1\r\nHost: frontend\r\nUser-Agent: bench\r\n"
                          + (line.starts_with("POST") ? "Content-Length: 0\r\n" : "") + "\r\n";
            }
            w.write(t++, b.tcpData(c, cport, s, sport, tcp::ACK | tcp::PSH,
                                   std::vector<uint8_t>(payload.begin(), payload.end())));
            w.write(t++, b.tcp(s, sport, c, cport, tcp::ACK | tcp::PSH, 1400));
            if (typical && !h2) {
                w.write(t++, b.tcp(s, sport, c, cport, tcp::ACK | tcp::PSH, 1400));
                w.write(t++, b.tcp(s, sport, c, cport, tcp::ACK | tcp::PSH, 600));
            }
        }
    }
    return bool(w.close());
}

bool writeCaptures(const std::string &dir, uint64_t packets, int flows)
{
    std::mt19937 random(20261102);
    PacketBuilder eth(LinkType::Ethernet), vlan(LinkType::EthernetVlan), sll2(LinkType::LinuxSll2);
    std::uniform_int_distribution<int> anyPod(0, kCaptureWorkloads * kCapturePods - 1);
    std::vector<FlowSpec> specs(static_cast<size_t>(flows));
    const double mean = double(packets) / flows;
    std::uniform_int_distribution<int> length(4, std::max(5, int(2 * mean) - 4));
    for (int f = 0; f < flows; ++f) {
        FlowSpec &s = specs[size_t(f)];
        int client = anyPod(random), server = anyPod(random);
        if (client / kCapturePods == server / kCapturePods)
            server = (server + kCapturePods) % (kCaptureWorkloads * kCapturePods);
        const bool v6 = f % 10 == 5;
        if (v6) { // between pods of dual-stack workloads (every fifth)
            client = (client / kCapturePods / 5 * 5) * kCapturePods + client % kCapturePods;
            server = (server / kCapturePods / 5 * 5 + 5) % kCaptureWorkloads * kCapturePods
                     + server % kCapturePods;
        }
        const IpAddress c = v6 ? podV6(client) : podV4(client);
        const bool viaService = !v6 && f % 4 == 1;
        const IpAddress sv = v6           ? podV6(server)
                             : viaService ? serviceVip(server / kCapturePods)
                                          : podV4(server);
        const uint16_t cport = uint16_t(32768 + f % 28000);
        const uint16_t sport = viaService ? 80 : 8080;
        const PacketBuilder &b = f % 4 == 3 ? vlan : eth;
        s.udp = f % 10 == 7;
        std::vector<uint8_t> ip[4];
        if (s.udp) {
            ip[0] = b.udpIp(c, cport, sv, 53, 40);
            ip[1] = b.udpIp(sv, 53, c, cport, 120);
            s.length = 2;
        } else {
            ip[Syn] = b.tcpIp(c, cport, sv, sport, tcp::SYN);
            ip[SynAck] = b.tcpIp(sv, sport, c, cport, tcp::SYN | tcp::ACK);
            ip[Ack] = b.tcpIp(c, cport, sv, sport, tcp::ACK);
            ip[Data] = b.tcpIp(sv, sport, c, cport, tcp::ACK | tcp::PSH, v6 ? 1440 : 1460);
            s.length = length(random);
        }
        for (int k = 0; k < (s.udp ? 2 : 4); ++k) {
            s.eth[k] = b.frame(ip[k]);
            s.sll2[k] = sll2.frame(ip[k]);
        }
    }

    std::filesystem::create_directories(dir);
    CaptureWriter one(dir + "/one.pcap", LinkType::Ethernet);
    CaptureWriter ng(dir + "/one.pcapng", LinkType::Ethernet, CaptureWriter::Format::Pcapng);
    CaptureWriter node0(dir + "/node0.pcap", LinkType::Ethernet);
    CaptureWriter node1(dir + "/node1.pcap", LinkType::LinuxSll2);
    if (!one.isOpen() || !ng.isOpen() || !node0.isOpen() || !node1.isOpen())
        return false;
    // Round robin over the open conversations, a new one opening as one ends.
    std::vector<int> active;
    std::vector<int> position(size_t(flows), 0);
    int opened = 0;
    const size_t concurrent = size_t(std::max(1, flows / 5));
    uint64_t written = 0;
    int64_t t = 1793613600LL * 1000000;
    while (written < packets) {
        while (active.size() < concurrent)
            active.push_back(opened++ % flows);
        for (size_t i = 0; i < active.size() && written < packets;) {
            const int f = active[i];
            FlowSpec &s = specs[size_t(f)];
            int &pos = position[size_t(f)];
            const int k = s.udp ? pos % 2 : pos < 3 ? pos : (pos % 2 ? Data : Ack);
            t += 2;
            one.write(t, s.eth[k]);
            ng.write(t, s.eth[k]);
            if (f % 2 == 0)
                node0.write(t, s.eth[k]);
            else
                node1.write(t, s.sll2[k]);
            ++written;
            if (++pos >= s.length) {
                pos = 0;
                active[i] = active.back();
                active.pop_back();
            } else {
                ++i;
            }
        }
    }
    return one.close() && ng.close() && node0.close() && node1.close();
}

// ---------------------------------------------------------------------------------------------
// The cases. Each prints "seconds count" (count: packets, policies, radii, nodes).

int caseBare(const std::vector<std::string> &files)
{
    const Stopwatch watch;
    uint64_t packets = 0;
    for (const std::string &file : files) {
        char err[PCAP_ERRBUF_SIZE];
        pcap_t *p = pcap_open_offline(file.c_str(), err);
        if (!p) {
            std::fprintf(stderr, "%s\n", err);
            return 1;
        }
        pcap_pkthdr *h;
        const u_char *d;
        while (pcap_next_ex(p, &h, &d) == 1)
            ++packets;
        pcap_close(p);
    }
    std::printf("%s %llu\n", watch.text().c_str(), (unsigned long long)packets);
    return 0;
}

int caseIngest(const std::vector<std::string> &files, unsigned threads, bool http = true)
{
    const Inventory inv = makeInventory(kCaptureWorkloads, kCapturePods);
    const Stopwatch watch;
    FlowTable table;
    table.setHttpEnabled(http); // HTTP request extraction (core/l7)
    const auto stats = readCaptureFiles(files, table, nullptr, threads);
    if (!stats) {
        std::fprintf(stderr, "%s\n", stats.error().toString().c_str());
        return 1;
    }
    const Analysis analysis = analyzeFlows(inv, table.flows(), files);
    // With layer 7 on, the requests as the generator gets them (core/model/buildmodel.cpp).
    const size_t kinds
        = table.httpEnabled() ? attributeRequests(inv, analysis.flows, table.http()).size() : 0;
    const std::string seconds = watch.text();
    uint64_t packets = 0;
    for (const CaptureStats &s : *stats)
        packets += s.packets;
    std::printf("%s %llu %zu %zu %zu\n", seconds.c_str(), (unsigned long long)packets, table.size(),
                analysis.edges.size(), kinds);
    return 0;
}

// One file on one thread (no reader thread), for comparison with "ingest" (which takes the
// reader thread when there are two cores).
int caseIngestOneThread(const std::vector<std::string> &files)
{
    const Inventory inv = makeInventory(kCaptureWorkloads, kCapturePods);
    const Stopwatch watch;
    FlowTable table;
    uint64_t packets = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        const auto stats
            = readCaptureFile(files[i], uint32_t(i), table, nullptr, CaptureReadMode::OneThread);
        if (!stats) {
            std::fprintf(stderr, "%s\n", stats.error().toString().c_str());
            return 1;
        }
        packets += stats->packets;
    }
    const Analysis analysis = analyzeFlows(inv, table.flows(), files);
    // With layer 7 on, the requests as the generator gets them (core/model/buildmodel.cpp).
    const size_t kinds
        = table.httpEnabled() ? attributeRequests(inv, analysis.flows, table.http()).size() : 0;
    const std::string seconds = watch.text();
    std::printf("%s %llu %zu %zu %zu\n", seconds.c_str(), (unsigned long long)packets, table.size(),
                analysis.edges.size(), kinds);
    return 0;
}

// One inventory file read (YAML or JSON): "seconds cpu workloads pods".
int caseInventory(const std::string &file)
{
    const Stopwatch watch;
    const auto inventory = loadInventoryFile(file);
    if (!inventory) {
        std::fprintf(stderr, "%s\n", inventory.error().toString().c_str());
        return 1;
    }
    const std::string seconds = watch.text();
    size_t pods = 0;
    for (const Workload &w : inventory->workloads)
        pods += w.pods.size();
    std::printf("%s %zu %zu\n", seconds.c_str(), inventory->workloads.size(), pods);
    return 0;
}

// With `output`, the policies' YAML, every rule's intent edges and the warnings are written there
// afterwards (to compare two builds' results byte for byte).
int caseGenerate(int workloads, const std::string &output)
{
    const Inventory inv = makeInventory(workloads, 2);
    const std::vector<Edge> edges = makeEdges(inv, 10);
    const Stopwatch watch;
    const GenerateResult r = generatePolicies(inv, edges, GenerateOptions{});
    std::printf("%s %zu %zu\n", watch.text().c_str(), r.policies.size(), edges.size());
    if (!output.empty()) {
        std::string text = writePoliciesYaml(r.policies);
        for (const NetworkPolicy &p : r.policies) {
            for (const auto *rules : {&p.ingress, &p.egress}) {
                for (const PolicyRule &rule : *rules) {
                    for (const std::string &e : rule.edges)
                        text += "# " + p.id() + ": " + e + '\n';
                }
            }
        }
        for (const std::string &w : r.warnings)
            text += "# warning: " + w + '\n';
        std::FILE *f = std::fopen(output.c_str(), "wb");
        if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0)
            return 1;
    }
    return 0;
}

// 500 of the generated policies: every namespace's default-deny and an even spread of the others.
std::vector<NetworkPolicy> pickPolicies(std::vector<NetworkPolicy> all, size_t count)
{
    std::vector<NetworkPolicy> picked, rest;
    for (NetworkPolicy &p : all)
        (p.name == "default-deny" ? picked : rest).push_back(std::move(p));
    const size_t want = count > picked.size() ? count - picked.size() : 0;
    for (size_t i = 0; i < want && i < rest.size(); ++i)
        picked.push_back(std::move(rest[i * rest.size() / want]));
    return picked;
}

int caseCheck(int workloads)
{
    const Inventory inv = makeInventory(workloads, 2);
    Analysis analysis;
    analysis.edges = makeEdges(inv, 10);
    const std::vector<NetworkPolicy> policies
        = pickPolicies(generatePolicies(inv, analysis.edges, {}).policies, 500);
    const Stopwatch watch;
    const PolicyEvaluator evaluator(inv, policies);
    const CheckResult r = checkPolicies(inv, analysis, evaluator);
    std::printf("%s %zu %zu %zu %zu\n", watch.text().c_str(), policies.size(),
                analysis.edges.size(), r.breaks.size(), r.excess.size());
    return 0;
}

int caseBlast(int workloads)
{
    const Inventory inv = makeInventory(workloads, 2);
    const std::vector<Edge> edges = makeEdges(inv, 10);
    const Zones zones = defaultZones();
    const Stopwatch watch;
    const ReachGraph graph = reachFromEdges(inv, edges);
    size_t radii = 0, reached = 0;
    forEachBlastRadius(inv, zones, graph, [&](BlastRadius &&r) {
        ++radii;
        reached += r.reach.size();
    });
    std::printf("%s %zu %zu\n", watch.text().c_str(), radii, reached);
    return 0;
}

int caseLayout(int workloads)
{
    const Inventory inv = makeInventory(workloads, 1);
    const std::vector<Edge> edges = makeEdges(inv, 3);
    LayoutInput input;
    for (const Workload &w : inv.workloads)
        input.nodes.push_back({120, 36, w.ns});
    for (const Edge &e : edges)
        input.edges.push_back({e.from.index, e.to.index});
    const Stopwatch watch;
    const auto layout = layoutGraph(input, LayoutOptions{});
    if (!layout) {
        std::fprintf(stderr, "%s\n", layout.error().toString().c_str());
        return 1;
    }
    std::printf("%s %zu %zu %s\n", watch.text().c_str(), input.nodes.size(), input.edges.size(),
                std::string(layoutEngineName(layout->engine)).c_str());
    return 0;
}

} // namespace

namespace bulkhead::bench {
bool writeHubbleLines(const std::string &path, uint64_t lines);
int readHubbleLines(const std::string &path, uint64_t &events, size_t &connections);
} // namespace bulkhead::bench

namespace {

// Hubble flow lines: the read (simdjson) and deduplication of the whole file.
int caseHubble(const std::string &path)
{
    const Stopwatch watch;
    uint64_t events = 0;
    size_t connections = 0;
    if (bulkhead::bench::readHubbleLines(path, events, connections) != 0)
        return 1;
    std::printf("%s %llu %zu\n", watch.text().c_str(), (unsigned long long)events, connections);
    return 0;
}

int runCase(int argc, char **argv)
{
    const std::string name = argv[2];
    std::vector<std::string> args(argv + 3, argv + argc);
    if (name == "generate-http") // FILE FLOWS REQUESTS [typical]
        return writeHttpCapture(args.at(0), std::stoi(args.at(1)), std::stoi(args.at(2)),
                                args.size() > 3 && args[3] == "typical")
                   ? 0
                   : 1;
    if (name == "generate-data")
        return writeCaptures(args.at(0), std::stoull(args.at(1)), std::stoi(args.at(2))) ? 0 : 1;
    if (name == "inventory" && args.size() == 1)
        return caseInventory(args[0]);
    if (name == "bare")
        return caseBare(args);
    if (name == "ingest" || name == "ingest1") // ingest1: one thread, files one by one
        return caseIngest(args, name == "ingest1" ? 1 : 0);
    if (name == "ingest-nol7") // ingest without HTTP request extraction
        return caseIngest(args, 0, false);
    if (name == "hubble")
        return caseHubble(args.at(0));
    if (name == "generate-hubble")
        return bulkhead::bench::writeHubbleLines(args.at(0), std::stoull(args.at(1))) ? 0 : 1;
    if (name == "ingest-one-thread")
        return caseIngestOneThread(args);
    const int n = std::stoi(args.at(0));
    if (name == "generate") // generate N [OUTPUT]
        return caseGenerate(n, args.size() > 1 ? args[1] : std::string());
    if (name == "check")
        return caseCheck(n);
    if (name == "blast")
        return caseBlast(n);
    if (name == "layout")
        return caseLayout(n);
    std::fprintf(stderr, "unknown case %s\n", name.c_str());
    return 2;
}

// ---------------------------------------------------------------------------------------------
// The driver: every case in a child process; its output and its own peak memory.

struct Result
{
    bool ok = false;
    std::vector<std::string> fields; // what the case printed
    double seconds = 0;
    double peakMiB = 0;
    double cpu = 0; // processor seconds of the measured work (every thread)
};

std::string self;

Result spawn(const std::vector<std::string> &args)
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        std::vector<char *> argv{self.data(), const_cast<char *>("--case")};
        for (const std::string &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        execv(self.c_str(), argv.data());
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    char buf[256];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
        out.append(buf, size_t(n));
    close(fds[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Result r;
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    for (size_t pos = 0; pos < out.size();) {
        const size_t end = out.find_first_of(" \n", pos);
        if (end != pos)
            r.fields.push_back(out.substr(pos, end - pos));
        pos = end == std::string::npos ? out.size() : end + 1;
    }
    if (r.ok && r.fields.size() >= 2) {
        r.seconds = std::atof(r.fields[0].c_str());
        r.cpu = std::atof(r.fields[1].c_str());
        r.fields.erase(
            r.fields.begin()); // fields[0] is now the processor time, then the case's counts
    }
    r.peakMiB = double(usage.ru_maxrss) / 1024.0; // KiB on Linux
    return r;
}

// The better of two runs: the lower wall-clock time and, separately, the lower processor time
// (on a shared machine both vary from run to run); the higher peak memory.
Result better(const Result &a, const Result &b)
{
    if (!a.ok || !b.ok)
        return a.ok ? a : b;
    Result r = a.seconds <= b.seconds ? a : b;
    r.cpu = std::min(a.cpu, b.cpu);
    r.peakMiB = std::max(a.peakMiB, b.peakMiB);
    return r;
}

Result best(const std::vector<std::string> &args, int rounds)
{
    Result b;
    for (int i = 0; i < rounds; ++i)
        b = better(b, spawn(args));
    return b;
}

void row(const char *what, const std::string &input, const Result &r, const std::string &rate,
         const std::string &note)
{
    if (!r.ok) {
        std::printf("| %-34s | %-30s | %9s | %7s | %14s | %8s | %-28s |\n", what, input.c_str(),
                    "FAILED", "", "", "", note.c_str());
        return;
    }
    std::printf("| %-34s | %-30s | %9.3f | %7.2f | %14s | %8.1f | %-28s |\n", what, input.c_str(),
                r.seconds, r.cpu, rate.c_str(), r.peakMiB, note.c_str());
    std::fflush(stdout);
}

std::string mpps(const Result &r)
{
    if (!r.ok || r.fields.size() < 2 || r.seconds <= 0)
        return "";
    char s[32];
    std::snprintf(s, sizeof s, "%.2f Mpkt/s", std::atof(r.fields[1].c_str()) / r.seconds / 1e6);
    return s;
}

std::string ratio(const Result &ingest, const Result &bare)
{
    if (!ingest.ok || !bare.ok || bare.seconds <= 0)
        return "";
    char s[64];
    std::snprintf(s, sizeof s, "%.2fx bare (cpu %.2fx)", ingest.seconds / bare.seconds,
                  ingest.cpu / bare.cpu);
    return s;
}

std::string field(const Result &r, size_t i)
{
    return i < r.fields.size() ? r.fields[i] : "?";
}

int runSuite(const std::string &dir)
{
    const uint64_t packets = uint64_t(scaled(5'000'000));
    const int flows = scaled(50'000);
    const std::string data
        = dir + "/captures-" + std::to_string(packets) + "-" + std::to_string(flows);
    if (!std::filesystem::exists(data + "/node1.pcap")) {
        std::printf("writing %llu-packet captures to %s ...\n", (unsigned long long)packets,
                    data.c_str());
        std::fflush(stdout);
        const auto start = Clock::now();
        if (!spawn({"generate-data", data, std::to_string(packets), std::to_string(flows)}).ok) {
            std::fprintf(stderr, "bulkhead-bench: cannot write the captures in %s\n", data.c_str());
            return 1;
        }
        std::printf("written in %.1f s\n", secondsSince(start));
    }
    const auto mb = [](const std::string &f) {
        return std::to_string(std::filesystem::file_size(f) / 1000000) + " MB";
    };
    const std::string one = data + "/one.pcap", ng = data + "/one.pcapng",
                      n0 = data + "/node0.pcap", n1 = data + "/node1.pcap";
    std::printf(
        "\nBulkhead benchmarks (BENCH_SCALE=%g, %u cores); ingest: best of 3 runs, one run "
        "otherwise;\n"
        "seconds: wall-clock of the measured work; cpu s: its processor time (all threads)\n\n",
        scale(), std::max(1u, unsigned(sysconf(_SC_NPROCESSORS_ONLN))));
    std::printf("| %-34s | %-30s | %9s | %7s | %14s | %8s | %-28s |\n", "case", "input", "seconds",
                "cpu s", "rate", "peak MiB", "note");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(),
                std::string(32, '-').c_str(), std::string(11, '-').c_str(),
                std::string(9, '-').c_str(), std::string(16, '-').c_str(),
                std::string(10, '-').c_str(), std::string(30, '-').c_str());

    const std::string shape = std::to_string(packets / 1000000.0).substr(0, 4) + "M pkts, "
                              + std::to_string(flows / 1000) + "k flows";
    struct IngestSet
    {
        const char *label;
        std::vector<std::string> files;
        std::string input;
    };
    const std::vector<IngestSet> sets = {
        {"pcap", {one}, "one.pcap " + mb(one)},
        {"pcapng", {ng}, "one.pcapng " + mb(ng)},
    };
    for (const IngestSet &s : sets) {
        std::vector<std::string> bareArgs{"bare"}, ingestArgs{"ingest"},
            oneArgs{"ingest-one-thread"};
        bareArgs.insert(bareArgs.end(), s.files.begin(), s.files.end());
        ingestArgs.insert(ingestArgs.end(), s.files.begin(), s.files.end());
        oneArgs.insert(oneArgs.end(), s.files.begin(), s.files.end());
        Result bare, ingest, one;
        for (int round = 0; round < 3; ++round) { // alternating, so all see a warm page cache
            const Result b = spawn(bareArgs), i = spawn(ingestArgs), o = spawn(oneArgs);
            bare = better(bare, b);
            ingest = better(ingest, i);
            one = better(one, o);
        }
        row((std::string("bare libpcap loop, ") + s.label).c_str(), s.input, bare, mpps(bare),
            shape);
        row((std::string("ingest, one thread, ") + s.label).c_str(), s.input, one, mpps(one),
            ratio(one, bare) + ", " + field(one, 2) + " flows");
        row((std::string("ingest, reader thread, ") + s.label).c_str(), s.input, ingest,
            mpps(ingest), ratio(ingest, bare) + ", " + field(ingest, 2) + " flows");
    }
    {
        // HTTP request extraction (core/l7) on against off, same file, same reader: the capture
        // above (payloads that are not HTTP) and one where every connection is HTTP.
        const std::string http = data + "/http-distinct.pcap",
                          typical = data + "/http-typical.pcap";
        for (const auto &[file, shape] : {std::pair{http, ""}, std::pair{typical, "typical"}}) {
            if (!std::filesystem::exists(file)
                && !spawn({"generate-http", file, std::to_string(scaled(20000)), "20", shape}).ok) {
                std::fprintf(stderr, "bulkhead-bench: cannot write %s\n", file.c_str());
                return 1;
            }
        }
        for (const std::string &file : {one, http, typical}) {
            Result on, off;
            for (int round = 0; round < 3; ++round) {
                on = better(on, spawn({"ingest", file}));
                off = better(off, spawn({"ingest-nol7", file}));
            }
            const std::string input
                = std::filesystem::path(file).filename().string() + " " + mb(file);
            row("ingest, L7 extraction off", input, off, mpps(off), field(off, 2) + " flows");
            char note[64] = "?";
            if (on.ok && off.ok && off.seconds > 0)
                std::snprintf(note, sizeof note, "%.2fx off (cpu %.2fx)", on.seconds / off.seconds,
                              on.cpu / off.cpu);
            row("ingest, L7 extraction on", input, on, mpps(on), note);
        }
    }
    {
        const std::string input = "node0.pcap + node1.pcap (SLL2)";
        const Result bare = best({"bare", n0, n1}, 3);
        const Result serial = best({"ingest1", n0, n1}, 3);
        const Result parallel = best({"ingest", n0, n1}, 3);
        row("bare libpcap loop, 2 files", input, bare, mpps(bare), "one after the other");
        row("ingest, 2 files one by one", input, serial, mpps(serial), ratio(serial, bare));
        row("ingest, 2 files in parallel", input, parallel, mpps(parallel), ratio(parallel, bare));
    }

    // Inventories as `kubectl get ns,deploy,rs,pods,svc -A -o yaml|json` prints them (about 11 KB
    // of YAML a pod with managedFields, annotations, full specs and statuses).
    for (int pods : {scaled(2000), scaled(10000), scaled(30000)}) {
        for (const char *format : {"yaml", "json"}) {
            const std::string file = dir + "/kubedump-" + std::to_string(pods) + "." + format;
            if (!std::filesystem::exists(file)) {
                const std::string command = std::string("python3 '") + BULKHEAD_SOURCE_DIR
                                            + "/tests/tools/kubedump.py' " + std::to_string(pods)
                                            + " '" + file + "'";
                if (std::system(command.c_str()) != 0) {
                    std::fprintf(stderr, "bulkhead-bench: cannot write %s\n", file.c_str());
                    return 1;
                }
            }
            const double megabytes = double(std::filesystem::file_size(file)) / 1e6;
            const Result r = best({"inventory", file}, 2);
            char rate[32] = "?";
            if (r.ok && r.seconds > 0)
                std::snprintf(rate, sizeof rate, "%.0f MB/s", megabytes / r.seconds);
            row((std::string("inventory, ") + format).c_str(),
                std::to_string(pods) + " pods, " + std::to_string(int(megabytes)) + " MB", r, rate,
                field(r, 1) + " workloads, " + field(r, 2) + " pods");
        }
    }

    {
        const uint64_t lines = uint64_t(scaled(1'000'000));
        const std::string file = dir + "/hubble-" + std::to_string(lines) + ".json";
        if (!std::filesystem::exists(file)) {
            std::fflush(stdout);
            if (!spawn({"generate-hubble", file, std::to_string(lines)}).ok)
                std::fprintf(stderr, "bulkhead-bench: cannot write %s\n", file.c_str());
        }
        const Result h = best({"hubble", file}, 3);
        char rate[32] = "";
        if (h.ok && h.seconds > 0)
            std::snprintf(rate, sizeof rate, "%.0f MB/s",
                          double(std::filesystem::file_size(file)) / 1e6 / h.seconds);
        row("Hubble flow lines (read+dedup)", std::to_string(lines) + " lines, " + mb(file), h,
            rate, field(h, 1) + " events, " + field(h, 2) + " conns; < 3 s");
    }
    for (int n : {scaled(1000), scaled(5000), scaled(10000)}) {
        const Result g = spawn({"generate", std::to_string(n)});
        row("generate", std::to_string(n) + " workloads, " + field(g, 2) + " edges", g, "",
            field(g, 1) + " policies");
    }
    for (int n : {scaled(1000), scaled(5000), scaled(10000)}) {
        const Result c = spawn({"check", std::to_string(n)});
        row("check", field(c, 1) + " policies, " + field(c, 2) + " edges", c, "",
            field(c, 3) + " breaks, " + field(c, 4) + " excess");
    }
    for (int n : {scaled(1000), scaled(3000), scaled(5000), scaled(10000)}) {
        const Result b = spawn({"blast", std::to_string(n)});
        row("blast radius of every workload", std::to_string(n) + " workloads, ~10 edges each", b,
            "",
            "mean reach "
                + (b.ok ? std::to_string(std::atoll(field(b, 2).c_str())
                                         / std::max(1LL, std::atoll(field(b, 1).c_str())))
                        : std::string("?")));
    }
    for (int n : {scaled(200), scaled(1000), scaled(3000), scaled(5000)}) {
        const Result l = spawn({"layout", std::to_string(n)});
        row("layout (LayoutOptions Auto)", field(l, 1) + " workloads, " + field(l, 2) + " edges", l,
            "", "engine " + field(l, 3));
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    self = std::filesystem::canonical("/proc/self/exe").string();
    if (argc >= 3 && std::strcmp(argv[1], "--case") == 0)
        return runCase(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: bulkhead-bench DATADIR\n");
        return 2;
    }
    return runSuite(argv[1]);
}
