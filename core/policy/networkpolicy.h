#pragma once

#include "inventory/inventory.h"
#include "util/ipaddress.h"
#include "util/protocol.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bulkhead {

// A C++ model of networking.k8s.io/v1 NetworkPolicy, shared by the generator (which writes it),
// the loader (which reads users' policies) and the evaluator (which applies Kubernetes semantics).

struct LabelSelectorRequirement
{
    enum class Operator : uint8_t { In, NotIn, Exists, DoesNotExist };
    std::string key;
    Operator op = Operator::In;
    std::vector<std::string> values;
};

struct LabelSelector
{
    Labels matchLabels;
    std::vector<LabelSelectorRequirement> matchExpressions;

    bool isEmpty() const { return matchLabels.empty() && matchExpressions.empty(); } // selects all
    bool matches(const Labels &labels) const;
};

struct IpBlock
{
    Cidr cidr;
    std::vector<Cidr> except;
};

// One element of `from` / `to`. Kubernetes: podSelector alone = pods of the policy's namespace;
// namespaceSelector alone = all pods of matching namespaces; both = AND; ipBlock stands alone.
struct PolicyPeer
{
    std::optional<LabelSelector> podSelector;
    std::optional<LabelSelector> namespaceSelector;
    std::optional<IpBlock> ipBlock;
};

struct PolicyPort
{
    std::optional<Protocol> protocol;                        // missing = TCP
    std::optional<std::variant<uint16_t, std::string>> port; // missing = every port of the protocol
    std::optional<uint16_t> endPort;

    Protocol effectiveProtocol() const { return protocol.value_or(Protocol::TCP); }
};

// One ingress or egress rule. An empty (or missing) peers list matches every peer; an empty (or
// missing) ports list matches every port.
struct PolicyRule
{
    std::vector<PolicyPeer> peers;
    std::vector<PolicyPort> ports;
    std::vector<std::string> comments; // written above the rule as YAML comments (--explain)
    std::vector<std::string> edges; // generated rules: the intent edges it allows ("a -> b TCP/80")
};

struct NetworkPolicy
{
    std::string ns;
    bool namespaceGiven = true; // false: metadata.namespace was absent (kubectl apply -n decides)
    std::string name;
    Labels labels;
    LabelSelector podSelector;
    // policyTypes as written; when absent in the source, Kubernetes defaults to Ingress, plus
    // Egress when spec.egress has a rule. The loader fills the effective values.
    bool hasIngressType = true;
    bool hasEgressType = false;
    bool policyTypesGiven = true;
    std::vector<PolicyRule> ingress;
    std::vector<PolicyRule> egress;
    bool ingressGiven = false; // the spec had an `ingress` key (even an empty list)
    bool egressGiven = false;
    std::vector<std::string>
        comments; // written above the document as YAML comments (generator notes)

    std::string sourceFile; // where a loaded policy came from (for messages)
    int sourceLine = 0;

    std::string id() const { return ns + '/' + name; }
};

} // namespace bulkhead
