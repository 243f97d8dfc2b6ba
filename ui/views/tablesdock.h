#pragma once

#include <QTabWidget>

class QAbstractItemModel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace bulkhead::ui {

class Document;
class FlowTableModel;
class WorkloadTableModel;

// Workloads and flows, sortable, each with a filter line (every column, case-insensitive).
// Selecting a workload row selects it in the document.
class TablesPanel : public QTabWidget
{
    Q_OBJECT

public:
    explicit TablesPanel(Document *document, QWidget *parent = nullptr);

    WorkloadTableModel *workloadModel() const { return m_workloads; }
    FlowTableModel *flowModel() const { return m_flows; }
    QSortFilterProxyModel *workloadProxy() const { return m_workloadProxy; }
    QSortFilterProxyModel *flowProxy() const { return m_flowProxy; }
    QLineEdit *workloadFilter() const { return m_workloadFilter; }
    QLineEdit *flowFilter() const { return m_flowFilter; }

private:
    QWidget *makeTab(QAbstractItemModel *model, QSortFilterProxyModel *proxy, QLineEdit *filter,
                     int sortRole, QTableView **viewOut);

    Document *m_document;
    WorkloadTableModel *m_workloads;
    FlowTableModel *m_flows;
    QSortFilterProxyModel *m_workloadProxy;
    QSortFilterProxyModel *m_flowProxy;
    QLineEdit *m_workloadFilter;
    QLineEdit *m_flowFilter;
    QTableView *m_workloadView = nullptr;
};

} // namespace bulkhead::ui
