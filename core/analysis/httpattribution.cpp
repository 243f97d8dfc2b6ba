#include "analysis/httpattribution.h"

#include "analysis/analysis.h"
#include "inventory/inventory.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <string_view>
#include <tuple>

namespace bulkhead {

namespace {

// A kind as attributed, its strings viewing the extractor's (valid during the call), with the
// counts of one extracted kind behind it. Ordered like HttpRequestSeen.
struct Attributed
{
    int client, server;
    uint16_t port;
    std::string_view method, path, host;
    bool http2;
    uint64_t count;
    const HttpQueries *queries;

    auto key() const { return std::tie(client, server, port, method, path, host, http2); }
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

std::vector<HttpRequestSeen> attributeRequests(const Inventory &inventory,
                                               const std::vector<ObservedFlow> &flows,
                                               const HttpExtractor &requests)
{
    // A kind is keyed by client address, server address and port: any TCP flow between them
    // resolves the peers the same way (the first one is taken).
    absl::flat_hash_map<PairKey, const ObservedFlow *> byPair;
    for (const ObservedFlow &f : flows) {
        if (f.protocol == Protocol::TCP)
            byPair.try_emplace(PairKey{f.client, f.server, f.serverPort}, &f);
    }
    absl::flat_hash_map<std::string, const Service *> servicesById;
    for (const Service &svc : inventory.services)
        servicesById.try_emplace(svc.id(), &svc);
    // Light entries (no strings copied) sorted, then one HttpRequestSeen per run of equal keys,
    // made in order: no map of strings, no moving of the results.
    std::vector<Attributed> entries;
    entries.reserve(requests.requestKinds()); // more only through Services with several backends
    const auto add
        = [&](int client, int server, uint16_t port, const HttpExtractor::RequestView &k) {
              entries.push_back(
                  {client, server, port, k.method, k.path, k.host, k.http2, k.count, k.queries});
          };
    requests.forEachRequest([&](const HttpExtractor::RequestView &k) {
        const auto it = byPair.find(PairKey{k.client, k.server, k.serverPort});
        if (it == byPair.end() || !it->second->clientPeer.isWorkload())
            return;
        const ObservedFlow &f = *it->second;
        if (f.serverPeer.isWorkload()) {
            add(f.clientPeer.index, f.serverPeer.index, f.serverPort, k);
            return;
        }
        if (f.service.empty())
            return;
        const auto svcIt = servicesById.find(f.service);
        if (svcIt == servicesById.end())
            return;
        const Service &svc = *svcIt->second;
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
                    add(f.clientPeer.index, static_cast<int>(b), port, k);
            }
        }
    });
    std::sort(entries.begin(), entries.end(),
              [](const Attributed &a, const Attributed &b) { return a.key() < b.key(); });
    std::vector<HttpRequestSeen> result;
    result.reserve(entries.size());
    for (size_t at = 0; at < entries.size(); ++at) {
        const Attributed &e = entries[at];
        if (at == 0 || entries[at - 1].key() != e.key()) {
            HttpRequestSeen &s = result.emplace_back();
            s.clientWorkload = e.client;
            s.serverWorkload = e.server;
            s.port = e.port;
            s.method = e.method;
            s.path = e.path;
            s.host = e.host;
            s.http2 = e.http2;
        }
        result.back().count += e.count;
        if (e.queries)
            result.back().queries.merge(*e.queries);
    }
    return result;
}

} // namespace bulkhead
