#include "analysis/httpattribution.h"

#include "analysis/analysis.h"
#include "inventory/inventory.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <string_view>

namespace bulkhead {

namespace {

// A kind as attributed, its strings viewing the extractor's list (which outlives the function).
struct SeenKey
{
    int client, server;
    uint16_t port;
    std::string_view method, path, host;
    bool http2;
    friend bool operator==(const SeenKey &, const SeenKey &) = default;
    template <typename H>
    friend H AbslHashValue(H h, const SeenKey &k)
    {
        return H::combine(std::move(h), k.client, k.server, k.port, k.method, k.path, k.host,
                          k.http2);
    }
};

struct PairKey
{
    IpAddress client, server;
    uint16_t serverPort;
    friend bool operator==(const PairKey &, const PairKey &) = default;
    template <typename H>
    friend H AbslHashValue(H h, const PairKey &k)
    {
        return H::combine(std::move(h), k.client.hash(), k.server.hash(), k.serverPort);
    }
};

} // namespace

std::vector<HttpRequestSeen>
attributeRequests(const Inventory &inventory, const std::vector<ObservedFlow> &flows,
                  const std::vector<std::pair<HttpRequestKey, HttpRequestCounts>> &requests)
{
    // A kind is keyed by client address, server address and port: any TCP flow between them
    // resolves the peers the same way (the first one is taken).
    absl::flat_hash_map<PairKey, const ObservedFlow *> byPair;
    for (const ObservedFlow &f : flows) {
        if (f.protocol == Protocol::TCP)
            byPair.try_emplace(PairKey{f.client, f.server, f.serverPort}, &f);
    }
    // One entry per kind, in order of arrival; sorted at the end.
    std::vector<HttpRequestSeen> result;
    absl::flat_hash_map<SeenKey, size_t> index;
    const auto add = [&](int client, int server, uint16_t port, const HttpRequestKey &k,
                         const HttpRequestCounts &n) {
        const auto [it, added] = index.try_emplace(
            SeenKey{client, server, port, k.method, k.path, k.host, k.http2}, result.size());
        if (added) {
            HttpRequestSeen s;
            s.clientWorkload = client;
            s.serverWorkload = server;
            s.port = port;
            s.method = k.method;
            s.path = k.path;
            s.host = k.host;
            s.http2 = k.http2;
            result.push_back(std::move(s));
        }
        HttpRequestSeen &into = result[it->second];
        into.count += n.count;
        into.queries.merge(n.queries);
    };
    for (const auto &[k, n] : requests) {
        const auto it = byPair.find(PairKey{k.client, k.server, k.serverPort});
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
    std::sort(result.begin(), result.end());
    return result;
}

} // namespace bulkhead
