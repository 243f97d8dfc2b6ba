#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

struct Decisions;
struct Inventory;

// Peers a design decision may name beyond what the inventory declares (docs/review.md):
//  - `world`: every address outside the cluster (0.0.0.0/0 and ::/0; the generated ipBlocks
//    except the cluster networks, nodes and pods), the internet as a peer;
//  - a CIDR ("203.0.113.0/24", "2001:db8::/32"): that range outside the cluster.
// They become ExternalNetworks marked fromDecision: never used to attribute observed traffic.
inline constexpr std::string_view WorldPeerName = "world";

// Whether a decision may name this peer without the inventory declaring it: "world" or a CIDR
// written with its prefix length.
bool isDecisionPeerName(std::string_view name);

// A whole namespace as a peer of an added or denied edge: "ns:NAME" (every pod of namespace NAME;
// docs/semantics.md "Namespace peers"). No workload is called so: a workload is "ns/name".
inline constexpr std::string_view NamespacePeerPrefix = "ns:";
// The namespace "ns:NAME" names ("" for any other peer name, or an empty NAME).
std::string_view namespaceOfPeerName(std::string_view name);
// "ns:" + ns.
std::string namespacePeerName(std::string_view ns);
// The namespaces an inventory knows: those of its Namespace objects, workloads and Services,
// sorted. A namespace without workloads is a valid peer when the inventory has it.
std::vector<std::string> inventoryNamespaces(const Inventory &inventory);
bool inventoryHasNamespace(const Inventory &inventory, std::string_view ns);

// Adds the network of every decision peer named by an added or denied edge that the inventory
// does not already name (a declared network called "world" wins), after the declared ones.
void addDecisionNetworks(Inventory &inventory, const Decisions &decisions);

// The index of the `world` network in inventory.externals, added when missing (blast radius
// asks who the internet reaches even when no decision names it).
int ensureWorldNetwork(Inventory &inventory);

} // namespace bulkhead
