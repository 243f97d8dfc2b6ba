#pragma once

#include <QTabWidget>

#include <vector>

class QAbstractItemModel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace bulkhead {
struct ObservedFlow;
struct EdgeRef;
} // namespace bulkhead

namespace bulkhead::ui {

class Document;

// The edges an observed flow belongs to (what the flows table's context menu allows or denies).
std::vector<EdgeRef> edgesOfFlow(const Document &document, const ObservedFlow &flow);
class FindingTableModel;
class FlowTableModel;
class WorkloadTableModel;

// Workloads, flows and findings (attempts, zone flags, warnings), sortable, each with a filter
// line (every column, case-insensitive). The workload selection follows the document both ways.
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
    FindingTableModel *findingModel() const { return m_findings; }
    QSortFilterProxyModel *findingProxy() const { return m_findingProxy; }
    QTableView *workloadView() const { return m_workloadView; }

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
    FindingTableModel *m_findings;
    QSortFilterProxyModel *m_findingProxy;
    QLineEdit *m_findingFilter;
};

} // namespace bulkhead::ui
