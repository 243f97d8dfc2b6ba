#include "views/tablespanel.h"

#include "document.h"
#include "model/model.h"
#include "models/findingtablemodel.h"
#include "models/flowtablemodel.h"
#include "models/workloadtablemodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace bulkhead::ui {

TablesPanel::TablesPanel(Document *document, QWidget *parent)
    : QTabWidget(parent)
    , m_document(document)
    , m_workloads(new WorkloadTableModel(document, this))
    , m_flows(new FlowTableModel(document, this))
    , m_workloadProxy(new QSortFilterProxyModel(this))
    , m_flowProxy(new QSortFilterProxyModel(this))
    , m_workloadFilter(new QLineEdit)
    , m_flowFilter(new QLineEdit)
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

    // Flows: allow or deny the edges a flow belongs to (right-click).
    flowView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(flowView, &QWidget::customContextMenuRequested, this, [this, flowView](QPoint pos) {
        const QModelIndex index = flowView->indexAt(pos);
        if (!index.isValid() || !m_document->hasModel())
            return;
        const int row = m_flowProxy->mapToSource(index).row();
        const ObservedFlow &flow = m_document->model().analysis.flows.at(row);
        QMenu menu(flowView);
        for (const EdgeRef &ref : edgesOfFlow(*m_document, flow)) {
            const QString text = QString::fromStdString(edgeRefText(ref));
            if (m_document->isAllowed(ref))
                menu.addAction(tr("Deny %1").arg(text), this,
                               [this, ref] { m_document->denyEdge(ref); });
            else
                menu.addAction(tr("Allow %1").arg(text), this,
                               [this, ref] { m_document->allowEdge(ref); });
        }
        if (menu.isEmpty())
            menu.addAction(tr("This flow is part of no edge (own node, or unattributed)"))
                ->setEnabled(false);
        menu.exec(flowView->viewport()->mapToGlobal(pos));
    });

    m_findings = new FindingTableModel(m_document, this);
    m_findingProxy = new QSortFilterProxyModel(this);
    m_findingFilter = new QLineEdit;
    m_findingFilter->setPlaceholderText(tr("Filter attempts and warnings"));
    QTableView *findingView = nullptr;
    addTab(makeTab(m_findings, m_findingProxy, m_findingFilter, FindingTableModel::SortRole,
                   &findingView),
           tr("Attempts and warnings"));
    connect(m_findings, &QAbstractItemModel::modelReset, this, [this] {
        setTabText(2, tr("Attempts and warnings (%1)").arg(m_findings->rowCount()));
    });

    // The document's selection shows in the table (graph -> table).
    connect(m_document, &Document::selectionChanged, this, [this](int workload) {
        QItemSelectionModel *selection = m_workloadView->selectionModel();
        for (int row = 0; row < m_workloadProxy->rowCount(); ++row) {
            const QModelIndex index = m_workloadProxy->index(row, 0);
            if (index.data(WorkloadTableModel::WorkloadIndexRole).toInt() == workload) {
                if (selection->currentIndex().row() != row)
                    selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect
                                                          | QItemSelectionModel::Rows);
                m_workloadView->scrollTo(index);
                return;
            }
        }
        selection->clearSelection();
    });
    connect(m_workloadView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_document->selectWorkload(
                        current.data(WorkloadTableModel::WorkloadIndexRole).toInt());
            });
}

std::vector<EdgeRef> edgesOfFlow(const Document &document, const ObservedFlow &flow)
{
    // A flow to a pod is the edge client -> server on its port; a flow to a Service VIP is the
    // edges to the backing workloads that the Service carried (Edge::viaServices).
    std::vector<EdgeRef> refs;
    if (flow.ownNode)
        return refs;
    for (const GraphEdge &graphEdge : document.graph().edges)
        for (const Edge &edge : graphEdge.members) {
            if (edge.from != flow.clientPeer || edge.protocol != flow.protocol)
                continue;
            const bool direct = flow.service.empty() && edge.to == flow.serverPeer
                                && edge.port == flow.serverPort;
            const bool viaService
                = !flow.service.empty()
                  && std::find(edge.viaServices.begin(), edge.viaServices.end(), flow.service)
                         != edge.viaServices.end();
            if (direct || viaService)
                refs.push_back(document.edgeRefOf(edge));
        }
    return refs;
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
