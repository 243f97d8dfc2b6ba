#pragma once

#include "util/protocol.h"

#include <compare>
#include <cstdint>
#include <string>

namespace bulkhead {

// An allowance with a whole namespace at one end (an added edge naming "ns:NAME"), kept whole so
// that the generated rule names the namespace (namespaceSelector) rather than its workloads one
// by one. The design also holds it as one edge per workload of the namespace (Intent::edges).
struct NamespaceEdge
{
    std::string ns;                // the namespace at one end
    bool namespaceIsSource = true; // ns -> workload (ingress of workload), else workload -> ns
    int workload = -1;             // Inventory::workloads index of the other end
    Protocol protocol = Protocol::TCP;
    uint16_t port = 0;

    friend auto operator<=>(const NamespaceEdge &, const NamespaceEdge &) = default;
    friend bool operator==(const NamespaceEdge &, const NamespaceEdge &) = default;
};

} // namespace bulkhead
