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

// The ends of a client address -> server address and port, through the observed flows: any TCP
// flow between them resolves the peers the same way (the first one is taken).
class Resolver
{
public:
    Resolver(const Inventory &inventory, const std::vector<ObservedFlow> &flows)
        : m_inventory(inventory)
    {
        for (const ObservedFlow &f : flows) {
            if (f.protocol == Protocol::TCP)
                m_byPair.try_emplace(PairKey{f.client, f.server, f.serverPort}, &f);
        }
        for (const Service &svc : inventory.services)
            m_services.try_emplace(svc.id(), &svc);
    }

    // Calls emit(client workload, server workload, its container port) for the server workload,
    // or through a Service address for each backend of that Service port; nothing when the ends
    // are not both workloads.
    template <typename Emit>
    void resolve(const IpAddress &client, const IpAddress &server, uint16_t port, Emit emit) const
    {
        const auto it = m_byPair.find(PairKey{client, server, port});
        if (it == m_byPair.end() || !it->second->clientPeer.isWorkload())
            return;
        const ObservedFlow &f = *it->second;
        if (f.serverPeer.isWorkload()) {
            emit(f.clientPeer.index, f.serverPeer.index, f.serverPort);
            return;
        }
        const auto svc = f.service.empty() ? m_services.end() : m_services.find(f.service);
        if (svc == m_services.end())
            return;
        for (const ServicePort &sp : svc->second->ports) {
            if (sp.port != f.serverPort || sp.protocol != Protocol::TCP)
                continue;
            for (size_t b : svc->second->backends) {
                const Workload &w = m_inventory.workloads[b];
                uint16_t target = 0;
                if (const auto *number = std::get_if<uint16_t>(&sp.targetPort)) {
                    target = *number ? *number : sp.port;
                } else {
                    for (const ContainerPort *cp :
                         w.portsNamed(std::get<std::string>(sp.targetPort)))
                        target = cp->protocol == Protocol::TCP ? cp->port : target;
                }
                if (target)
                    emit(f.clientPeer.index, static_cast<int>(b), target);
            }
        }
    }

private:
    const Inventory &m_inventory;
    absl::flat_hash_map<PairKey, const ObservedFlow *> m_byPair;
    absl::flat_hash_map<std::string, const Service *> m_services;
};

} // namespace

std::vector<HttpRequestSeen> attributeRequests(const Inventory &inventory,
                                               const std::vector<ObservedFlow> &flows,
                                               const HttpExtractor &requests)
{
    const Resolver resolver(inventory, flows);
    // Light entries (no strings copied) sorted, then one HttpRequestSeen per run of equal keys,
    // made in order: no map of strings, no moving of the results.
    std::vector<Attributed> entries;
    entries.reserve(requests.requestKinds()); // more only through Services with several backends
    requests.forEachRequest([&](const HttpExtractor::RequestView &k) {
        resolver.resolve(k.client, k.server, k.serverPort,
                         [&](int client, int server, uint16_t port) {
                             entries.push_back({client, server, port, k.method, k.path, k.host,
                                                k.http2, k.count, k.queries});
                         });
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

std::vector<TlsSeen> attributeTls(const Inventory &inventory,
                                  const std::vector<ObservedFlow> &flows,
                                  const HttpExtractor &requests)
{
    const Resolver resolver(inventory, flows);
    std::vector<TlsSeen> out;
    requests.forEachTls([&](const IpAddress &client, const IpAddress &server, uint16_t port) {
        resolver.resolve(client, server, port, [&](int c, int s, uint16_t p) {
            out.push_back({c, s, p});
        });
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace bulkhead
