#include "commands/removedecisioncommand.h"

#include "document.h"

#include <QCoreApplication>

namespace bulkhead::ui {

namespace {

Decisions without(Decisions decisions, const DecisionEntry &entry)
{
    switch (entry.kind) {
    case DecisionEntry::Kind::Added: std::erase(decisions.added, entry.edge); break;
    case DecisionEntry::Kind::Denied: std::erase(decisions.denied, entry.edge); break;
    case DecisionEntry::Kind::ZoneMove: decisions.zoneOverrides.erase(entry.workload); break;
    case DecisionEntry::Kind::Path: std::erase(decisions.paths, entry.path); break;
    }
    return decisions;
}

QString textOf(const DecisionEntry &entry)
{
    switch (entry.kind) {
    case DecisionEntry::Kind::Added:
        return QCoreApplication::translate("RemoveDecisionCommand", "Remove added %1")
            .arg(QString::fromStdString(edgeRefText(entry.edge)));
    case DecisionEntry::Kind::Denied:
        return QCoreApplication::translate("RemoveDecisionCommand", "Lift denial of %1")
            .arg(QString::fromStdString(edgeRefText(entry.edge)));
    case DecisionEntry::Kind::ZoneMove: break;
    case DecisionEntry::Kind::Path:
        return QCoreApplication::translate("RemoveDecisionCommand", "Remove path decision %1")
            .arg(QString::fromStdString(pathDecisionText(entry.path)));
    }
    return QCoreApplication::translate("RemoveDecisionCommand", "Undo zone move of %1")
        .arg(QString::fromStdString(entry.workload));
}

} // namespace

RemoveDecisionCommand::RemoveDecisionCommand(Document *document, const DecisionEntry &entry)
    : DecisionsCommand(document, without(document->decisions(), entry), textOf(entry))
{
}

} // namespace bulkhead::ui
