#include "commands/moveworkloadcommand.h"

#include "document.h"
#include "model/model.h"

#include <QCoreApplication>

namespace bulkhead::ui {

namespace {

Decisions moved(const Document &document, int workload, const QString &zone)
{
    Decisions decisions = document.decisions();
    const Workload &w = document.model().inventory.workloads.at(workload);
    decisions.zoneOverrides[w.id()] = zone.toStdString();
    return decisions;
}

} // namespace

MoveWorkloadCommand::MoveWorkloadCommand(Document *document, int workload, const QString &zone)
    : DecisionsCommand(
        document, moved(*document, workload, zone),
        QCoreApplication::translate("MoveWorkloadCommand", "Move %1 to zone %2")
            .arg(QString::fromStdString(document->model().inventory.workloads.at(workload).id()),
                 zone))
{
}

} // namespace bulkhead::ui
