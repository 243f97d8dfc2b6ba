#include "commands/allowedgecommand.h"

#include "document.h"
#include "model/model.h"

#include <QCoreApplication>

namespace bulkhead::ui {

namespace {

Decisions allowed(const Document &document, const EdgeRef &edge)
{
    Decisions decisions = document.decisions();
    std::erase(decisions.denied, edge);
    // Observed and established: lifting the denial is enough. Anything else is added by hand.
    bool observed = false;
    for (const Edge &e : document.model().analysis.edges)
        observed = observed || document.edgeRefOf(e) == edge;
    if (!observed
        && std::find(decisions.added.begin(), decisions.added.end(), edge) == decisions.added.end())
        decisions.added.push_back(edge);
    return decisions;
}

} // namespace

AllowEdgeCommand::AllowEdgeCommand(Document *document, const EdgeRef &edge)
    : DecisionsCommand(document, allowed(*document, edge),
                       QCoreApplication::translate("AllowEdgeCommand", "Allow %1")
                           .arg(QString::fromStdString(edgeRefText(edge))))
{
}

} // namespace bulkhead::ui
