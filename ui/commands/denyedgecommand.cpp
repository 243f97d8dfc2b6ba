#include "commands/denyedgecommand.h"

#include "document.h"

#include <QCoreApplication>

namespace bulkhead::ui {

namespace {

Decisions denied(Decisions decisions, const EdgeRef &edge)
{
    decisions.denied.push_back(edge);
    std::erase(decisions.added, edge);
    return decisions;
}

} // namespace

DenyEdgeCommand::DenyEdgeCommand(Document *document, const EdgeRef &edge)
    : DecisionsCommand(document, denied(document->decisions(), edge),
                       QCoreApplication::translate("DenyEdgeCommand", "Deny %1")
                           .arg(QString::fromStdString(edgeRefText(edge))))
{
}

} // namespace bulkhead::ui
