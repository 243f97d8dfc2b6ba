#pragma once

#include <QAbstractTableModel>

namespace bulkhead::ui {

class Document;

// The workloads of the open model, one row each (Inventory::workloads order).
class WorkloadTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Namespace, Name, Kind, Zone, Pods, Ports, EdgesIn, EdgesOut, ColumnCount };
    enum Role { WorkloadIndexRole = Qt::UserRole + 1, SortRole };

    explicit WorkloadTableModel(Document *document, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void reset();

    Document *m_document;
    std::vector<int> m_in;
    std::vector<int> m_out;
};

} // namespace bulkhead::ui
