#pragma once

#include "inventory/inventory.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// Reading inventories: Kubernetes objects (a `kind: List` as `kubectl get ... -o yaml` prints it,
// or multi-document YAML) and Bulkhead's native Inventory documents, mixed freely in one file.
// PRODUCT.md section 2, "Inventory".

// Limits that keep hostile YAML from exhausting the machine; passing one is an Error that says so.
inline constexpr size_t MaxInventoryDocuments = 100'000;
inline constexpr size_t MaxInventoryFileBytes = size_t(64) << 20; // 64 MiB: yaml-cpp needs ~75 bytes of memory per byte of YAML

// One file's text, parsed, merged within itself and resolved. fileName is used in messages only.
Expected<Inventory> loadInventoryText(std::string_view yamlText, const std::string &fileName);
// The same from a file; an unreadable file is an Error naming it.
Expected<Inventory> loadInventoryFile(const std::string &path);

// Moves from into into. The same workload (namespace/name) in both: their pods merge. Two
// workloads claiming one address is an Error naming both. Services' backends are cleared:
// call resolveInventory() afterwards. On error, into is unchanged.
Expected<void> mergeInventory(Inventory &into, Inventory &&from);

// Sorts workloads and services by (namespace, name), fills Service::backends, adds the nodes
// known only from pods' hostIP (named by their address), and removes duplicates. Idempotent.
void resolveInventory(Inventory &inventory);

// A file that holds no inventory object but policies (a NetworkPolicy file given as an inventory):
// the Error naming it and what it is. nullopt for anything else.
std::optional<Error> notAnInventory(const Inventory &file, const std::string &path);

// Loads each file, merges them in order, resolves the result; a file that is not an inventory
// (notAnInventory) is an Error.
Expected<Inventory> loadInventories(const std::vector<std::string> &paths);

} // namespace bulkhead
