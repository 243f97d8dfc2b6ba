// Live capture (core/capture/livecapture.h): filter checking and interface listing need no
// privilege; capturing on the loopback interface needs CAP_NET_RAW and is skipped, saying so,
// without it. The traffic is generated here (UDP datagrams and a TCP connection on 127.0.0.1),
// so the expected conversations are known.
#include "capture/capturereader.h"
#include "capture/flowtable.h"
#include "capture/livecapture.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace bulkhead;

namespace {

sockaddr_in loopback(uint16_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

uint16_t boundPort(int fd)
{
    sockaddr_in address{};
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    return ntohs(address.sin_port);
}

// A UDP receiver on an ephemeral port; `count` datagrams sent to it from another socket.
// Returns the receiver's port.
uint16_t sendUdp(int count)
{
    const int receiver = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in any = loopback(0);
    bind(receiver, reinterpret_cast<sockaddr *>(&any), sizeof any);
    const uint16_t port = boundPort(receiver);
    const int sender = socket(AF_INET, SOCK_DGRAM, 0);
    const sockaddr_in to = loopback(port);
    for (int i = 0; i < count; ++i)
        sendto(sender, "bulkhead", 8, 0, reinterpret_cast<const sockaddr *>(&to), sizeof to);
    close(sender);
    close(receiver);
    return port;
}

// A TCP listener, a client that connects, sends and closes. Returns the listener's port.
uint16_t connectTcp()
{
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in any = loopback(0);
    bind(listener, reinterpret_cast<sockaddr *>(&any), sizeof any);
    listen(listener, 1);
    const uint16_t port = boundPort(listener);
    const int client = socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in to = loopback(port);
    ::connect(client, reinterpret_cast<const sockaddr *>(&to), sizeof to);
    const int accepted = accept(listener, nullptr, nullptr);
    send(client, "hello", 5, 0);
    char buffer[8];
    recv(accepted, buffer, sizeof buffer, 0);
    close(client);
    close(accepted);
    close(listener);
    return port;
}

const RawFlow *findFlow(const std::vector<RawFlow> &flows, Protocol protocol, uint16_t port)
{
    for (const RawFlow &flow : flows)
        if (flow.protocol == protocol && (flow.port[0] == port || flow.port[1] == port))
            return &flow;
    return nullptr;
}

} // namespace

class TestLiveCapture : public QObject
{
    Q_OBJECT

private slots:
    void filterIsCheckedWithoutPrivilege_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("reason"); // part of the message when invalid
        QTest::newRow("empty") << "" << true << "";
        QTest::newRow("tcp") << "tcp" << true << "";
        QTest::newRow("port and host") << "tcp port 443 and host 10.0.0.1" << true << "";
        QTest::newRow("ipv6 net") << "ip6 net fd00::/8" << true << "";
        QTest::newRow("udp range") << "udp portrange 53-60" << true << "";
        QTest::newRow("typo") << "tcp prot 443" << false << "syntax error";
        QTest::newRow("dangling") << "udp and" << false << "syntax error";
        QTest::newRow("bad port") << "port 70000" << false << "port";
        QTest::newRow("bad net") << "net 10.0.0.1/40" << false << "mask";
    }

    void filterIsCheckedWithoutPrivilege()
    {
        QFETCH(QString, filter);
        QFETCH(bool, valid);
        QFETCH(QString, reason);
        const auto checked = checkCaptureFilter(filter.toStdString());
        QCOMPARE(checked.has_value(), valid);
        if (!valid) {
            const QString message = QString::fromStdString(checked.error().message);
            QVERIFY2(message.startsWith("the capture filter \"" + filter + "\" is not valid: "),
                     qPrintable(message));
            QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));
        }
    }

    void interfacesIncludeLoopback()
    {
        const auto interfaces = listCaptureInterfaces();
        QVERIFY2(interfaces.has_value(), interfaces ? "" : interfaces.error().message.c_str());
        if (interfaces->empty())
            QSKIP("libpcap lists no interface here (no permission to see devices)");
        bool lo = false;
        for (const CaptureInterface &iface : *interfaces)
            if (iface.name == "lo") {
                lo = true;
                QVERIFY(iface.loopback);
            }
        QVERIFY(lo);
    }

    void permissionMessageSaysHowToGrantIt()
    {
        const std::string help = capturePermissionHelp("/opt/bulkhead/bin/bulkhead");
        QVERIFY(help.find("CAP_NET_RAW") != std::string::npos);
        QVERIFY(help.find("sudo setcap cap_net_raw,cap_net_admin=eip /opt/bulkhead/bin/bulkhead")
                != std::string::npos);
        QVERIFY(help.find("without running it as root") != std::string::npos);
    }

    void unknownInterfaceIsAClearError()
    {
        LiveCapture capture({.interfaceName = "nosuch0"});
        const auto started = capture.start();
        QVERIFY(!started);
        const std::string message = started.error().message;
        // Without privilege libpcap reports the permission first; both are clear messages.
        QVERIFY2(message.find("no interface named \"nosuch0\"") != std::string::npos
                     || message.find("CAP_NET_RAW") != std::string::npos
                     || message.find("nosuch0") != std::string::npos,
                 message.c_str());
        QVERIFY(!capture.isRunning());
    }

    void capturesLoopbackTraffic()
    {
        QTemporaryDir dir;
        const std::string file = dir.filePath("lo.pcap").toStdString();
        LiveCaptureOptions options;
        options.interfaceName = "lo";
        options.filter = "ip host 127.0.0.1";
        options.writePath = file;
        LiveCapture capture(options);
        const mode_t umaskBefore = ::umask(0); // even so, the capture file is the user's alone
        const auto started = capture.start();
        ::umask(umaskBefore);
        if (!started) {
            if (started.error().message.find("CAP_NET_RAW") != std::string::npos)
                QSKIP("no CAP_NET_RAW here: live capture cannot be tested");
            QFAIL(started.error().message.c_str());
        }
        QVERIFY(capture.isRunning());
        struct stat st
        {
        };
        QCOMPARE(::stat(file.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 07777), 0600);
        std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the socket is open
        const uint16_t udpPort = sendUdp(5);
        const uint16_t tcpPort = connectTcp();
        QTRY_VERIFY_WITH_TIMEOUT(findFlow(capture.flows(), Protocol::TCP, tcpPort)
                                     && findFlow(capture.flows(), Protocol::UDP, udpPort),
                                 5000);
        capture.stop();
        QVERIFY(!capture.isRunning());
        QVERIFY(!capture.failure());

        const std::vector<RawFlow> flows = capture.flows();
        const RawFlow *udp = findFlow(flows, Protocol::UDP, udpPort);
        QVERIFY(udp);
        QCOMPARE(udp->packets[0] + udp->packets[1], uint64_t(5)); // one way, five datagrams
        const RawFlow *tcp = findFlow(flows, Protocol::TCP, tcpPort);
        QVERIFY(tcp);
        QVERIFY(tcp->synFrom[0] || tcp->synFrom[1]); // the handshake was seen
        QVERIFY(tcp->synAckFrom[0] || tcp->synAckFrom[1]);
        const LiveCaptureStats stats = capture.stats();
        QVERIFY(stats.packets >= 5 + 3);
        QCOMPARE(stats.decoded, stats.packets); // the filter let IPv4 through only

        // The written file holds the same packets, as whole records libpcap reads back.
        FlowTable fromFile;
        auto read = readCaptureFile(file, 0, fromFile);
        QVERIFY_OK(read);
        QCOMPARE(read->packets, stats.packets);
        QVERIFY(findFlow(fromFile.flows(), Protocol::UDP, udpPort));
    }

    void maxPacketsStopsTheWorker()
    {
        LiveCaptureOptions options;
        options.interfaceName = "lo";
        options.filter = "udp";
        options.maxPackets = 3;
        LiveCapture capture(options);
        const auto started = capture.start();
        if (!started)
            QSKIP("cannot capture on lo here (no CAP_NET_RAW)");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        sendUdp(10);
        QTRY_VERIFY_WITH_TIMEOUT(!capture.isRunning(), 5000);
        QCOMPARE(capture.stats().packets, uint64_t(3));
    }
};

QTEST_GUILESS_MAIN(TestLiveCapture)
#include "tst_livecapture.moc"
