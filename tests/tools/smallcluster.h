#pragma once

// A three-workload cluster for unit tests above the inventory (analysis, check, report), and
// conversations written as the capture layer hands them over (RawFlow), so each test states the
// packets it means without a capture file.
//
//   shop/web  (bare pod web, 10.244.1.10 on node 172.18.0.2, port 8080 "http")
//   shop/api  (bare pod api, 10.244.1.20 on node 172.18.0.2, port 9090 "grpc"),
//             behind Service shop/api 10.96.0.20:80 -> targetPort 9090
//   data/db   (bare pod db, 10.244.2.30 on node 172.18.0.3, port 5432)
//   clusterNetworks 10.244.0.0/16 and 10.96.0.0/12
// Workload indices (sorted by namespace/name): 0 data/db, 1 shop/api, 2 shop/web.
#include "testsupport.h"

#include "capture/rawflow.h"
#include "inventory/inventoryloader.h"

namespace bulkhead::testing {

inline const char *smallClusterYaml = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: shop, labels: {app: web}}
  spec: {nodeName: n1, containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
  status: {phase: Running, podIP: 10.244.1.10, hostIP: 172.18.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: api, namespace: shop, labels: {app: api}}
  spec: {nodeName: n1, containers: [{name: c, ports: [{containerPort: 9090, name: grpc}]}]}
  status: {phase: Running, podIP: 10.244.1.20, hostIP: 172.18.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: db, namespace: data, labels: {app: db}}
  spec: {nodeName: n2, containers: [{name: c, ports: [{containerPort: 5432}]}]}
  status: {phase: Running, podIP: 10.244.2.30, hostIP: 172.18.0.3}
- apiVersion: v1
  kind: Service
  metadata: {name: api, namespace: shop}
  spec: {clusterIP: 10.96.0.20, selector: {app: api}, ports: [{port: 80, targetPort: 9090}]}
---
apiVersion: bulkhead.io/v1alpha1
kind: Inventory
clusterNetworks: [10.244.0.0/16, 10.96.0.0/12]
)";

enum SmallClusterWorkload { Db = 0, Api = 1, Web = 2 };

inline Inventory smallCluster()
{
    auto inventory = loadInventoryText(smallClusterYaml, "cluster.yaml");
    if (!inventory)
        qFatal("the small cluster does not load: %s", inventory.error().toString().c_str());
    return std::move(*inventory);
}

// What a conversation's packets showed, from side 0 (the first packet's sender).
enum class Seen {
    Handshake,  // SYN from side 0, SYN-ACK from side 1, data both ways
    Refused,    // SYN from side 0, RST from side 1
    Unanswered, // SYN from side 0, nothing back
    Midstream,  // no SYN seen: data both ways
    OneWay,     // no SYN seen: data from side 0 only
};

// One conversation 0 -> 1 at `startUs` lasting a second, 5 + 3 packets of 100 bytes (side 0 +
// side 1) unless Seen says otherwise, in capture file `file`.
inline RawFlow rawFlow(const char *from, uint16_t fromPort, const char *to, uint16_t toPort,
                       Seen seen = Seen::Handshake, Protocol protocol = Protocol::TCP,
                       int64_t startUs = 1'700'000'000'000'000, int file = 0)
{
    RawFlow f;
    f.address[0] = ip(from);
    f.address[1] = ip(to);
    f.port[0] = fromPort;
    f.port[1] = toPort;
    f.protocol = protocol;
    f.firstSeenUs = startUs;
    f.lastSeenUs = startUs + 1'000'000;
    f.fileMask = uint64_t(1) << file;
    f.packets[0] = 5;
    f.bytes[0] = 500;
    switch (seen) {
    case Seen::Handshake:
        f.synFrom[0] = true;
        f.synAckFrom[1] = true;
        f.packets[1] = 3;
        f.bytes[1] = 300;
        break;
    case Seen::Refused:
        f.synFrom[0] = true;
        f.rstFrom[1] = true;
        f.packets[0] = 1;
        f.bytes[0] = 100;
        f.packets[1] = 1;
        f.bytes[1] = 100;
        break;
    case Seen::Unanswered:
        f.synFrom[0] = true;
        f.packets[0] = 3;
        f.bytes[0] = 300;
        break;
    case Seen::Midstream:
        f.packets[1] = 3;
        f.bytes[1] = 300;
        break;
    case Seen::OneWay: break;
    }
    return f;
}

} // namespace bulkhead::testing
