#pragma once

#include "commands/decisionscommand.h"

namespace bulkhead::ui {

// Adds an edge by hand (Document::checkNewEdge validated it): allowed whether observed or not.
class AddEdgeCommand : public DecisionsCommand
{
public:
    AddEdgeCommand(Document *document, const EdgeRef &edge);
};

} // namespace bulkhead::ui
