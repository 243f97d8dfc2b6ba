#pragma once

// The small shop of tst_ciliumcli and tst_ciliumevidencecli: its inventory (a load generator, a
// frontend behind a Service, a gRPC cart, the cluster DNS) and a writer of its captures.

#include "capturewriter.h"
#include "packetbuilder.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace bulkhead::testing::shop {

inline const char *const inventoryYaml = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: coredns-1, namespace: kube-system, labels: {k8s-app: kube-dns}}
  spec: {containers: [{name: c, ports: [{name: dns, containerPort: 53, protocol: UDP}]}]}
  status: {podIP: 10.244.0.2}
- apiVersion: v1
  kind: Service
  metadata: {name: kube-dns, namespace: kube-system}
  spec: {clusterIP: 10.96.0.10, selector: {k8s-app: kube-dns}, ports: [{name: dns, port: 53, protocol: UDP, targetPort: 53}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: loadgen-1, namespace: shop, labels: {app: loadgen}}
  status: {podIP: 10.244.1.3}
- apiVersion: v1
  kind: Pod
  metadata: {name: frontend-1, namespace: shop, labels: {app: frontend}}
  spec: {containers: [{name: f, ports: [{name: http, containerPort: 8080}]}]}
  status: {podIP: 10.244.1.4}
- apiVersion: v1
  kind: Service
  metadata: {name: frontend, namespace: shop}
  spec: {clusterIP: 10.96.0.40, selector: {app: frontend}, ports: [{port: 80, targetPort: http}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: cart-1, namespace: shop, labels: {app: cart}}
  spec: {containers: [{name: c, ports: [{name: grpc, containerPort: 7070}]}]}
  status: {podIP: 10.244.1.5}
)";

inline IpAddress ip(const char *text)
{
    return *IpAddress::parse(text);
}

class Capture
{
public:
    explicit Capture(const QString &path)
        : m_writer(path.toStdString(), LinkType::Ethernet)
    {
    }
    // A TCP connection: handshake, then each client segment with a short answer.
    void connection(const IpAddress &c, uint16_t cport, const IpAddress &s, uint16_t sport,
                    const std::vector<std::vector<uint8_t>> &segments)
    {
        m_writer.write(m_time += 1000, m_builder.tcp(c, cport, s, sport, tcp::SYN));
        m_writer.write(m_time += 1000, m_builder.tcp(s, sport, c, cport, tcp::SYN | tcp::ACK));
        for (const std::vector<uint8_t> &seg : segments) {
            m_writer.write(m_time += 1000,
                           m_builder.tcpData(c, cport, s, sport, tcp::ACK | tcp::PSH, seg));
            m_writer.write(m_time += 1000, m_builder.tcp(s, sport, c, cport, tcp::ACK, 40));
        }
    }
    void dns(const IpAddress &client, uint16_t cport, const std::vector<uint8_t> &answer)
    {
        m_writer.write(m_time += 1000, m_builder.udp(client, cport, ip("10.96.0.10"), 53, 40));
        m_writer.write(m_time += 1000,
                       m_builder.udpData(ip("10.96.0.10"), 53, client, cport, answer));
    }
    bool close() { return bool(m_writer.close()); }

private:
    CaptureWriter m_writer;
    PacketBuilder m_builder{LinkType::Ethernet};
    int64_t m_time = 1'796'292'000'000'000;
};

// The document of the policy named `name` in namespace shop, from a multi-document YAML.
inline QByteArray documentOf(const QByteArray &yaml, const QByteArray &name)
{
    for (const QString &d : QString::fromUtf8(yaml).split(QStringLiteral("---\n"))) {
        const QByteArray doc = d.toUtf8();
        if (doc.contains("  name: " + name + "\n") && doc.contains("  namespace: shop\n"))
            return doc;
    }
    return {};
}

} // namespace bulkhead::testing::shop
