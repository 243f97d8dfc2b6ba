#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace bulkhead {

// Naming a file given where another kind is expected (a NetworkPolicy file as an inventory, an
// inventory as policies): what a YAML file holds, counted by `kind`.

// Kind -> count over the documents, a `List` (or `...List`) counted by its items' kinds.
std::map<std::string, int> yamlKinds(const std::vector<YAML::Node> &documents);
// NetworkPolicy and the cluster-scoped policy kinds (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy), CiliumNetworkPolicy and the like: anything policies are read from.
bool isPolicyKind(std::string_view kind);
// What an inventory is made of: Pods, Services, Nodes, Namespaces, controllers, Endpoints, and
// Bulkhead's own Inventory.
bool isInventoryKind(std::string_view kind);
// "13 NetworkPolicies", "3 Nodes, 14 Pods": the kinds that match `which`, by name.
std::string kindsText(const std::map<std::string, int> &kinds, bool (*which)(std::string_view));

} // namespace bulkhead
