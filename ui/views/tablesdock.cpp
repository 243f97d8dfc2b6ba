#include "views/tablesdock.h"

#include "document.h"
#include "models/flowtablemodel.h"
#include "models/workloadtablemodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace bulkhead::ui {

TablesPanel::TablesPanel(Document *document, QWidget *parent)
    : QTabWidget(parent), m_document(document), m_workloads(new WorkloadTableModel(document, this)),
      m_flows(new FlowTableModel(document, this)), m_workloadProxy(new QSortFilterProxyModel(this)),
      m_flowProxy(new QSortFilterProxyModel(this)), m_workloadFilter(new QLineEdit),
      m_flowFilter(new QLineEdit)
{
    setObjectName(QStringLiteral("tables"));
    m_workloadFilter->setObjectName(QStringLiteral("workloadFilter"));
    m_flowFilter->setObjectName(QStringLiteral("flowFilter"));
    m_workloadFilter->setPlaceholderText(tr("Filter workloads"));
    m_flowFilter->setPlaceholderText(tr("Filter flows (any column)"));
    addTab(makeTab(m_workloads, m_workloadProxy, m_workloadFilter, WorkloadTableModel::SortRole,
                   &m_workloadView),
           tr("Workloads"));
    QTableView *flowView = nullptr;
    addTab(makeTab(m_flows, m_flowProxy, m_flowFilter, FlowTableModel::SortRole, &flowView),
           tr("Flows"));

    connect(m_workloadView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_document->selectWorkload(
                        current.data(WorkloadTableModel::WorkloadIndexRole).toInt());
            });
}

QWidget *TablesPanel::makeTab(QAbstractItemModel *model, QSortFilterProxyModel *proxy,
                              QLineEdit *filter, int sortRole, QTableView **viewOut)
{
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    proxy->setFilterKeyColumn(-1);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);

    auto *view = new QTableView;
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // model order until the user sorts
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setAlternatingRowColors(true);
    *viewOut = view;

    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(filter);
    layout->addWidget(view);
    return page;
}

} // namespace bulkhead::ui
