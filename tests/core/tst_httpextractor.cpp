#include "l7/httpextractor.h"

#include "capture/capturereader.h"
#include "capture/flowtable.h"
#include "capture/httppackets.h"
#include "capture/packetinfo.h"

#include "capturewriter.h"
#include "l7messages.h"
#include "namemessages.h"
#include "packetbuilder.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace bulkhead;
using namespace bulkhead::testing;

namespace {

const IpAddress kClient = *IpAddress::parse("10.244.1.2");
const IpAddress kServer = *IpAddress::parse("10.244.1.3");

// "METHOD path host [h2] xN [query xM [samples,...]]" per request kind, in order ("..." when more
// queries were seen than kept).
QStringList kinds(const HttpExtractor &x)
{
    QStringList out;
    for (const auto &[k, n] : x.requests()) {
        std::string line = k.method + ' ' + k.path + ' ' + k.host + (k.http2 ? " h2" : "") + " x"
                           + std::to_string(n.count);
        if (n.queries.requests > 0) {
            line += " query x" + std::to_string(n.queries.requests) + " [";
            for (size_t i = 0; i < n.queries.samples.size(); ++i)
                line += (i ? "," : "") + n.queries.samples[i];
            line += std::string(n.queries.more ? ",...]" : "]");
        }
        out << QString::fromStdString(line);
    }
    return out;
}

// The client address -> server address and port pairs noted as TLS, sorted.
QStringList tlsPairs(const HttpExtractor &x)
{
    QStringList out;
    x.forEachTls([&](const IpAddress &client, const IpAddress &server, uint16_t port) {
        out << QString::fromStdString(client.toString() + " -> " + server.toString() + ':'
                                      + std::to_string(port));
    });
    out.sort();
    return out;
}

// Feeds a stream in segments of `segment` bytes (the parser must not care where they are cut).
void feedIn(HttpExtractor &x, const std::vector<uint8_t> &stream, size_t segment,
            uint16_t clientPort = 40000)
{
    for (size_t at = 0; at < stream.size(); at += segment)
        x.feed(kClient, clientPort, kServer, 8080, stream.data() + at,
               std::min(segment, stream.size() - at));
}

} // namespace

class TestHttpExtractor : public QObject
{
    Q_OBJECT

private slots:
    void http1_data();
    void http1();
    void h2cDynamicTable_data();
    void h2cDynamicTable();
    void bounds();
    void queries_data();
    void queries();
    void queriesMerge();
    void querySamples();
    void notHttp();
    void connectionEndForgetsState();
    void directionFilterChangesNothing();
    void kindsAcrossConnections();
    void captureConnectionEnds_data();
    void captureConnectionEnds();
};

void TestHttpExtractor::http1_data()
{
    QTest::addColumn<int>("segment");
    QTest::newRow("whole") << 100000;
    QTest::newRow("7-byte segments") << 7;
    QTest::newRow("1-byte segments") << 1;
}

// Keep-alive with pipelining: three requests in one write, a Content-Length body, a chunked body
// with an extension and a trailer, and a request after it; queries cut from the paths and counted
// beside them.
void TestHttpExtractor::http1()
{
    QFETCH(int, segment);
    const std::string stream
        = "GET /users/1234?full=1 HTTP/1.1\r\nHost: shop.example\r\n\r\n"
          "GET /users/5678 HTTP/1.1\r\nhost: shop.example\r\n\r\n"
          "POST /cart HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 16\r\n\r\n"
          "GET / HTTP/1.1\r\n" // a body that looks like a request: skipped
          "PUT /cart/items HTTP/1.1\r\nHost: shop.example\r\nTransfer-Encoding: chunked\r\n\r\n"
          "5;ext=1\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n"
          "GET /users/1234 HTTP/1.1\r\nHost: shop.example\r\n\r\n";
    HttpExtractor x;
    feedIn(x, bytes(stream), static_cast<size_t>(segment));
    QCOMPARE(kinds(x), (QStringList{"GET /users/1234 shop.example x2 query x1 [full=1]",
                                    "GET /users/5678 shop.example x1", "POST /cart shop.example x1",
                                    "PUT /cart/items shop.example x1"}));
    QCOMPARE(x.droppedStreams(), uint64_t(0));
    const HttpRequestKey first = x.requests().begin()->first;
    QCOMPARE(first.client, kClient);
    QCOMPARE(first.serverPort, uint16_t(8080));
}

void TestHttpExtractor::h2cDynamicTable_data()
{
    QTest::addColumn<int>("segment");
    QTest::newRow("whole") << 100000;
    QTest::newRow("5-byte segments") << 5;
}

// gRPC over h2c: the second and third calls' header blocks index the first's entries in the
// HPACK dynamic table (they are smaller); all three are decoded with that state.
void TestHttpExtractor::h2cDynamicTable()
{
    QFETCH(int, segment);
    H2Client client;
    std::vector<uint8_t> stream = client.preface();
    const auto add = [&](const H2Request &r) {
        const std::vector<uint8_t> frames = client.request(r);
        stream.insert(stream.end(), frames.begin(), frames.end());
        return client.lastHeaderBlockSize();
    };
    const size_t first
        = add({"POST", "/hipstershop.CartService/GetCart", "cart:7070", true, "abc"});
    const size_t second
        = add({"POST", "/hipstershop.CartService/GetCart", "cart:7070", true, "abd"});
    const size_t third = add({"POST", "/hipstershop.CartService/AddItem", "cart:7070", true, "x"});
    QVERIFY2(second < first / 2, qPrintable(QString("%1 then %2").arg(first).arg(second)));
    QVERIFY(third < first);
    HttpExtractor x;
    feedIn(x, stream, static_cast<size_t>(segment));
    QCOMPARE(kinds(x), (QStringList{"POST /hipstershop.CartService/AddItem cart:7070 h2 x1",
                                    "POST /hipstershop.CartService/GetCart cart:7070 h2 x2"}));
    QCOMPARE(x.droppedStreams(), uint64_t(0));

    // Without the first block, the table is missing its entries: the stream is given up, nothing
    // made up.
    H2Client other;
    std::vector<uint8_t> lost = other.preface();
    (void)other.request({"GET", "/a", "h", false, {}});
    const std::vector<uint8_t> later = other.request({"GET", "/a", "h", false, {}});
    lost.insert(lost.end(), later.begin(), later.end());
    HttpExtractor y;
    feedIn(y, lost, 100000, 40001);
    QVERIFY(y.requests().empty());
    QCOMPARE(y.droppedStreams(), uint64_t(1));
}

void TestHttpExtractor::bounds()
{
    // A head past the size bound: given up, never read further.
    HttpExtractor x;
    std::string big
        = "GET /a HTTP/1.1\r\nX: " + std::string(HttpExtractor::kMaxHeaderBytes, 'a') + "\r\n\r\n";
    feedIn(x, bytes(big), 1000);
    feedIn(x, bytes("GET /b HTTP/1.1\r\n\r\n"), 1000);
    QVERIFY(x.requests().empty());
    QCOMPARE(x.droppedStreams(), uint64_t(1));
    // New kinds per direction are bounded; requests of kinds already kept are still counted
    // (a long-lived gRPC channel makes many requests of a few kinds), the others are counted as
    // not kept, and the direction goes on being read.
    HttpExtractor y;
    std::string many;
    for (size_t i = 0; i < HttpExtractor::kMaxKindsPerStream + 5; ++i)
        many += "GET /x" + std::to_string(i) + " HTTP/1.1\r\n\r\n";
    for (int i = 0; i < 3; ++i)
        many += "GET /x0 HTTP/1.1\r\n\r\n";
    feedIn(y, bytes(many), 4096);
    const auto kept = y.requests();
    QCOMPARE(kept.size(), HttpExtractor::kMaxKindsPerStream);
    QCOMPARE(kept.begin()->first.path, std::string("/x0"));
    QCOMPARE(kept.begin()->second.count, uint64_t(4));
    QCOMPARE(y.requestsNotKept(), uint64_t(5));
    QCOMPARE(y.droppedStreams(), uint64_t(0));
    // Another direction still adds its own kinds.
    feedIn(y, bytes("GET /other HTTP/1.1\r\n\r\n"), 4096, 40001);
    QCOMPARE(y.requests().size(), HttpExtractor::kMaxKindsPerStream + 1);

    // The bytes of the kept paths are bounded in all: long distinct paths fill kMaxPathBytes
    // (64 MiB of 16,000-byte paths: 4,194 kinds), the rest are counted as not kept.
    HttpExtractor z;
    const size_t pathBytes = 16000;
    const size_t fit = HttpExtractor::kMaxPathBytes / pathBytes;
    for (size_t i = 0; i < fit + 10; ++i) {
        std::string path = "/" + std::to_string(i) + "/";
        path.resize(pathBytes, 'p');
        feedIn(z, bytes("GET " + path + " HTTP/1.1\r\n\r\n"), 100000, uint16_t(41000 + i / 900));
    }
    QCOMPARE(z.requests().size(), fit);
    QCOMPARE(z.requestsNotKept(), uint64_t(10));
    QCOMPARE(z.droppedStreams(), uint64_t(0));
}

void TestHttpExtractor::queries_data()
{
    QTest::addColumn<int>("segment");
    QTest::newRow("whole") << 100000;
    QTest::newRow("3-byte segments") << 3;
}

// One kind per method, path and host whatever the query: the query counted beside it, the four
// smallest distinct queries kept (byte order), a fragment never part of it, an empty query ("?")
// a query still; h2c's :path split the same way.
void TestHttpExtractor::queries()
{
    QFETCH(int, segment);
    std::string stream;
    for (const char *target : {"/s?page=2", "/s?page=10", "/s", "/s?", "/s?page=2#top", "/s#top",
                               "/s?page=3", "/s?b=1", "http://h/s?a=%2F/x#f", "/t?only"})
        stream += std::string("GET ") + target + " HTTP/1.1\r\nHost: h\r\n\r\n";
    HttpExtractor x;
    feedIn(x, bytes(stream), static_cast<size_t>(segment));
    QCOMPARE(kinds(x), (QStringList{"GET /s h x9 query x7 [,a=%2F/x,b=1,page=10,...]",
                                    "GET /t h x1 query x1 [only]"}));
    H2Client client;
    std::vector<uint8_t> h2 = client.preface();
    for (const char *path : {"/s?page=2", "/s", "/s?page=2"}) {
        const std::vector<uint8_t> frames = client.request({"GET", path, "h", false, {}});
        h2.insert(h2.end(), frames.begin(), frames.end());
    }
    HttpExtractor y;
    feedIn(y, h2, static_cast<size_t>(segment), 40001);
    QCOMPARE(kinds(y), QStringList{"GET /s h h2 x3 query x2 [page=2]"});
    // A query longer than HttpQueries::kMaxBytes is counted, not kept.
    HttpExtractor z;
    feedIn(z,
           bytes("GET /l?" + std::string(HttpQueries::kMaxBytes + 1, 'q')
                 + " HTTP/1.1\r\n\r\nGET /l?" + std::string(HttpQueries::kMaxBytes, 'k')
                 + " HTTP/1.1\r\n\r\n"),
           static_cast<size_t>(segment));
    QCOMPARE(kinds(z),
             QStringList{QString::fromStdString(
                 "GET /l  x2 query x2 [" + std::string(HttpQueries::kMaxBytes, 'k') + ",...]")});
}

// Merging extractors (one per capture file or thread) keeps the same samples in either order as
// reading everything into one.
void TestHttpExtractor::queriesMerge()
{
    const auto stream = [](std::initializer_list<const char *> queries) {
        std::string s;
        for (const char *q : queries)
            s += std::string("GET /s?") + q + " HTTP/1.1\r\n\r\n";
        return bytes(s);
    };
    const std::vector<uint8_t> a = stream({"e", "c", "a", "e"}), b = stream({"d", "b", "f"});
    HttpExtractor all, first, second;
    feedIn(all, a, 100000);
    feedIn(all, b, 100000); // the same connection: one kind
    feedIn(first, a, 100000);
    feedIn(second, b, 100000);
    HttpExtractor ab, ba;
    ab.merge(first);
    ab.merge(second);
    ba.merge(second);
    ba.merge(first);
    const QStringList expected{"GET /s  x7 query x7 [a,b,c,d,...]"};
    QCOMPARE(kinds(all), expected);
    QCOMPARE(kinds(ab), expected);
    QCOMPARE(kinds(ba), expected);
    // Fewer than four in all: nothing more.
    HttpExtractor small, one, two;
    feedIn(one, stream({"x"}), 100000);
    feedIn(two, stream({"w", "x"}), 100000);
    small.merge(one);
    small.merge(two);
    QCOMPARE(kinds(small), QStringList{"GET /s  x3 query x3 [w,x]"});
}

// HttpQueries on its own: the kept samples and the flag, request by request.
void TestHttpExtractor::querySamples()
{
    HttpQueries q;
    for (const char *s : {"d", "c", "d", "b", "a"})
        q.add(s);
    QCOMPARE(q.samples, (std::vector<std::string>{"a", "b", "c", "d"}));
    QVERIFY(!q.more);
    q.add("e"); // larger than every sample
    QCOMPARE(q.samples, (std::vector<std::string>{"a", "b", "c", "d"}));
    QVERIFY(q.more);
    q.add("", 3); // smaller: takes the largest one's place
    QCOMPARE(q.samples, (std::vector<std::string>{"", "a", "b", "c"}));
    QCOMPARE(q.requests, uint64_t(9));
    HttpQueries r;
    r.add("0");
    r.merge(q);
    QCOMPARE(r.samples, (std::vector<std::string>{"", "0", "a", "b"}));
    QCOMPARE(r.requests, uint64_t(10));
    QVERIFY(r.more);
}

void TestHttpExtractor::notHttp()
{
    HttpExtractor x;
    feedIn(x, bytes("\x16\x03\x01\x02\x00 TLS or anything else"), 100000);
    QVERIFY(x.requests().empty());
    // A capture that starts inside a connection: followed from its first request.
    feedIn(x, bytes("GET /late HTTP/1.1\r\n\r\n"), 100000);
    QCOMPARE(kinds(x), QStringList{"GET /late  x1"});
    // Malformed request lines and chunk sizes are dropped without a request.
    HttpExtractor y;
    feedIn(y, bytes("GET /x\r\n\r\n"), 100000, 1);
    feedIn(y, bytes("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), 100000, 2);
    QCOMPARE(kinds(y), QStringList{"POST /c  x1"});
    QCOMPARE(y.droppedStreams(), uint64_t(2));
    // Targets that are no path (found by fuzz_http: "#/users/1" left an empty path) give no
    // request; the stream goes on.
    HttpExtractor z;
    feedIn(z,
           bytes("GET #/users/1?x=1 HTTP/1.1\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n"
                 "CONNECT h:443 HTTP/1.1\r\n\r\nGET http://h/abs?q HTTP/1.1\r\n\r\n"),
           100000);
    QCOMPARE(kinds(z), QStringList{"GET /abs  x1 query x1 [q]"});
}

// A FIN or RST ends the connection's state (memory stays bounded by open connections); a new
// connection on the same ports starts afresh.
void TestHttpExtractor::connectionEndForgetsState()
{
    HttpExtractor x;
    const std::vector<uint8_t> request = bytes("GET /a HTTP/1.1\r\n\r\n");
    PacketInfo p;
    p.protocol = Protocol::TCP;
    p.src = kClient;
    p.dst = kServer;
    p.sport = 40000;
    p.dport = 8080;
    p.payload = request.data();
    p.payloadLength = static_cast<uint32_t>(request.size());
    QVERIFY(carriesHttp(p));
    observeHttp(x, p);
    QCOMPARE(x.openStreams(), size_t(1));
    PacketInfo fin = p;
    std::swap(fin.src, fin.dst); // the server closes
    std::swap(fin.sport, fin.dport);
    fin.payload = nullptr;
    fin.payloadLength = 0;
    fin.tcpFlags = 0x11; // FIN ACK
    QVERIFY(carriesHttp(fin));
    observeHttp(x, fin);
    QCOMPARE(x.openStreams(), size_t(0));
    fin.tcpFlags = 0x10; // a bare ACK is not looked at
    QVERIFY(!carriesHttp(fin));
    observeHttp(x, p);
    QCOMPARE(kinds(x), QStringList{"GET /a  x2"});
}

// The capture reader hands the extractor only the payloads its DirectionFilter wants: fed the same
// packets, an extractor behind the filter ends with the same requests as one fed everything.
void TestHttpExtractor::directionFilterChangesNothing()
{
    struct Segment
    {
        uint16_t clientPort;
        bool fromClient;
        std::string data;
        bool fin = false;
    };
    const std::vector<uint8_t> hello = tlsClientHello("api.example");
    const std::string clientHello(hello.begin(), hello.end());
    const std::vector<Segment> script = {
        {40000, true, "GET /a HTTP/1.1\r\nHo"},
        {40000, true, "st: x\r\n\r\n"}, // goes on a request: wanted though no method starts it
        {40000, false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}, // an answer: not wanted
        {40000, true, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n", true},      // with the FIN
        {40000, true, "st: y\r\n\r\n"}, // after the FIN: nothing to go on, not wanted
        {40000, true, "GET /c HTTP/1.1\r\nHost: x\r\n\r\n"},         // the ports again, a new start
        {40001, true, std::string("\x16\x03\x01\x00\x05hello", 10)}, // not a ClientHello
        {40004, true, clientHello},                                  // noted as TLS: wanted
        {40002, true, "GET /x HTTP/1.1\r\nno colon\r\n\r\n"},        // malformed: given up
        {40002, true, "GET /y HTTP/1.1\r\n\r\n"}, // wanted, and ignored by the extractor
        {40003, true, "PRI * HTTP/2.0\r\n"},      // the preface, cut
        {40003, true, "\r\nSM\r\n\r\n"},
        {40003, false, "", true}, // a FIN from the server ends both directions
        {40003, true, "\r\nSM\r\n\r\n"},
    };
    HttpExtractor all, behind;
    HttpExtractor::DirectionFilter filter;
    int skipped = 0;
    for (const Segment &seg : script) {
        const IpAddress &src = seg.fromClient ? kClient : kServer;
        const IpAddress &dst = seg.fromClient ? kServer : kClient;
        const uint16_t sport = seg.fromClient ? seg.clientPort : 8080;
        const uint16_t dport = seg.fromClient ? 8080 : seg.clientPort;
        const auto *data = reinterpret_cast<const uint8_t *>(seg.data.data());
        if (!seg.data.empty()) {
            all.feed(src, sport, dst, dport, data, seg.data.size());
            if (filter.wants(src, sport, dst, dport, data, seg.data.size()))
                behind.feed(src, sport, dst, dport, data, seg.data.size());
            else
                ++skipped;
        }
        if (seg.fin) {
            all.endConnection(src, sport, dst, dport);
            if (filter.ends(src, sport, dst, dport))
                behind.endConnection(src, sport, dst, dport);
        }
    }
    QCOMPARE(kinds(all), (QStringList{"GET /a x x1", "GET /b x x1", "GET /c x x1"}));
    QCOMPARE(kinds(behind), kinds(all));
    QCOMPARE(all.droppedStreams(), uint64_t(1));
    QCOMPARE(behind.droppedStreams(), all.droppedStreams());
    QCOMPARE(behind.openStreams(), all.openStreams());
    QCOMPARE(tlsPairs(behind), tlsPairs(all));
    QCOMPARE(tlsPairs(all), QStringList{"10.244.1.2 -> 10.244.1.3:8080"});
    QCOMPARE(skipped, 4); // the answer, the segment after the FIN, not TLS, the preface's end
}

// A kind is per client address and server address and port: the same request on two connections
// (two client ports), say many short HTTP/1.0-style connections, is one kind counted twice, and
// takes one place in the bounded table.
void TestHttpExtractor::kindsAcrossConnections()
{
    HttpExtractor x;
    feedIn(x, bytes("GET /health HTTP/1.1\r\nHost: api\r\n\r\n"), 4096, 40000);
    feedIn(x, bytes("GET /health HTTP/1.1\r\nHost: api\r\n\r\n"), 4096, 40001);
    feedIn(x, bytes("GET /other HTTP/1.1\r\nHost: api\r\n\r\n"), 4096, 40001);
    QCOMPARE(kinds(x), (QStringList{"GET /health api x2", "GET /other api x1"}));
    // Another client address is another kind.
    const std::vector<uint8_t> health = bytes("GET /health HTTP/1.1\r\nHost: api\r\n\r\n");
    x.feed(*IpAddress::parse("10.244.1.9"), 40000, kServer, 8080, health.data(), health.size());
    QCOMPARE(x.requests().size(), size_t(3));
}

void TestHttpExtractor::captureConnectionEnds_data()
{
    QTest::addColumn<bool>("finFromServer"); // else the client's last bytes come with its FIN
    QTest::newRow("FIN from the server") << true;
    QTest::newRow("FIN with the client's last bytes") << false;
}

// Through the capture reader (observeHttp, and httpWants on the reader thread): a FIN ends a
// connection in the middle of a request head; the same ports then carry a new connection whose
// first segment goes on from where the old head stopped (not a request start: not read, or it
// would complete "GET /b" or give the new direction up), then a request. Both read modes find
// exactly the two whole requests.
void TestHttpExtractor::captureConnectionEnds()
{
    QFETCH(bool, finFromServer);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string file = dir.filePath("ends.pcap").toStdString();
    {
        PacketBuilder b(LinkType::Ethernet);
        CaptureWriter w(file, LinkType::Ethernet);
        int64_t t = 1700000000000000ll;
        const auto send = [&](bool fromClient, uint8_t flags, const std::string &text) {
            const std::vector<uint8_t> data = bytes(text);
            if (fromClient)
                w.write(t, b.tcpData(kClient, 40000, kServer, 8080, flags, data));
            else
                w.write(t, b.tcpData(kServer, 8080, kClient, 40000, flags, data));
            t += 1000;
        };
        send(true, tcp::SYN, "");
        send(false, tcp::SYN | tcp::ACK, "");
        send(true, tcp::ACK | tcp::PSH, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        send(false, tcp::ACK | tcp::PSH, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        if (finFromServer) {
            send(true, tcp::ACK | tcp::PSH, "GET /b HTTP/1.1\r\nHo");
            send(false, tcp::FIN | tcp::ACK, "");
            send(true, tcp::FIN | tcp::ACK, "");
        } else {
            send(true, tcp::FIN | tcp::ACK | tcp::PSH, "GET /b HTTP/1.1\r\nHo");
            send(false, tcp::FIN | tcp::ACK, "");
        }
        // The same ports again.
        send(true, tcp::SYN, "");
        send(false, tcp::SYN | tcp::ACK, "");
        send(true, tcp::ACK | tcp::PSH, "st: x\r\n\r\n");
        send(true, tcp::ACK | tcp::PSH, "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        send(false, tcp::ACK | tcp::PSH, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        QVERIFY(w.close().has_value());
    }
    for (const CaptureReadMode mode : {CaptureReadMode::OneThread, CaptureReadMode::ReaderThread}) {
        FlowTable flows;
        flows.setHttpEnabled(true);
        QVERIFY(readCaptureFile(file, 0, flows, nullptr, mode).has_value());
        QCOMPARE(kinds(flows.http()), (QStringList{"GET /a x x1", "GET /c x x1"}));
        QCOMPARE(flows.http().droppedStreams(), uint64_t(0));
        QCOMPARE(flows.http().openStreams(), size_t(1)); // the second connection's request side
    }
}

QTEST_GUILESS_MAIN(TestHttpExtractor)
#include "tst_httpextractor.moc"
