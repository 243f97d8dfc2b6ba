#pragma once

#include "commands/decisionscommand.h"

#include <optional>

namespace bulkhead::ui {

// Records a collapse or split at one node of an edge's HTTP path tree (docs/cilium.md "Path
// decisions"), replacing a decision on the same node; without an action, removes it.
class PathDecisionCommand : public DecisionsCommand
{
public:
    PathDecisionCommand(Document *document, const PathDecision &node,
                        std::optional<PathAction> action);
};

} // namespace bulkhead::ui
