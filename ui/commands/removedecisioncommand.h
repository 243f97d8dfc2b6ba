#pragma once

#include "commands/decisionscommand.h"

#include <string>

namespace bulkhead::ui {

// One entry of the decisions list, as the Decisions panel shows it.
struct DecisionEntry
{
    enum class Kind { Added, Denied, ZoneMove };
    Kind kind = Kind::Added;
    EdgeRef edge;           // Added, Denied
    std::string workload;   // ZoneMove: "ns/name"
    std::string zone;       // ZoneMove: the level it was moved to

    friend bool operator==(const DecisionEntry &, const DecisionEntry &) = default;
};

// Takes one decision back: an added edge is removed (not denied: a hand-added edge that was
// never observed simply goes), a denial is lifted, a zone move is undone (the workload's zone is
// its labels' again).
class RemoveDecisionCommand : public DecisionsCommand
{
public:
    RemoveDecisionCommand(Document *document, const DecisionEntry &entry);
};

} // namespace bulkhead::ui
