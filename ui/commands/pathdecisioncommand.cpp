#include "commands/pathdecisioncommand.h"

#include "document.h"

#include <QCoreApplication>

namespace bulkhead::ui {

namespace {

Decisions withDecision(Decisions decisions, PathDecision node, std::optional<PathAction> action)
{
    std::erase_if(decisions.paths, [&](const PathDecision &d) { return d.sameNode(node); });
    if (action) {
        node.action = *action;
        decisions.paths.push_back(node);
    }
    return decisions;
}

QString textOf(PathDecision node, std::optional<PathAction> action)
{
    if (!action)
        return QCoreApplication::translate("PathDecisionCommand",
                                           "Remove path decision at %1 on %2 → %3")
            .arg(QString::fromStdString(node.path), QString::fromStdString(node.from),
                 QString::fromStdString(node.to));
    node.action = *action;
    return *action == PathAction::Collapse
               ? QCoreApplication::translate("PathDecisionCommand", "Collapse %1 on %2 → %3")
                     .arg(QString::fromStdString(node.path), QString::fromStdString(node.from),
                          QString::fromStdString(node.to))
               : QCoreApplication::translate("PathDecisionCommand", "Split %1 on %2 → %3")
                     .arg(QString::fromStdString(node.path), QString::fromStdString(node.from),
                          QString::fromStdString(node.to));
}

} // namespace

PathDecisionCommand::PathDecisionCommand(Document *document, const PathDecision &node,
                                         std::optional<PathAction> action)
    : DecisionsCommand(document, withDecision(document->decisions(), node, action),
                       textOf(node, action))
{
}

} // namespace bulkhead::ui
