#pragma once

#include "inventory/inventory.h"
#include "util/error.h"

#include <string>

namespace bulkhead {

class TreeNode;
template <class Node>
class BasicYamlReader;
using TreeReader = BasicYamlReader<TreeNode>;

// Bulkhead's own inventory document (apiVersion: bulkhead.io/v1alpha1, kind: Inventory), for
// hand-made models and hosts outside Kubernetes: clusterNetworks, workloads and externals.
inline constexpr const char *NativeApiVersion = "bulkhead.io/v1alpha1";

// Reads one Inventory document into out (workloads are appended, not yet merged or resolved).
Expected<void> readNativeInventory(TreeReader &reader, const TreeNode &document,
                                   const std::string &path, Inventory &out);

} // namespace bulkhead
