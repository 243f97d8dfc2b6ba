// MainWindow's actions, menus and toolbar (File, Edit, View; open, fit, re-layout, heat mode,
// the blast radius policy, find). The rest of MainWindow is in mainwindow.cpp.
#include "mainwindow.h"

#include "document.h"
#include "views/graphview.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>

namespace bulkhead::ui {

void MainWindow::createActions()
{
    m_saveAction = new QAction(tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = new QAction(tr("Save &As…"), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAction, &QAction::triggered, this, [this] { save(); });
    connect(m_saveAsAction, &QAction::triggered, this, [this] { saveAs(); });
    m_exportPoliciesAction = new QAction(tr("Export &Policies…"), this);
    m_exportPoliciesAction->setShortcut(tr("Ctrl+E"));
    connect(m_exportPoliciesAction, &QAction::triggered, this, [this] { exportPolicies(false); });
    m_exportCiliumAction = new QAction(tr("Export &CiliumNetworkPolicy…"), this);
    m_exportCiliumAction->setToolTip(
        tr("What generate --format cilium writes: the same least privilege, "
           "toFQDNs, and rules.http from the HTTP paths with your path decisions"));
    connect(m_exportCiliumAction, &QAction::triggered, this, [this] {
        if (!confirmExport())
            return;
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Export CiliumNetworkPolicy"), QStringLiteral("ciliumnetworkpolicies.yaml"),
            tr("YAML (*.yaml *.yml)"));
        if (!file.isEmpty())
            exportCiliumTo(file);
    });
    m_exportSvgAction = new QAction(tr("Export Graph as &SVG…"), this);
    connect(m_exportSvgAction, &QAction::triggered, this, [this] { exportGraph(true); });
    m_exportPngAction = new QAction(tr("Export Graph as P&NG…"), this);
    connect(m_exportPngAction, &QAction::triggered, this, [this] { exportGraph(false); });
    m_heatAction = new QAction(tr("&Heat Mode"), this);
    m_heatAction->setCheckable(true);
    m_heatAction->setShortcut(tr("Ctrl+H"));
    m_heatAction->setToolTip(tr("Colour every workload by the share of workloads it reaches"));
    connect(m_heatAction, &QAction::toggled, m_graphView, &GraphView::setHeatMode);
    auto *clusterGroup = new QActionGroup(this);
    m_byZoneAction = new QAction(tr("Clusters by &Zone"), clusterGroup);
    m_byNamespaceAction = new QAction(tr("Clusters by &Namespace"), clusterGroup);
    m_byZoneAction->setCheckable(true);
    m_byNamespaceAction->setCheckable(true);
    m_byZoneAction->setChecked(true);
    connect(m_byZoneAction, &QAction::triggered, this,
            [this] { m_document->setClusterMode(ClusterMode::Zone); });
    connect(m_byNamespaceAction, &QAction::triggered, this,
            [this] { m_document->setClusterMode(ClusterMode::Namespace); });
    m_viewActions = {m_exportPoliciesAction, m_exportCiliumAction, m_exportSvgAction,
                     m_exportPngAction,      m_saveAction,         m_saveAsAction};
    for (QAction *action : m_viewActions)
        action->setEnabled(false);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Folder…"), this, [this] {
        const QString path = QFileDialog::getExistingDirectory(
            this, tr("Open a folder with inventory.yaml and captures"), m_document->path());
        if (!path.isEmpty())
            openPath(path);
    });
    file->addAction(tr("Open &Sample"), this, [this] { openPath(sampleDirectory()); });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    QAction *importInventory
        = file->addAction(tr("Import &Inventory…"), this, [this] { importDialog(false); });
    QAction *importCapture
        = file->addAction(tr("Import &Capture…"), this, [this] { importDialog(true); });
    importCapture->setShortcut(tr("Ctrl+I"));
    QAction *live = file->addAction(tr("&Live Capture…"), this, &MainWindow::liveCaptureDialog);
    file->addSeparator();
    file->addAction(m_exportPoliciesAction);
    file->addAction(m_exportCiliumAction);
    QAction *exportSelection = file->addAction(tr("Export Policies of the Se&lected Workload…"),
                                               this, [this] { exportPolicies(true); });
    QAction *exportFolder = file->addAction(tr("Export Policies to a F&older…"), this, [this] {
        if (!confirmExport())
            return;
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export Policies to"));
        if (!folder.isEmpty())
            exportPoliciesToFolder(folder);
    });
    QAction *exportReport = file->addAction(tr("Export &Report (JSON)…"), this, [this] {
        const QString f = QFileDialog::getSaveFileName(
            this, tr("Export Report"), QStringLiteral("report.json"), tr("JSON (*.json)"));
        if (!f.isEmpty())
            exportReportTo(f);
    });
    file->addAction(m_exportSvgAction);
    file->addAction(m_exportPngAction);
    m_viewActions << importInventory << importCapture << exportSelection << exportFolder
                  << exportReport;
    for (QAction *action :
         {importInventory, importCapture, exportSelection, exportFolder, exportReport})
        action->setEnabled(false);
    Q_UNUSED(live);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction *addEdge = edit->addAction(tr("&Add Edge…"), this, &MainWindow::addEdgeDialog);
    addEdge->setShortcut(tr("Ctrl+Shift+A"));
    addEdge->setEnabled(false);
    m_viewActions << addEdge;
    edit->addSeparator();
    QAction *find = edit->addAction(tr("&Find Workload…"));
    find->setShortcut(QKeySequence::Find);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *fit = view->addAction(tr("&Fit"), m_graphView, &GraphView::fitGraph);
    fit->setShortcut(tr("Ctrl+0"));
    QAction *zoomIn = view->addAction(tr("Zoom &In"), this, [this] { m_graphView->zoomBy(1.25); });
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction *zoomOut = view->addAction(tr("Zoom &Out"), this, [this] { m_graphView->zoomBy(0.8); });
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    view->addSeparator();
    view->addAction(m_byZoneAction);
    view->addAction(m_byNamespaceAction);
    view->addSeparator();
    view->addAction(m_heatAction);
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    open->setToolTip(tr("Open a project, or a folder's inventory.yaml (Ctrl+O)"));
    fit->setToolTip(tr("Fit the whole view in the window"));
    QAction *relayout = view->addAction(tr("&Re-layout"), m_document, &Document::relayout);
    relayout->setShortcut(tr("Ctrl+L"));
    relayout->setToolTip(
        tr("Lay this view out afresh (boxes otherwise keep their places when the design changes)"));
    toolbar->addAction(open);
    toolbar->addAction(fit);
    toolbar->addAction(relayout);
    toolbar->addAction(m_heatAction);
    toolbar->addSeparator();
    toolbar->addWidget(new QLabel(tr(" Blast radius: ")));
    m_radiusPolicy = new QComboBox;
    m_radiusPolicy->setObjectName(QStringLiteral("radiusPolicy"));
    m_radiusPolicy->addItem(tr("design (generated policies)"), int(ReachBasis::Design));
    m_radiusPolicy->addItem(tr("no policy (baseline)"), int(ReachBasis::NoPolicy));
    m_radiusPolicy->addItem(tr("loaded policies (Review panel)"), int(ReachBasis::Loaded));
    // "loaded policies" only while the Review panel has policies reviewed for this model.
    const auto enableLoaded = [this] {
        auto *items = qobject_cast<QStandardItemModel *>(m_radiusPolicy->model());
        if (QStandardItem *item = items ? items->item(2) : nullptr)
            item->setEnabled(m_document->hasLoadedPolicyReach());
        if (!m_document->hasLoadedPolicyReach() && m_radiusPolicy->currentIndex() == 2)
            m_radiusPolicy->setCurrentIndex(0);
    };
    connect(m_document, &Document::loadedPolicyReachChanged, this, enableLoaded);
    enableLoaded();
    connect(m_radiusPolicy, &QComboBox::currentIndexChanged, this, [this] {
        m_document->setRadiusPolicy(ReachBasis(m_radiusPolicy->currentData().toInt()));
        m_graphView->setHeatMode(m_heatAction->isChecked());
    });
    toolbar->addWidget(m_radiusPolicy);
    toolbar->addSeparator();
    m_find = new QLineEdit;
    m_find->setObjectName(QStringLiteral("find"));
    m_find->setPlaceholderText(tr("Find workload (Ctrl+F)"));
    m_find->setClearButtonEnabled(true);
    m_find->setMaximumWidth(280);
    toolbar->addWidget(m_find);
    connect(find, &QAction::triggered, this, [this] {
        m_find->setFocus();
        m_find->selectAll();
    });
    connect(m_find, &QLineEdit::returnPressed, this, [this] {
        if (!findWorkload(m_find->text()))
            m_status->setText(tr("No workload matches “%1”.").arg(m_find->text()));
    });
}

} // namespace bulkhead::ui
