#include "httpapp.h"

#include "capturewriter.h"
#include "l7messages.h"
#include "namemessages.h"
#include "packetbuilder.h"

#include <fstream>

namespace bulkhead::testing {

namespace {

const char *const kInventory = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: shop, labels: {app: web}}
  status: {podIP: 10.244.1.10}
- apiVersion: v1
  kind: Pod
  metadata: {name: admin, namespace: shop, labels: {app: admin}}
  status: {podIP: 10.244.1.11}
- apiVersion: v1
  kind: Pod
  metadata: {name: api, namespace: shop, labels: {app: api}}
  spec: {containers: [{name: a, ports: [{name: http, containerPort: 8080}]}]}
  status: {podIP: 10.244.1.20}
- apiVersion: v1
  kind: Pod
  metadata: {name: pay, namespace: shop, labels: {app: pay}}
  spec: {containers: [{name: p, ports: [{name: https, containerPort: 443}]}]}
  status: {podIP: 10.244.1.30}
)";

} // namespace

bool writeHttpApp(const std::string &dir)
{
    {
        std::ofstream inv(dir + "/inventory.yaml");
        inv << kInventory;
        if (!inv)
            return false;
    }
    CaptureWriter writer(dir + "/http.pcap", LinkType::Ethernet);
    PacketBuilder builder(LinkType::Ethernet);
    int64_t time = 1'796'292'000'000'000;
    const auto connection = [&](const char *client, uint16_t cport, const char *server,
                                uint16_t sport, const std::vector<std::vector<uint8_t>> &segments) {
        const IpAddress c = *IpAddress::parse(client), s = *IpAddress::parse(server);
        writer.write(time += 1000, builder.tcp(c, cport, s, sport, tcp::SYN));
        writer.write(time += 1000, builder.tcp(s, sport, c, cport, tcp::SYN | tcp::ACK));
        for (const std::vector<uint8_t> &seg : segments) {
            writer.write(time += 1000,
                         builder.tcpData(c, cport, s, sport, tcp::ACK | tcp::PSH, seg));
            writer.write(time += 1000, builder.tcp(s, sport, c, cport, tcp::ACK, 40));
        }
    };
    const auto get = [](const char *path) {
        return bytes(std::string("GET ") + path + " HTTP/1.1\r\nHost: api\r\n\r\n");
    };
    connection("10.244.1.10", 40000, "10.244.1.20", 8080,
               {get("/users/1"), get("/users/2"), get("/users/3"), get("/users/4?full=1"),
                get("/users/4"), get("/orders/1"), get("/orders/2"),
                bytes("POST /orders HTTP/1.1\r\nHost: api\r\nContent-Length: 2\r\n\r\n{}")});
    connection("10.244.1.11", 40001, "10.244.1.20", 8080, {get("/users/9")});
    connection("10.244.1.10", 40002, "10.244.1.30", 443, {tlsClientHello("pay.shop.svc")});
    return bool(writer.close());
}

} // namespace bulkhead::testing
