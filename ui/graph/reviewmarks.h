#pragma once

#include "analysis/peer.h"
#include "util/protocol.h"

#include <QString>

#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <vector>

namespace bulkhead::ui {

// One connection: source, destination, protocol, port.
using ConnectionKey = std::tuple<Peer, Peer, Protocol, uint16_t>;

// What the Review panel found under the cluster's policies, drawn on the graph
// (docs/review.md, "On the graph"): breaks as marked arrows, excess as a badge per destination
// box (never one arrow per connection), compare's changes on the arrows they touch (and as a
// badge for those never observed, which have no arrow), and each cluster-scoped policy's subject
// fenced with the policy's name. Indices are Inventory::workloads indices of the document's model.
struct ReviewMarks
{
    enum class Mode { Findings, Compare };
    Mode mode = Mode::Findings;
    std::map<ConnectionKey, QString> breaks; // -> "Admin: ClusterNetworkPolicy/x ingress[0]"
    std::map<int, int> excess;               // destination workload -> allowed, never observed
    std::set<ConnectionKey> newlyBlocked;    // by the design, compared with the policies in force
    std::set<ConnectionKey> newlyAllowed;
    std::map<int, int> newlyBlockedUnseen; // destination workload -> newly blocked, never observed
    struct Fence
    {
        QString policy;             // "ClusterNetworkPolicy/deny-public-to-restricted"
        QString tier;               // "Admin" or "Baseline"
        std::vector<int> workloads; // its subject
    };
    std::vector<Fence> fences;
    bool empty() const
    {
        return breaks.empty() && excess.empty() && newlyBlocked.empty() && newlyAllowed.empty()
               && newlyBlockedUnseen.empty() && fences.empty();
    }
};

} // namespace bulkhead::ui
