#include "models/workloadtablemodel.h"

#include "document.h"
#include "model/model.h"

#include <QBrush>
#include <QColor>

namespace bulkhead::ui {

WorkloadTableModel::WorkloadTableModel(Document *document, QObject *parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{
    connect(m_document, &Document::modelChanged, this, &WorkloadTableModel::reset);
    connect(m_document, &Document::designChanged, this, &WorkloadTableModel::reset);
    reset();
}

void WorkloadTableModel::reset()
{
    beginResetModel();
    m_in.clear();
    m_out.clear();
    if (m_document->hasModel()) {
        const Model &model = m_document->model();
        m_in.assign(model.inventory.workloads.size(), 0);
        m_out.assign(model.inventory.workloads.size(), 0);
        for (const Edge &edge : model.analysis.edges) {
            if (edge.to.isWorkload())
                ++m_in[edge.to.index];
            if (edge.from.isWorkload())
                ++m_out[edge.from.index];
        }
    }
    endResetModel();
}

int WorkloadTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_in.size());
}

int WorkloadTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkloadTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Workload &w = m_document->model().inventory.workloads[index.row()];
    if (role == WorkloadIndexRole)
        return index.row();
    if (role == Qt::DecorationRole && index.column() == Zone)
        return zoneColor(m_document->model(), w.zone);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Namespace: return QString::fromStdString(w.ns);
    case Name: return QString::fromStdString(w.name);
    case Kind: return QString::fromStdString(w.kind);
    case Zone:
        if (role == SortRole)
            return m_document->model().zones.levelIndex(w.zone);
        return QString::fromStdString(w.zone);
    case Pods: return static_cast<int>(w.pods.size());
    case Ports: {
        QStringList ports;
        for (const ContainerPort &port : w.ports)
            ports << QString::number(port.port);
        return ports.join(QStringLiteral(", "));
    }
    case EdgesIn: return m_in[index.row()];
    case EdgesOut: return m_out[index.row()];
    }
    return {};
}

QVariant WorkloadTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[]
        = {"Namespace", "Name", "Kind", "Zone", "Pods", "Ports", "Edges in", "Edges out"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace bulkhead::ui
