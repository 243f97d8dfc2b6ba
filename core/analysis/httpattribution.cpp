#include "analysis/httpattribution.h"

#include "analysis/analysis.h"
#include "inventory/inventory.h"

#include <algorithm>
#include <tuple>

namespace bulkhead {

std::vector<HttpRequestSeen>
attributeRequests(const Inventory &inventory, const std::vector<ObservedFlow> &flows,
                  const std::map<HttpRequestKey, HttpRequestCounts> &requests)
{
    // A kind is keyed by client address, server address and port: any TCP flow between them
    // resolves the peers the same way (the first one is taken).
    std::map<std::tuple<IpAddress, IpAddress, uint16_t>, const ObservedFlow *> byPair;
    for (const ObservedFlow &f : flows) {
        if (f.protocol == Protocol::TCP)
            byPair.emplace(std::make_tuple(f.client, f.server, f.serverPort), &f);
    }
    // One entry per kind: its key is an HttpRequestSeen without counts or queries.
    std::map<HttpRequestSeen, HttpRequestCounts> out;
    const auto add = [&](int client, int server, uint16_t port, const HttpRequestKey &k,
                         const HttpRequestCounts &n) {
        HttpRequestSeen s;
        s.clientWorkload = client;
        s.serverWorkload = server;
        s.port = port;
        s.method = k.method;
        s.path = k.path;
        s.host = k.host;
        s.http2 = k.http2;
        HttpRequestCounts &into = out[s];
        into.count += n.count;
        into.queries.merge(n.queries);
    };
    for (const auto &[k, n] : requests) {
        const auto it = byPair.find({k.client, k.server, k.serverPort});
        if (it == byPair.end() || !it->second->clientPeer.isWorkload())
            continue;
        const ObservedFlow &f = *it->second;
        if (f.serverPeer.isWorkload()) {
            add(f.clientPeer.index, f.serverPeer.index, f.serverPort, k, n);
            continue;
        }
        if (f.service.empty())
            continue;
        for (const Service &svc : inventory.services) {
            if (svc.id() != f.service)
                continue;
            for (const ServicePort &sp : svc.ports) {
                if (sp.port != f.serverPort || sp.protocol != Protocol::TCP)
                    continue;
                for (size_t b : svc.backends) {
                    const Workload &w = inventory.workloads[b];
                    uint16_t port = 0;
                    if (const auto *number = std::get_if<uint16_t>(&sp.targetPort)) {
                        port = *number ? *number : sp.port;
                    } else {
                        for (const ContainerPort *cp :
                             w.portsNamed(std::get<std::string>(sp.targetPort)))
                            port = cp->protocol == Protocol::TCP ? cp->port : port;
                    }
                    if (port)
                        add(f.clientPeer.index, static_cast<int>(b), port, k, n);
                }
            }
        }
    }
    std::vector<HttpRequestSeen> result;
    for (auto &[s, n] : out) {
        HttpRequestSeen r = s;
        r.count = n.count;
        r.queries = std::move(n.queries);
        result.push_back(std::move(r));
    }
    return result;
}

} // namespace bulkhead
