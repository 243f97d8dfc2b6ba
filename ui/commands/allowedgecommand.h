#pragma once

#include "commands/decisionscommand.h"

namespace bulkhead::ui {

// Allows an edge again: removes the user's denial; an edge the intent does not hold otherwise
// (never observed, or only attempted) is added by hand.
class AllowEdgeCommand : public DecisionsCommand
{
public:
    AllowEdgeCommand(Document *document, const EdgeRef &edge);
};

} // namespace bulkhead::ui
