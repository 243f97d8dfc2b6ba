#pragma once

#include <map>

namespace bulkhead {
struct Model;
}

namespace bulkhead::ui {

enum class RadiusPolicy {
    NoPolicy, // the baseline: every pod reaches every pod
    Design,   // the intent: observed established edges minus those a zone rule blocks
};

// The workloads an attacker holding workload `start` reaches, with the hop count of a shortest
// path (Inventory::workloads index -> hops; `start` itself left out).
// Stand-in until core/review/blastradius.h is on main: the one place to switch over.
std::map<int, int> reachFrom(const Model &model, int start, RadiusPolicy policy);

} // namespace bulkhead::ui
