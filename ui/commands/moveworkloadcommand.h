#pragma once

#include "commands/decisionscommand.h"

namespace bulkhead::ui {

// Moves a workload to another zone (a zone override in the project).
class MoveWorkloadCommand : public DecisionsCommand
{
public:
    MoveWorkloadCommand(Document *document, int workload, const QString &zone);
};

} // namespace bulkhead::ui
