#pragma once

#include "commands/decisionscommand.h"

#include <string>

namespace bulkhead::ui {

// One entry of the decisions list, as the Decisions panel shows it.
struct DecisionEntry
{
    enum class Kind { Added, Denied, ZoneMove, Path };
    Kind kind = Kind::Added;
    EdgeRef edge;         // Added, Denied
    std::string workload; // ZoneMove: "ns/name"
    std::string zone;     // ZoneMove: the level it was moved to
    PathDecision path;    // Path: a collapse or split on an edge's HTTP path tree

    friend bool operator==(const DecisionEntry &, const DecisionEntry &) = default;
};

// Takes one decision back: an added edge is removed (not denied: a hand-added edge that was
// never observed simply goes), a denial is lifted, a zone move is undone (the workload's zone is
// its labels' again), a path decision goes (the threshold decides that node again).
class RemoveDecisionCommand : public DecisionsCommand
{
public:
    RemoveDecisionCommand(Document *document, const DecisionEntry &entry);
};

} // namespace bulkhead::ui
