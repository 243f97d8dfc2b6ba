#pragma once

#include <QAbstractTableModel>

namespace bulkhead::ui {

class Document;

// Every observed TCP/UDP/SCTP conversation after attribution (Analysis::flows order).
class FlowTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Client,
        Server,
        Protocol,
        Port,
        State,
        Packets,
        Bytes,
        FirstSeen,
        LastSeen,
        ColumnCount
    };
    enum Role { FlowIndexRole = Qt::UserRole + 1, SortRole };

    explicit FlowTableModel(Document *document, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void reset();

    Document *m_document;
    QStringList m_clients; // peer names, computed once per model
    QStringList m_servers;
};

} // namespace bulkhead::ui
