#pragma once

#include "commands/decisionscommand.h"

namespace bulkhead::ui {

// Denies an edge: the intent drops it even when observed or added by hand.
class DenyEdgeCommand : public DecisionsCommand
{
public:
    DenyEdgeCommand(Document *document, const EdgeRef &edge);
};

} // namespace bulkhead::ui
