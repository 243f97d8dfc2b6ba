#include "analysis/analysis.h"

#include "analysis/addressmap.h"
#include "analysis/servicebackends.h"
#include "inventory/inventory.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace bulkhead {
namespace {

using EdgeKey = std::tuple<Peer, Peer, Protocol, uint16_t>;

void insertSorted(std::vector<std::string> &list, const std::string &value)
{
    const auto it = std::lower_bound(list.begin(), list.end(), value);
    if (it == list.end() || *it != value)
        list.insert(it, value);
}

// Is (address, port) a declared server port: a container port of the pod's workload, or a port
// of the Service at that cluster IP?
bool isDeclaredPort(const Inventory &inventory, const AddressMap::Entry &entry, uint16_t port,
                    Protocol protocol)
{
    if (entry.kind == AddressMap::Kind::Workload)
        return inventory.workloads[entry.index].declaresPort(port, protocol);
    if (entry.kind == AddressMap::Kind::Service) {
        for (const ServicePort &sp : inventory.services[entry.index].ports) {
            if (sp.port == port && sp.protocol == protocol)
                return true;
        }
    }
    return false;
}

// Rule 3: which side (0 or 1) is the client.
int clientSide(const Inventory &inventory, const RawFlow &flow, const AddressMap::Entry entry[2],
               bool &handshakeSeen)
{
    handshakeSeen = false;
    if (flow.protocol == Protocol::TCP && flow.synFrom[0] != flow.synFrom[1]) {
        handshakeSeen = true;
        return flow.synFrom[0] ? 0 : 1;
    }
    if (flow.protocol == Protocol::TCP && flow.synFrom[0] && flow.synFrom[1]) {
        handshakeSeen = true; // simultaneous open: the first sender is the client
        return 0;
    }
    const bool declared0 = isDeclaredPort(inventory, entry[0], flow.port[0], flow.protocol);
    const bool declared1 = isDeclaredPort(inventory, entry[1], flow.port[1], flow.protocol);
    if (declared0 != declared1)
        return declared0 ? 1 : 0;
    if (flow.port[0] != flow.port[1])
        return flow.port[0] < flow.port[1] ? 1 : 0;
    return 0; // same port both ways: the first sender is the client
}

// Rule 4.
FlowState flowState(const RawFlow &flow, int client, bool handshakeSeen)
{
    const int server = 1 - client;
    if (flow.protocol != Protocol::TCP)
        return flow.unreachableTo[client] ? FlowState::Refused : FlowState::Established;
    if (handshakeSeen) {
        if (flow.synAckFrom[server])
            return FlowState::Established;
        if (flow.rstFrom[server] || flow.unreachableTo[client])
            return FlowState::Refused;
        return flow.tcpAnsweredAfterSyn[server] ? FlowState::Established : FlowState::Unanswered;
    }
    if (flow.unreachableTo[client])
        return FlowState::Refused;
    return flow.packets[server] > 0 ? FlowState::Established : FlowState::Unanswered;
}

Peer toPeer(const AddressMap::Entry &entry, const IpAddress &address)
{
    switch (entry.kind) {
    case AddressMap::Kind::Workload: return Peer{PeerKind::Workload, entry.index, {}};
    case AddressMap::Kind::Node: return Peer{PeerKind::Node, entry.index, address};
    case AddressMap::Kind::ExternalNetwork: return Peer{PeerKind::ExternalNetwork, entry.index, {}};
    case AddressMap::Kind::Unattributed: return Peer{PeerKind::Unattributed, -1, address};
    case AddressMap::Kind::External:
    case AddressMap::Kind::Service: break;
    }
    return Peer{PeerKind::External, -1, address};
}

} // namespace

std::vector<uint32_t> filesOfMask(uint64_t mask)
{
    std::vector<uint32_t> files;
    for (uint32_t f = 0; f < 64; ++f) {
        if (mask & (uint64_t(1) << f))
            files.push_back(f);
    }
    return files;
}

Analysis analyzeFlows(const Inventory &inventory, const std::vector<RawFlow> &rawFlows,
                      std::vector<std::string> captureFiles,
                      const std::vector<HubbleConnection> &hubble,
                      const std::map<IpAddress, std::vector<std::string>> &names)
{
    Analysis result;
    result.captureFiles = std::move(captureFiles);
    const AddressMap addresses(inventory);

    std::map<EdgeKey, Edge> edges;
    std::map<std::pair<EdgeKey, FlowState>, Attempt> attempts;
    std::set<IpAddress> unattributed;
    std::set<IpAddress> otherNodes; // node addresses that talked with pods of other nodes
    std::set<std::string> warnings;
    std::map<std::tuple<IpAddress, IpAddress, Protocol>, uint64_t> icmp;

    auto addTo = [](Edge &edge, const ObservedFlow &flow, const std::string &service) {
        Evidence ev;
        ev.flows = 1;
        ev.packets = flow.packets;
        ev.bytes = flow.bytes;
        ev.firstSeenUs = flow.firstSeenUs;
        ev.lastSeenUs = flow.lastSeenUs;
        ev.files = filesOfMask(flow.fileMask);
        edge.evidence.merge(ev);
        if (!service.empty()
            && std::find(edge.viaServices.begin(), edge.viaServices.end(), service)
                   == edge.viaServices.end()) {
            edge.viaServices.push_back(service);
            std::sort(edge.viaServices.begin(), edge.viaServices.end());
        }
    };
    const HubbleConnection *current = nullptr; // the Hubble connection being recorded, if any
    auto record = [&](const ObservedFlow &flow, const Peer &from, const Peer &to, uint16_t port) {
        const EdgeKey key{from, to, flow.protocol, port};
        Edge *edge;
        if (flow.state == FlowState::Established) {
            edge = &edges[key];
        } else {
            Attempt &attempt = attempts[{key, flow.state}];
            attempt.state = flow.state;
            if (current) {
                for (const std::string &r : current->dropReasons)
                    insertSorted(attempt.dropReasons, r);
                for (const std::string &p : current->deniedBy)
                    insertSorted(attempt.deniedBy, p);
            }
            edge = &attempt.edge;
        }
        edge->from = from;
        edge->to = to;
        edge->protocol = flow.protocol;
        edge->port = port;
        addTo(*edge, flow, flow.service);
    };

    // Traffic to a Service port, to each of its backends. At the edge (a NodePort on node address
    // `nodeAddress`, or a load balancer address) with externalTrafficPolicy Cluster, the backends
    // see the address of the node that forwarded it (SNAT): that node, or any node for a load
    // balancer; with Local, the client's own address (docs/node-boundary.md).
    const ServiceBackends backends(inventory, addresses);
    std::vector<Peer> allNodes;
    for (size_t n = 0; n < inventory.nodes.size(); ++n) {
        for (const IpAddress &a : inventory.nodes[n].addresses)
            allNodes.push_back(Peer{PeerKind::Node, static_cast<int>(n), a});
    }
    auto recordService = [&](const ObservedFlow &flow, int serviceIndex, const ServicePort &sp,
                             bool atEdge, std::optional<IpAddress> nodeAddress) {
        const Service &service = inventory.services[static_cast<size_t>(serviceIndex)];
        std::vector<Peer> sources{flow.clientPeer};
        if (atEdge && !service.externalTrafficLocal) {
            if (nodeAddress) {
                sources = {toPeer(addresses.lookup(*nodeAddress), *nodeAddress)};
            } else {
                sources = allNodes;
                warnings.insert(
                    "Service " + service.id()
                    + " load balancer traffic with externalTrafficPolicy Cluster reaches its "
                      "backends from any node (SNAT): allowed from the "
                    + std::to_string(allNodes.size()) + " node address(es)");
            }
        }
        for (const ServiceBackends::Target &target : backends.targets(serviceIndex, sp, warnings)) {
            for (const Peer &from : sources) {
                // A node forwarding to a pod of its own: always allowed, left out.
                if (from.kind == PeerKind::Node && target.peer.isWorkload()) {
                    const Workload &w = inventory.workloads[static_cast<size_t>(target.peer.index)];
                    const bool allOnThatNode
                        = std::all_of(w.pods.begin(), w.pods.end(), [&](const PodMember &p) {
                              return p.addresses.empty() || (p.hostIp && *p.hostIp == from.address);
                          });
                    if (allOnThatNode && !w.pods.empty())
                        continue;
                }
                if (from.kind == PeerKind::Node)
                    otherNodes.insert(from.address);
                record(flow, from, target.peer, target.port);
            }
        }
    };

    // forcedClient: the side Hubble said is the client (-1: decide by rule 3); forcedState: the
    // state Hubble's verdicts give.
    auto process = [&](const RawFlow &raw, const AddressMap::Entry entry[2], int forcedClient,
                       std::optional<FlowState> forcedState) {
        bool handshakeSeen = false;
        const int c
            = forcedClient >= 0 ? forcedClient : clientSide(inventory, raw, entry, handshakeSeen);
        const int s = 1 - c;

        ObservedFlow flow;
        flow.client = raw.address[c];
        flow.server = raw.address[s];
        flow.clientPort = raw.port[c];
        flow.serverPort = raw.port[s];
        flow.protocol = raw.protocol;
        flow.state = forcedState ? *forcedState : flowState(raw, c, handshakeSeen);
        flow.packets = raw.packets[0] + raw.packets[1];
        flow.bytes = raw.bytes[0] + raw.bytes[1];
        flow.firstSeenUs = raw.firstSeenUs;
        flow.lastSeenUs = raw.lastSeenUs;
        flow.fileMask = raw.fileMask;
        flow.handshakeSeen = handshakeSeen;
        flow.clientPeer = toPeer(entry[c], flow.client);
        flow.serverPeer = toPeer(entry[s], flow.server);

        const AddressMap::Entry &ce = entry[c];
        const AddressMap::Entry &se = entry[s];
        for (const AddressMap::Entry *e : {&ce, &se}) {
            if (e->kind == AddressMap::Kind::Unattributed)
                unattributed.insert(e == &ce ? flow.client : flow.server);
        }

        // Rule 5: a pod and its own node, whichever host-network workload shares its address.
        const auto ownNode = [](const AddressMap::Entry &pod, const AddressMap::Entry &node,
                                const IpAddress &nodeAddress) {
            return pod.kind == AddressMap::Kind::Workload
                   && (node.kind == AddressMap::Kind::Node || node.hostNetwork) && pod.hostIp
                   && *pod.hostIp == nodeAddress;
        };
        if (ownNode(ce, se, flow.server) || ownNode(se, ce, flow.client)) {
            flow.ownNode = true;
            ++result.ownNodeFlows;
            result.flows.push_back(flow);
            return;
        }
        if (ce.kind == AddressMap::Kind::Service) {
            warnings.insert("traffic from Service IP " + flow.client.toString() + " ("
                            + inventory.services[ce.index].id()
                            + ") as a client cannot be attributed to a workload; left out");
            result.flows.push_back(flow);
            return;
        }

        if (se.kind == AddressMap::Kind::Service) {
            // Rule 2: a Service VIP (or load balancer address) becomes edges to every backend,
            // on the resolved container port.
            const Service &service = inventory.services[se.index];
            flow.service = service.id();
            const ServicePort *sp = nullptr;
            for (const ServicePort &p : service.ports) {
                if (p.port == flow.serverPort && p.protocol == flow.protocol)
                    sp = &p;
            }
            result.flows.push_back(flow);
            if (!sp) {
                warnings.insert("traffic to Service " + service.id() + " on "
                                + std::string(protocolName(flow.protocol)) + '/'
                                + std::to_string(flow.serverPort)
                                + ", a port it does not declare: left out");
                return;
            }
            recordService(flow, se.index, *sp, se.loadBalancer, std::nullopt);
            return;
        }
        if (se.kind == AddressMap::Kind::Node) {
            // A NodePort on any node's address goes to the Service's backends.
            if (const int svc = addresses.nodePortService(flow.serverPort, flow.protocol);
                svc >= 0) {
                const Service &service = inventory.services[static_cast<size_t>(svc)];
                flow.service = service.id();
                result.flows.push_back(flow);
                for (const ServicePort &p : service.ports) {
                    if (p.nodePort == flow.serverPort && p.protocol == flow.protocol)
                        recordService(flow, svc, p, true, flow.server);
                }
                return;
            }
        }

        result.flows.push_back(flow);
        const bool clientIsPod = ce.kind == AddressMap::Kind::Workload;
        const bool serverIsPod = se.kind == AddressMap::Kind::Workload;
        if (!clientIsPod && !serverIsPod) {
            ++result.outsideFlows;
            return;
        }
        if (ce.kind == AddressMap::Kind::Node || se.kind == AddressMap::Kind::Node)
            otherNodes.insert(ce.kind == AddressMap::Kind::Node ? flow.client : flow.server);
        record(flow, flow.clientPeer, flow.serverPeer, flow.serverPort);
    };

    for (const RawFlow &raw : rawFlows) {
        if (raw.protocol == Protocol::ICMP || raw.protocol == Protocol::ICMPv6) {
            const bool swap = raw.address[1] < raw.address[0];
            icmp[{raw.address[swap ? 1 : 0], raw.address[swap ? 0 : 1], raw.protocol}]
                += raw.packets[0] + raw.packets[1];
            continue;
        }
        // Each end with its own port: a node address is a host-network workload's only on the
        // ports that workload declares.
        const AddressMap::Entry entry[2]
            = {addresses.lookup(raw.address[0], raw.port[0], raw.protocol),
               addresses.lookup(raw.address[1], raw.port[1], raw.protocol)};
        process(raw, entry, -1, std::nullopt);
    }

    // Hubble connections: ends named by namespace/pod are joined by name first (a pod's address
    // may have changed since the inventory was taken), then by address.
    if (!hubble.empty()) {
        std::unordered_map<std::string, AddressMap::Entry> pods;
        for (size_t w = 0; w < inventory.workloads.size(); ++w) {
            const Workload &workload = inventory.workloads[w];
            // A host-network pod shares its node's address: its ends are attributed by address
            // and port, as for captures (docs/node-boundary.md).
            for (const PodMember &pod : workload.pods)
                if (!pod.hostNetwork)
                    pods[workload.ns + '/' + pod.name]
                        = AddressMap::Entry{AddressMap::Kind::Workload, int(w), pod.hostIp};
        }
        std::set<std::string> missing;
        for (const HubbleConnection &hc : hubble) {
            AddressMap::Entry entry[2];
            for (int side = 0; side < 2; ++side) {
                entry[side]
                    = addresses.lookup(hc.raw.address[side], hc.raw.port[side], hc.raw.protocol);
                if (hc.pod[side].empty())
                    continue;
                const std::string id = hc.ns[side] + '/' + hc.pod[side];
                if (const auto it = pods.find(id); it != pods.end())
                    entry[side] = it->second;
                else
                    missing.insert(id);
            }
            // Established when something was forwarded and nothing dropped, or when the server's
            // answer was forwarded (a SYN forwarded at the client's node but dropped at the
            // server's by an ingress policy never got through: dropped).
            bool handshake = false;
            const int client = hc.clientKnown ? 0 : clientSide(inventory, hc.raw, entry, handshake);
            const bool answered = hc.forwardedFrom[1 - client];
            const FlowState state = hc.forwarded && (answered || !hc.dropped)
                                        ? FlowState::Established
                                        : FlowState::Dropped;
            current = &hc;
            process(hc.raw, entry, client, state);
            current = nullptr;
        }
        result.missingPods.assign(missing.begin(), missing.end());
        if (!missing.empty()) {
            std::string list;
            const size_t shown = std::min<size_t>(missing.size(), 10);
            for (size_t i = 0; i < shown; ++i)
                list += (i ? ", " : "") + result.missingPods[i];
            if (missing.size() > shown)
                list += ", and " + std::to_string(missing.size() - shown) + " more";
            warnings.insert(
                std::to_string(missing.size())
                + " pod(s) named by Hubble flows are not in the inventory (attributed by address"
                  " instead): "
                + list);
        }
    }

    // Names of the external peers, for output.
    if (!names.empty()) {
        auto nameOf = [&](const Peer &peer) {
            if (peer.kind != PeerKind::External)
                return;
            if (const auto it = names.find(peer.address); it != names.end())
                result.externalNames[peer.address] = it->second;
        };
        for (const auto &[key, edge] : edges)
            nameOf(edge.from), nameOf(edge.to);
        for (const auto &[key, attempt] : attempts)
            nameOf(attempt.edge.from), nameOf(attempt.edge.to);
    }

    for (auto &[key, edge] : edges)
        result.edges.push_back(std::move(edge));
    for (auto &[key, attempt] : attempts)
        result.attempts.push_back(std::move(attempt));
    result.unattributed.assign(unattributed.begin(), unattributed.end());
    for (const IpAddress &a : result.unattributed) {
        result.warnings.push_back(
            "unattributed address " + a.toString()
            + " is inside the cluster network but matches no pod, Service or node:"
              " its traffic gets no allowance");
    }
    for (const auto &[key, packets] : icmp) {
        const auto &[a, b, protocol] = key;
        result.icmp.push_back(IcmpSummary{a, b, protocol, packets});
    }
    if (!result.icmp.empty()) {
        result.warnings.push_back(
            std::to_string(result.icmp.size())
            + " ICMP/ICMPv6 conversation(s) seen: counted, but a NetworkPolicy"
              " cannot express ICMP");
    }
    if (!otherNodes.empty()) {
        // One line, however many nodes.
        std::string nodeList;
        size_t shown = 0;
        for (const IpAddress &a : otherNodes) {
            if (shown++ == 5)
                break;
            nodeList += (nodeList.empty() ? "" : ", ") + a.toString();
        }
        if (otherNodes.size() > 5)
            nodeList += ", +" + std::to_string(otherNodes.size() - 5) + " more";
        warnings.insert("traffic between pods and " + std::to_string(otherNodes.size())
                        + " node address(es) other than their own (" + nodeList
                        + ") is kept as ipBlocks of those addresses");
    }
    result.warnings.insert(result.warnings.end(), warnings.begin(), warnings.end());
    std::sort(result.flows.begin(), result.flows.end(),
              [](const ObservedFlow &a, const ObservedFlow &b) {
                  return std::tie(a.firstSeenUs, a.client, a.clientPort, a.server, a.serverPort,
                                  a.protocol)
                         < std::tie(b.firstSeenUs, b.client, b.clientPort, b.server, b.serverPort,
                                    b.protocol);
              });
    return result;
}

} // namespace bulkhead
