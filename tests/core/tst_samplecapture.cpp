// The Online Boutique sample's captures (samples/online-boutique): read with libpcap alone, so that
// a regenerated capture that differs is noticed, that the traffic stays the application's real call
// graph (what Google's hand-written NetworkPolicies allow), that every address is one of the
// inventory's, and that bulkhead-samplegen writes the committed bytes again.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <pcap/pcap.h>
#include <yaml-cpp/yaml.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace {

const QString kSampleDir = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");
constexpr int64_t kStartUs = 1793613600LL * 1000000; // 2026-11-02T10:00:00Z

// One decoded packet: just what these checks need (the generator writes no IP options, no
// extension headers, no fragments).
struct Packet
{
    int64_t timeUs = 0;
    bool vlan = false;
    bool v6 = false;
    std::string src, dst; // printable addresses
    uint8_t protocol = 0;
    uint16_t sport = 0, dport = 0;
    uint8_t tcpFlags = 0;
};

std::string addressText(const uint8_t *bytes, bool v6)
{
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, text, sizeof text);
    return text;
}

struct CaptureFile
{
    int linkType = -1;
    std::vector<Packet> packets;
    QString error;
};

CaptureFile readCapture(const QString &path)
{
    CaptureFile file;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t *handle = pcap_open_offline(QFile::encodeName(path).constData(), errbuf);
    if (!handle) {
        file.error = QString::fromLocal8Bit(errbuf);
        return file;
    }
    file.linkType = pcap_datalink(handle);
    pcap_pkthdr *header = nullptr;
    const u_char *data = nullptr;
    while (pcap_next_ex(handle, &header, &data) == 1) {
        Packet packet;
        packet.timeUs = int64_t(header->ts.tv_sec) * 1000000 + header->ts.tv_usec;
        const uint8_t *p = data;
        const uint8_t *end = data + header->caplen;
        uint16_t etherType = 0;
        if (file.linkType == DLT_LINUX_SLL2) {
            etherType = uint16_t(p[0] << 8 | p[1]);
            p += 20;
        } else if (file.linkType == DLT_EN10MB) {
            etherType = uint16_t(p[12] << 8 | p[13]);
            p += 14;
            if (etherType == 0x8100) {
                packet.vlan = true;
                etherType = uint16_t(p[2] << 8 | p[3]);
                p += 4;
            }
        }
        const uint8_t *l4 = nullptr;
        if (etherType == 0x0800 && end - p >= 20) {
            packet.protocol = p[9];
            packet.src = addressText(p + 12, false);
            packet.dst = addressText(p + 16, false);
            l4 = p + (p[0] & 0x0f) * 4;
        } else if (etherType == 0x86dd && end - p >= 40) {
            packet.v6 = true;
            packet.protocol = p[6];
            packet.src = addressText(p + 8, true);
            packet.dst = addressText(p + 24, true);
            l4 = p + 40;
        }
        if (l4 && end - l4 >= 8) {
            packet.sport = uint16_t(l4[0] << 8 | l4[1]);
            packet.dport = uint16_t(l4[2] << 8 | l4[3]);
            if (packet.protocol == IPPROTO_TCP && end - l4 >= 14)
                packet.tcpFlags = l4[13];
        }
        file.packets.push_back(packet);
    }
    pcap_close(handle);
    return file;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// What the inventory says about addresses: pod address -> workload (ns/name from the app or k8s-app
// label), cluster IP -> (service port -> workload, target port), node addresses.
struct SampleInventory
{
    std::map<std::string, std::string> podWorkload;
    std::map<std::pair<std::string, uint16_t>, std::pair<std::string, uint16_t>> servicePort;
    std::set<std::string> nodes;
};

SampleInventory loadInventory(const QString &path)
{
    SampleInventory inventory;
    const YAML::Node list = YAML::LoadFile(QFile::encodeName(path).toStdString());
    std::map<std::string, std::string> appOfSelector; // "ns/app" -> workload id
    for (const YAML::Node &item : list["items"]) {
        const std::string kind = item["kind"].as<std::string>();
        const YAML::Node meta = item["metadata"];
        if (kind == "Pod") {
            const YAML::Node labels = meta["labels"];
            const std::string app = labels["app"] ? labels["app"].as<std::string>()
                                                  : labels["k8s-app"].as<std::string>();
            const std::string id = meta["namespace"].as<std::string>() + '/' + app;
            for (const YAML::Node &podIp : item["status"]["podIPs"])
                inventory.podWorkload[podIp["ip"].as<std::string>()] = id;
        } else if (kind == "Node") {
            for (const YAML::Node &address : item["status"]["addresses"])
                if (address["type"].as<std::string>() == "InternalIP")
                    inventory.nodes.insert(address["address"].as<std::string>());
        }
    }
    for (const YAML::Node &item : list["items"]) {
        if (item["kind"].as<std::string>() != "Service")
            continue;
        const YAML::Node selector = item["spec"]["selector"];
        const std::string app = selector["app"] ? selector["app"].as<std::string>()
                                                : selector["k8s-app"].as<std::string>();
        const std::string id = item["metadata"]["namespace"].as<std::string>() + '/' + app;
        for (const YAML::Node &clusterIp : item["spec"]["clusterIPs"])
            for (const YAML::Node &port : item["spec"]["ports"])
                inventory.servicePort[{clusterIp.as<std::string>(), port["port"].as<uint16_t>()}]
                    = {id, port["targetPort"].as<uint16_t>()}; // all numeric in this sample
    }
    return inventory;
}

using WorkloadEdge
    = std::tuple<std::string, std::string, uint16_t>; // client app, server app, container port

} // namespace

class tst_SampleCapture : public QObject
{
    Q_OBJECT

private slots:
    void fileFacts_data();
    void fileFacts();
    void addressesAreTheInventorys();
    void callGraphIsWhatGooglesPoliciesAllow();
    void generatorWritesTheCommittedBytes();
};

void tst_SampleCapture::fileFacts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("linkType");
    QTest::addColumn<int>("packets");
    QTest::addColumn<int>("synOnly"); // connection attempts, retransmitted SYNs included
    QTest::addColumn<int>("resets");
    QTest::addColumn<int>("ipv6");
    QTest::addColumn<int>("vlanTagged");
    QTest::addColumn<int>("dnsQueries"); // UDP to port 53
    QTest::addColumn<int>("dnsAnswers"); // UDP from port 53
    QTest::addColumn<qint64>("firstUs"); // offset of the first packet from 10:00:00

    // node1: 32 handshakes (14 of them kubelet probes), 1 refused, 1 SYN sent 3 times; 16 lookups.
    QTest::newRow("node1.pcapng (tcpdump -i any, SLL2)")
        << "node1.pcapng" << DLT_LINUX_SLL2 << 432 << 36 << 1 << 12 << 0 << 32 << 32
        << qint64(10030);
    // node2: 27 handshakes (20 probes); 7 lookups; one conversation of 9 packets tagged.
    QTest::newRow("node2.pcap (Ethernet)")
        << "node2.pcap" << DLT_EN10MB << 307 << 27 << 0 << 0 << 9 << 14 << 14 << qint64(400000);
}

void tst_SampleCapture::fileFacts()
{
    QFETCH(QString, file);
    QFETCH(int, linkType);
    QFETCH(int, packets);
    QFETCH(int, synOnly);
    QFETCH(int, resets);
    QFETCH(int, ipv6);
    QFETCH(int, vlanTagged);
    QFETCH(int, dnsQueries);
    QFETCH(int, dnsAnswers);
    QFETCH(qint64, firstUs);

    const CaptureFile capture = readCapture(kSampleDir + '/' + file);
    QVERIFY2(capture.error.isEmpty(), qPrintable(capture.error));
    QCOMPARE(capture.linkType, linkType);
    QCOMPARE(int(capture.packets.size()), packets);

    int syns = 0, rsts = 0, v6 = 0, vlan = 0, queries = 0, answers = 0;
    int64_t previous = 0;
    for (const Packet &packet : capture.packets) {
        QVERIFY2(packet.timeUs >= previous, "packets out of time order");
        previous = packet.timeUs;
        QVERIFY(packet.protocol == IPPROTO_TCP || packet.protocol == IPPROTO_UDP);
        syns += packet.protocol == IPPROTO_TCP && (packet.tcpFlags & 0x12) == 0x02;
        rsts += packet.protocol == IPPROTO_TCP && (packet.tcpFlags & 0x04);
        v6 += packet.v6;
        vlan += packet.vlan;
        queries += packet.protocol == IPPROTO_UDP && packet.dport == 53;
        answers += packet.protocol == IPPROTO_UDP && packet.sport == 53;
    }
    QCOMPARE(syns, synOnly);
    QCOMPARE(rsts, resets);
    QCOMPARE(v6, ipv6);
    QCOMPARE(vlan, vlanTagged);
    QCOMPARE(queries, dnsQueries);
    QCOMPARE(answers, dnsAnswers);
    QCOMPARE(capture.packets.front().timeUs - kStartUs, firstUs);
    QVERIFY(capture.packets.back().timeUs - kStartUs < 30 * qint64(1000000));
}

void tst_SampleCapture::addressesAreTheInventorys()
{
    const SampleInventory inventory = loadInventory(kSampleDir + "/inventory.yaml");
    QCOMPARE(int(inventory.podWorkload.size()), 17); // 16 pods, the first frontend dual-stack
    QCOMPARE(int(inventory.nodes.size()), 3);

    // The only addresses the inventory does not know: the shopper (IPv4 and IPv6) and a pod gone.
    const std::set<std::string> outsiders{"203.0.113.50", "2001:db8::50", "10.244.2.250"};
    std::set<std::string> outsidersSeen;
    for (const char *file : {"node1.pcapng", "node2.pcap"}) {
        const CaptureFile capture = readCapture(kSampleDir + '/' + file);
        QVERIFY2(capture.error.isEmpty(), qPrintable(capture.error));
        for (const Packet &packet : capture.packets) {
            for (const std::string &address : {packet.src, packet.dst}) {
                const bool known
                    = inventory.podWorkload.contains(address) || inventory.nodes.contains(address)
                      || std::any_of(
                          inventory.servicePort.begin(), inventory.servicePort.end(),
                          [&](const auto &entry) { return entry.first.first == address; });
                if (outsiders.contains(address))
                    outsidersSeen.insert(address);
                else
                    QVERIFY2(
                        known,
                        (std::string(file) + ": " + address + " is not in inventory.yaml").c_str());
            }
        }
    }
    QCOMPARE(outsidersSeen, outsiders);
}

void tst_SampleCapture::callGraphIsWhatGooglesPoliciesAllow()
{
    const QString policyDir
        = QStringLiteral(BULKHEAD_SHARED_DIR "/apps/online-boutique/network-policies");
    if (!QDir(policyDir).exists())
        QSKIP("Google's Online Boutique NetworkPolicies are not in BULKHEAD_SHARED_DIR");

    // Allowed: every (from app, to app, port) of an ingress rule with pod selectors. The frontend's
    // rule `- {}` admits anyone; it names no pair.
    std::set<WorkloadEdge> allowed;
    for (const std::filesystem::directory_entry &entry :
         std::filesystem::directory_iterator(QFile::encodeName(policyDir).toStdString())) {
        if (!entry.path().filename().string().starts_with("network-policy-"))
            continue;
        const YAML::Node policy = YAML::LoadFile(entry.path().string());
        const YAML::Node selected = policy["spec"]["podSelector"]["matchLabels"];
        if (!selected) // deny-all: podSelector {}
            continue;
        const std::string to = selected["app"].as<std::string>();
        for (const YAML::Node &rule : policy["spec"]["ingress"])
            for (const YAML::Node &from : rule["from"])
                for (const YAML::Node &port : rule["ports"])
                    allowed.insert({from["podSelector"]["matchLabels"]["app"].as<std::string>(), to,
                                    port["port"].as<uint16_t>()});
    }
    QCOMPARE(int(allowed.size()), 15);

    // Observed: TCP conversations between boutique pods that the server answered (a SYN-ACK, or any
    // segment when the handshake was not captured), calls to a cluster IP mapped to the target
    // port.
    const SampleInventory inventory = loadInventory(kSampleDir + "/inventory.yaml");
    auto appOf = [&](const std::string &address) -> std::optional<std::string> {
        const auto it = inventory.podWorkload.find(address);
        if (it == inventory.podWorkload.end() || !it->second.starts_with("boutique/"))
            return std::nullopt;
        return it->second.substr(std::strlen("boutique/"));
    };
    std::set<WorkloadEdge> observed;
    std::set<WorkloadEdge> frontendCallers;
    for (const char *file : {"node1.pcapng", "node2.pcap"}) {
        const CaptureFile capture = readCapture(kSampleDir + '/' + file);
        // (client, client port, server, server port) -> answered. The client sends the first
        // packet: its SYN, or (mid-stream) its request. A RST is a refusal, not an answer.
        std::map<std::tuple<std::string, uint16_t, std::string, uint16_t>, bool> answered;
        for (const Packet &packet : capture.packets) {
            if (packet.protocol != IPPROTO_TCP)
                continue;
            const auto forward
                = std::make_tuple(packet.src, packet.sport, packet.dst, packet.dport);
            const auto backward
                = std::make_tuple(packet.dst, packet.dport, packet.src, packet.sport);
            if (answered.contains(backward))
                answered[backward] = answered[backward] || !(packet.tcpFlags & 0x04);
            else if (!answered.contains(forward))
                answered[forward] = false;
        }
        for (const auto &[key, wasAnswered] : answered) {
            if (!wasAnswered)
                continue;
            const auto &[client, clientPort, server, serverPort] = key;
            const std::optional<std::string> clientApp = appOf(client);
            std::optional<std::string> serverApp = appOf(server);
            uint16_t containerPort = serverPort;
            if (const auto service = inventory.servicePort.find({server, serverPort});
                service != inventory.servicePort.end()
                && service->second.first.starts_with("boutique/")) {
                serverApp = service->second.first.substr(std::strlen("boutique/"));
                containerPort = service->second.second;
            }
            if (!clientApp || !serverApp)
                continue;
            if (*serverApp == "frontend")
                frontendCallers.insert({*clientApp, *serverApp, containerPort});
            else
                observed.insert({*clientApp, *serverApp, containerPort});
        }
    }
    std::string difference;
    for (const auto &[client, server, port] : observed)
        if (!allowed.contains({client, server, port}))
            difference += " extra " + client + "->" + server + ":" + std::to_string(port) + ";";
    for (const auto &[client, server, port] : allowed)
        if (!observed.contains({client, server, port}))
            difference += " missing " + client + "->" + server + ":" + std::to_string(port) + ";";
    QVERIFY2(difference.empty(), difference.c_str());
    QCOMPARE(frontendCallers, (std::set<WorkloadEdge>{{"loadgenerator", "frontend", 8080}}));
}

void tst_SampleCapture::generatorWritesTheCommittedBytes()
{
    const QString generator = QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead-samplegen");
    QVERIFY2(QFile::exists(generator), qPrintable(generator + " is not built"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess process;
    process.start(generator, {dir.path()});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    for (const char *file : {"node1.pcapng", "node2.pcap"}) {
        const QByteArray generated = fileBytes(dir.filePath(file));
        const QByteArray committed = fileBytes(kSampleDir + '/' + file);
        QVERIFY2(!committed.isEmpty(), file);
        QVERIFY2(
            generated == committed,
            qPrintable(QString("%1 differs from a fresh bulkhead-samplegen run (%2 vs %3 bytes): "
                               "regenerate the sample (README.md) or fix the generator")
                           .arg(file)
                           .arg(generated.size())
                           .arg(committed.size())));
    }
}

QTEST_GUILESS_MAIN(tst_SampleCapture)
#include "tst_samplecapture.moc"
