#pragma once

// The generator's working state, shared by its three files (internal to core/policy):
// generatoredges.cpp turns intent edges into target edges, generatorrules.cpp target edges into
// rules, generator.cpp runs both and makes the policies.

#include "policy/generator.h"
#include "policy/k8snames.h"
#include "policy/policytarget.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulkhead::generation {

inline constexpr const char *kManagedByKey = "app.kubernetes.io/managed-by";
inline constexpr const char *kNamespaceNameKey = "kubernetes.io/metadata.name";

// What a rule peer stands for, before it is written as PolicyPeers.
enum class KeyKind : uint8_t { Target, Host, Network, Node, External, Namespace };

struct PeerKey
{
    KeyKind kind = KeyKind::External;
    int id = -1;       // target id (Target), workload index (Host), network index (Network),
                       // index into Generator::m_namespaces (Namespace)
    IpAddress address; // Node, External
    friend auto operator<=>(const PeerKey &, const PeerKey &) = default;
    friend bool operator==(const PeerKey &, const PeerKey &) = default;
};

struct PortKey
{
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;
    std::string name; // written instead of the number when not empty (--named-ports)
    friend auto operator<=>(const PortKey &, const PortKey &) = default;
    friend bool operator==(const PortKey &, const PortKey &) = default;
};

// One intent edge as seen by the rule that allows it (for --explain).
struct Detail
{
    Evidence evidence;
    bool addedForDns = false;
};

// An edge's (source, destination) display names, views of strings the Generator keeps
// (Generator::nameOf): ordered as the strings themselves, without a copy per edge.
using EdgeNames = std::pair<std::string_view, std::string_view>;

struct TargetEdgeKey
{
    PeerKey from;
    PeerKey to;
    PortKey port;
    friend auto operator<=>(const TargetEdgeKey &, const TargetEdgeKey &) = default;
    friend bool operator==(const TargetEdgeKey &, const TargetEdgeKey &) = default;
};

// One accepted intent edge, as addEdge records it.
struct EdgeRow
{
    TargetEdgeKey key;
    EdgeNames names;
    const Evidence *evidence; // the Edge's, which outlives the Generator's run
    bool addedForDns;
    // A workload edge a namespace edge stands for: the namespace's peer replaces it on this side.
    bool coveredIngress = false;
    bool coveredEgress = false;
};

// The target-level edges: one per distinct key, with the intent edges it stands for, each
// distinct (names) once, in name order: details[begin, end) of Generator::m_details.
struct TargetEdge
{
    const TargetEdgeKey *key;
    size_t begin;
    size_t end;
    bool coveredIngress; // every row of the key is (EdgeRow::coveredIngress)
    bool coveredEgress;
};

// What a target's ingress (or egress) allows, one row per (peer, port), sorted by peer then port:
// rows of one peer are adjacent.
struct Entry
{
    PeerKey peer;
    const PortKey *port;
    const TargetEdge *edge;
};
using Entries = std::vector<Entry>;

// The id of workload `index`, as the policies' comments and warnings name it.
std::string workloadName(const Inventory &inv, int index);
// What warnings and --explain call a peer: a workload's id, a network's name, an address.
std::string displayName(const Inventory &inv, const Peer &peer);

class Generator
{
public:
    Generator(const Inventory &inventory, const GenerateOptions &options,
              const std::vector<std::string> &captureFiles)
        : m_inv(inventory)
        , m_options(options)
        , m_captureFiles(captureFiles)
    {
    }

    GenerateResult run(const std::vector<Edge> &intent);

private:
    void planNetworks();
    std::vector<Edge> dnsEdges();
    std::optional<PeerKey> keyFor(const Peer &peer, const Edge &edge, bool isSource);
    void addEdge(const Edge &edge, bool addedForDns);
    void addNamespaceEdges();
    void groupEdges();
    PortKey portKeyFor(const Edge &edge) const;
    bool policed(const PolicyTarget &target) const
    {
        return m_options.includeSystemNamespaces || !isSystemNamespace(target.ns);
    }
    std::string_view nameOf(const Peer &peer);
    void expand(const PeerKey &key, const std::string &policyNs,
                std::vector<PolicyPeer> &out) const;
    std::vector<PolicyRule> buildRules(const Entries &entries, const std::string &policyNs) const;
    std::string explainLine(const EdgeNames &names, const Detail &detail,
                            const PortKey &port) const;
    void reportWidth(size_t policyCount);

    const Inventory &m_inv;
    const GenerateOptions &m_options;
    const std::vector<std::string> &m_captureFiles;
    TargetPartition m_partition;
    std::vector<std::vector<IpBlock>> m_networkBlocks; // per declared network: its ipBlocks
    std::vector<EdgeRow> m_rows;                       // every accepted edge, in the order added
    std::vector<TargetEdge> m_edges;                   // sorted by key
    std::vector<std::pair<EdgeNames, Detail>> m_details;
    std::vector<std::string> m_workloadNames;      // displayName of each workload, made once
    std::set<std::string> m_otherNames;            // displayName of the other peers met
    std::vector<std::string> m_namespaces;         // of options.namespaceEdges, sorted, unique
    std::vector<std::string> m_namespacePeerNames; // "ns:NAME" of each
    const Evidence m_noEvidence;
    std::vector<std::string> m_warnings;
};

} // namespace bulkhead::generation
