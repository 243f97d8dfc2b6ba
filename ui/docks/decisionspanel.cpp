#include "docks/decisionspanel.h"

#include "commands/removedecisioncommand.h"
#include "document.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace bulkhead::ui {

QString decisionCountsText(const Decisions &decisions)
{
    const auto zoneMoves = decisions.zoneOverrides.size();
    QString text = DecisionsPanel::tr("%1 added · %2 denied · %3 zone move(s)")
                       .arg(decisions.added.size())
                       .arg(decisions.denied.size())
                       .arg(zoneMoves);
    if (!decisions.paths.empty())
        text += DecisionsPanel::tr(" · %1 path decision(s)").arg(decisions.paths.size());
    return text;
}

DecisionsPanel::DecisionsPanel(Document *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("decisionsSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_table = new QTableWidget(0, 2);
    m_table->setObjectName(QStringLiteral("decisionsTable"));
    m_table->setHorizontalHeaderLabels({tr("Decision"), tr("What")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(true); // a long edge wraps rather than being cut
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_table, 1);
    auto *buttons = new QHBoxLayout;
    m_remove = new QPushButton(tr("Remove"));
    m_remove->setObjectName(QStringLiteral("removeDecision"));
    m_remove->setToolTip(tr("Take the selected decision back: an added edge goes, a denial is "
                            "lifted, a moved workload returns to its zone (undoable)"));
    m_remove->setEnabled(false);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    connect(m_remove, &QPushButton::clicked, this, [this] { removeRow(m_table->currentRow()); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_table->selectedItems().isEmpty()); });
    connect(m_document, &Document::designChanged, this, &DecisionsPanel::refresh);
    connect(m_document, &Document::modelChanged, this, &DecisionsPanel::refresh);
    refresh();
}

bool DecisionsPanel::removeRow(int row)
{
    if (row < 0 || static_cast<size_t>(row) >= m_entries.size())
        return false;
    m_document->undoStack()->push(
        new RemoveDecisionCommand(m_document, m_entries[static_cast<size_t>(row)]));
    return true;
}

void DecisionsPanel::refresh()
{
    const Decisions &decisions = m_document->decisions();
    m_entries.clear();
    std::vector<EdgeRef> added = decisions.added, denied = decisions.denied;
    std::sort(added.begin(), added.end());
    std::sort(denied.begin(), denied.end());
    for (const EdgeRef &e : added)
        m_entries.push_back({DecisionEntry::Kind::Added, e, {}, {}, {}});
    for (const EdgeRef &e : denied)
        m_entries.push_back({DecisionEntry::Kind::Denied, e, {}, {}, {}});
    for (const auto &[workload, zone] : decisions.zoneOverrides) // std::map: sorted
        m_entries.push_back({DecisionEntry::Kind::ZoneMove, {}, workload, zone, {}});
    std::vector<PathDecision> paths = decisions.paths;
    std::sort(paths.begin(), paths.end());
    for (const PathDecision &d : paths)
        m_entries.push_back({DecisionEntry::Kind::Path, {}, {}, {}, d});

    m_table->setRowCount(static_cast<int>(m_entries.size()));
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const DecisionEntry &entry = m_entries[i];
        QString kind, what;
        switch (entry.kind) {
        case DecisionEntry::Kind::Added:
            kind = tr("Allowed by hand");
            what = QString::fromStdString(edgeRefText(entry.edge));
            break;
        case DecisionEntry::Kind::Denied:
            kind = tr("Denied");
            what = QString::fromStdString(edgeRefText(entry.edge));
            break;
        case DecisionEntry::Kind::ZoneMove:
            kind = tr("Zone move");
            what = tr("%1 → %2").arg(QString::fromStdString(entry.workload),
                                     QString::fromStdString(entry.zone));
            break;
        case DecisionEntry::Kind::Path:
            kind = entry.path.action == PathAction::Collapse ? tr("Paths collapsed")
                                                             : tr("Paths split");
            what = tr("%1 on %2 → %3 TCP/%4")
                       .arg(QString::fromStdString(entry.path.path),
                            QString::fromStdString(entry.path.from),
                            QString::fromStdString(entry.path.to))
                       .arg(entry.path.port);
            break;
        }
        m_table->setItem(static_cast<int>(i), 0, new QTableWidgetItem(kind));
        auto *whatItem = new QTableWidgetItem(what);
        whatItem->setToolTip(what);
        m_table->setItem(static_cast<int>(i), 1, whatItem);
    }
    m_table->resizeRowsToContents();
    m_summary->setText(
        m_entries.empty()
            ? tr("No decision yet: the design is the observed traffic through the zone "
                 "rules. Deny or add edges, or move workloads between zones.")
            : decisionCountsText(decisions) + tr(" · saved with the project"));
    m_remove->setEnabled(!m_table->selectedItems().isEmpty());
}

} // namespace bulkhead::ui
