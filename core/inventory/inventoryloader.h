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
// docs/semantics.md "Inventory".

// Files of any size are read, YAML or JSON (`kubectl get ... -o json`, a List or one object): the
// objects stream past one at a time and only what Bulkhead uses is kept (README.md, "Large
// clusters"). Limits that keep hostile input from exhausting the machine stay (nesting, aliases,
// 1 MiB per value, documents per file); passing one is an Error that says so.
inline constexpr size_t MaxInventoryDocuments = 100'000;

class ProgressSink;

// One file's text, parsed, merged within itself and resolved. fileName is used in messages only.
// progress (may be null) hears the bytes read and may cancel (an Error "cancelled").
Expected<Inventory> loadInventoryText(std::string_view text, const std::string &fileName,
                                      ProgressSink *progress = nullptr);
// The same from a file; an unreadable file is an Error naming it.
Expected<Inventory> loadInventoryFile(const std::string &path, ProgressSink *progress = nullptr);

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
Expected<Inventory> loadInventories(const std::vector<std::string> &paths,
                                    ProgressSink *progress = nullptr);

} // namespace bulkhead
