#include "commands/addedgecommand.h"

#include "document.h"

#include <QCoreApplication>

namespace bulkhead::ui {

namespace {

Decisions withAdded(Decisions decisions, const EdgeRef &edge)
{
    std::erase(decisions.denied, edge);
    if (std::find(decisions.added.begin(), decisions.added.end(), edge) == decisions.added.end())
        decisions.added.push_back(edge);
    return decisions;
}

} // namespace

AddEdgeCommand::AddEdgeCommand(Document *document, const EdgeRef &edge)
    : DecisionsCommand(document, withAdded(document->decisions(), edge),
                       QCoreApplication::translate("AddEdgeCommand", "Add %1")
                           .arg(QString::fromStdString(edgeRefText(edge))))
{
}

} // namespace bulkhead::ui
