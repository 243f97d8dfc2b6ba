#pragma once

#include "design/intent.h"
#include "util/error.h"

#include <QString>
#include <QStringList>

namespace bulkhead {
struct Model;
struct Inventory;
} // namespace bulkhead

namespace bulkhead::ui {

struct GraphData;

// The names a user types for the peers of a model: Add Edge's ends, the find field.

// The endpoint names an edge may use: workloads "ns/name" (sorted), then world, the other peers
// of `graph`, the named external networks and every namespace "ns:NAME" (sorted).
QStringList endpointNames(const Model &model, const GraphData &graph);
// Whether an edge typed by hand may be added: both ends known (`names` from endpointNames, or
// world, or a CIDR), one of them a workload, TCP, UDP or SCTP, a port, not already allowed.
Expected<void> checkNewEdge(const Model &model, const QStringList &names, const EdgeRef &edge,
                            bool alreadyAllowed);
// The workload "ns/name", or "name" when unique, or the first whose id contains the text
// (case-insensitive): its Inventory::workloads index, -1 when nothing matches.
int findWorkload(const Inventory &inventory, const QString &text);

} // namespace bulkhead::ui
