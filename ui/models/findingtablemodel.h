#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace bulkhead::ui {

class Document;

// What needs a look (docs/semantics.md "Desktop application"): refused and unanswered attempts,
// zone flags and blocks, unattributed addresses, ICMP, denied edges, and every warning of the
// inputs, the design and the generator. A thin adapter, rebuilt when the model or the design
// changes.
class FindingTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Kind, Subject, Detail, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit FindingTableModel(Document *document, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void reset();

    struct Row
    {
        QString kind;
        QString subject;
        QString detail;
    };
    Document *m_document;
    std::vector<Row> m_rows;
};

} // namespace bulkhead::ui
