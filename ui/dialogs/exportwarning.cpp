#include "dialogs/exportwarning.h"

#include "document.h"
#include "model/model.h"

#include <QCoreApplication>
#include <QStringList>

namespace bulkhead::ui {

QString exportBreaksWarning(const Document &document)
{
    if (!document.hasModel())
        return {};
    const Inventory &inventory = document.model().inventory;
    const Intent &intent = document.intent();
    QStringList lines;
    for (const ZoneFinding &blocked : intent.blocked) {
        if (blocked.edge.evidence.flows == 0)
            continue; // added by hand, never observed: nothing running breaks
        lines << QCoreApplication::translate("ExportWarning",
                                             "%1 (%2 flow(s)): blocked by zone rule %3")
                     .arg(QString::fromStdString(edgeRefText(edgeRef(inventory, blocked.edge))))
                     .arg(blocked.edge.evidence.flows)
                     .arg(QString::fromStdString(blocked.rule));
    }
    for (const Edge &denied : intent.denied) {
        if (denied.evidence.flows == 0)
            continue;
        lines << QCoreApplication::translate("ExportWarning",
                                             "%1 (%2 flow(s)): denied in the design")
                     .arg(QString::fromStdString(edgeRefText(edgeRef(inventory, denied))))
                     .arg(denied.evidence.flows);
    }
    if (lines.isEmpty())
        return {};
    const qsizetype total = lines.size();
    if (total > 10) {
        lines = lines.mid(0, 10);
        lines << QCoreApplication::translate("ExportWarning", "… and %1 more").arg(total - 10);
    }
    return QCoreApplication::translate("ExportWarning",
                                       "These policies break %n observed edge(s): traffic seen in "
                                       "the captures would be denied once they are applied.\n\n",
                                       nullptr, static_cast<int>(total))
           + lines.join(u'\n') + QCoreApplication::translate("ExportWarning", "\n\nExport anyway?");
}

} // namespace bulkhead::ui
