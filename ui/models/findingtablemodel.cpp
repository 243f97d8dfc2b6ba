#include "models/findingtablemodel.h"

#include "document.h"
#include "model/model.h"

namespace bulkhead::ui {

FindingTableModel::FindingTableModel(Document *document, QObject *parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{
    connect(m_document, &Document::modelChanged, this, &FindingTableModel::reset);
    connect(m_document, &Document::designChanged, this, &FindingTableModel::reset);
    reset();
}

void FindingTableModel::reset()
{
    beginResetModel();
    m_rows.clear();
    if (m_document->hasModel()) {
        const Model &model = m_document->model();
        const Intent &intent = m_document->intent();
        const auto text = [&](const Edge &edge) {
            return QString::fromStdString(edgeRefText(m_document->edgeRefOf(edge)));
        };
        for (const Attempt &attempt : model.analysis.attempts)
            m_rows.push_back({tr("attempt"), text(attempt.edge),
                              tr("%1, %2 flows: not allowed (only established traffic is)")
                                  .arg(QString::fromUtf8(flowStateName(attempt.state).data()))
                                  .arg(attempt.edge.evidence.flows)});
        for (const ZoneFinding &f : intent.blocked)
            m_rows.push_back({tr("zone block"), text(f.edge),
                              tr("blocked by rule %1").arg(QString::fromStdString(f.rule))});
        for (const ZoneFinding &f : intent.flagged)
            m_rows.push_back({tr("zone flag"), text(f.edge),
                              tr("flagged by rule %1").arg(QString::fromStdString(f.rule))});
        for (const Edge &edge : intent.denied)
            m_rows.push_back({tr("denied"), text(edge), tr("denied by you")});
        for (const IpAddress &address : model.analysis.unattributed)
            m_rows.push_back({tr("unattributed"), QString::fromStdString(address.toString()),
                              tr("in the cluster network, matches no pod, service or node")});
        for (const std::string &w : model.warnings)
            m_rows.push_back({tr("input"), QString(), QString::fromStdString(w)});
        for (const std::string &w : intent.warnings)
            m_rows.push_back({tr("design"), QString(), QString::fromStdString(w)});
        for (const std::string &w : m_document->generated().warnings)
            m_rows.push_back({tr("policy"), QString(), QString::fromStdString(w)});
    }
    endResetModel();
}

int FindingTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int FindingTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return {};
    const Row &row = m_rows[index.row()];
    switch (index.column()) {
    case Kind: return row.kind;
    case Subject: return row.subject;
    case Detail: return row.detail;
    default: return {};
    }
}

QVariant FindingTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Kind: return tr("Kind");
    case Subject: return tr("Edge or address");
    case Detail: return tr("What");
    default: return {};
    }
}

} // namespace bulkhead::ui
