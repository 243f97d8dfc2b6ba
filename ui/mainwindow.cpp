#include "mainwindow.h"

#include "hubble/hubblereader.h"

#include "dialogs/addedgedialog.h"
#include "dialogs/exportwarning.h"
#include "dialogs/livecapturedialog.h"
#include "docks/decisionspanel.h"
#include "docks/reviewpanel.h"
#include "document.h"
#include "model/model.h"
#include "policy/generator.h"
#include "policy/policywriter.h"
#include "project/project.h"
#include "util/atomicfile.h"
#include "views/graphitems.h"
#include "views/graphview.h"
#include "views/inspector.h"
#include "views/mappane.h"
#include "views/tablespanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QBuffer>
#include <QCloseEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLockFile>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

namespace bulkhead::ui {

namespace {
constexpr int MaxRecent = 8;

// The first line of an autosave names the document it was made from (percent-encoded); the rest
// is the project, which reads it as a comment.
constexpr char AutosaveOriginPrefix[] = "# autosave of: ";

QString autosaveOrigin(const QString &autosave)
{
    QFile file(autosave);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = file.readLine(64 * 1024).trimmed();
    if (!line.startsWith(AutosaveOriginPrefix))
        return {};
    return QString::fromUtf8(
        QByteArray::fromPercentEncoding(line.mid(int(sizeof(AutosaveOriginPrefix)) - 1)));
}

enum class FileKind { Inventory, Capture, Flows, Other };

FileKind kindOf(const QString &file)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml"))
        return FileKind::Inventory;
    // Hubble flow lines (`hubble observe -o json`, flow exports) are recognised by their first
    // line; another .json is an inventory (`kubectl get -o json`).
    if (suffix == QLatin1String("json") || suffix == QLatin1String("jsonl")
        || suffix == QLatin1String("ndjson") || suffix == QLatin1String("log")) {
        if (looksLikeHubbleFile(file.toStdString()))
            return FileKind::Flows;
        return suffix == QLatin1String("json") ? FileKind::Inventory : FileKind::Other;
    }
    if (suffix == QLatin1String("pcap") || suffix == QLatin1String("pcapng")
        || suffix == QLatin1String("cap"))
        return FileKind::Capture;
    return FileKind::Other;
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new Document(this))
    , m_graphView(new GraphView(m_document, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    m_stack = new QStackedWidget;
    m_startPage = createStartPage();
    // The start page scrolls rather than widen the window past a small screen (1024 px).
    auto *startScroll = new QScrollArea;
    startScroll->setObjectName(QStringLiteral("startScroll"));
    startScroll->setFrameShape(QFrame::NoFrame);
    startScroll->setWidgetResizable(true);
    startScroll->setWidget(m_startPage);
    m_stack->addWidget(startScroll);
    m_stack->addWidget(createMapPane(m_document, m_graphView)); // breadcrumb over the graph
    setCentralWidget(m_stack);
    createDocks();
    createActions();
    createMenus();

    m_status = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    // The design's decision counts, always shown (after any edit, undo, open).
    m_decisionCounts = new QLabel;
    m_decisionCounts->setObjectName(QStringLiteral("decisionCounts"));
    statusBar()->addPermanentWidget(m_decisionCounts);
    for (auto signal : {&Document::designChanged, &Document::modelChanged}) {
        connect(m_document, signal, this,
                [this] { m_decisionCounts->setText(decisionCountsText(m_document->decisions())); });
    }

    connect(m_document, &Document::loadingStarted, this, [this](const QString &path) {
        m_status->setText(tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
        m_progress->setRange(0, 0);
        m_progress->show();
    });
    connect(m_document, &Document::progressChanged, this, [this](int percent) {
        if (percent < 0)
            m_progress->setRange(0, 0);
        else {
            m_progress->setRange(0, 100);
            m_progress->setValue(percent);
        }
    });
    connect(m_document, &Document::loadFailed, this, [this](const QString &message) {
        finishProgress();
        m_status->setText(tr("Could not open: %1").arg(message));
        if (!m_screenshotFile.isEmpty()) {
            qWarning("%s", qPrintable(message));
            QApplication::exit(1);
            return;
        }
        showError(tr("Could not open"), message);
    });
    connect(m_document, &Document::loadCancelled, this, [this] {
        finishProgress();
        m_status->setText(m_document->hasModel() ? tr("Reading cancelled; the design is as it was.")
                                                 : tr("Reading cancelled."));
    });
    connect(m_document, &Document::modelChanged, this, [this] {
        finishProgress();
        m_stack->setCurrentWidget(m_graphView->parentWidget());
        if (!m_document->path().isEmpty() && m_document->path() != autosavePath())
            addRecent(m_document->path());
        updateTitle();
        QStringList names;
        for (const Workload &w : m_document->model().inventory.workloads)
            names << QString::fromStdString(w.id());
        auto *completer = new QCompleter(names, m_find);
        completer->setCaseSensitivity(Qt::CaseInsensitive);
        completer->setFilterMode(Qt::MatchContains);
        m_find->setCompleter(completer);
        for (QAction *action : m_viewActions)
            action->setEnabled(true);
    });
    connect(m_document, &Document::layoutStarted, this, [this] {
        m_status->setText(tr("Laying out %1 boxes and %2 arrows…")
                              .arg(m_document->graph().nodes.size())
                              .arg(m_document->graph().edges.size()));
        m_progress->setRange(0, 0);
        m_progress->show();
    });
    connect(m_document, &Document::layoutFailed, this, [this](const QString &message) {
        m_progress->hide();
        m_status->setText(message);
        if (!m_screenshotFile.isEmpty())
            QApplication::exit(1);
    });
    connect(m_document, &Document::layoutChanged, this, [this] {
        m_progress->hide();
        const Model &model = m_document->model();
        m_status->setText(
            tr("%1 workloads, %2 edges, %3 flows, %4 policies · read in %5 s, laid "
               "out by %6 in %7 s")
                .arg(model.inventory.workloads.size())
                .arg(model.analysis.edges.size())
                .arg(model.analysis.flows.size())
                .arg(m_document->generated().policies.size())
                .arg(m_document->loadSeconds(), 0, 'f', 2)
                .arg(QString::fromUtf8(layoutEngineName(m_document->layout().engine).data()))
                .arg(m_document->layoutSeconds(), 0, 'f', 2));
        if (!m_screenshotFile.isEmpty()) {
            // Let the window paint once at its final size first; a view opened meanwhile (a
            // --focus, a find) lays out again and restarts the wait.
            auto *shot = findChild<QTimer *>(QStringLiteral("screenshotTimer"));
            if (!shot) {
                shot = new QTimer(this);
                shot->setObjectName(QStringLiteral("screenshotTimer"));
                shot->setSingleShot(true);
                shot->setInterval(600);
                connect(shot, &QTimer::timeout, this, [this] {
                    if (!m_document->hasLayout())
                        return;
                    QByteArray bytes;
                    QBuffer buffer(&bytes);
                    buffer.open(QIODevice::WriteOnly);
                    const QByteArray format
                        = QFileInfo(m_screenshotFile).suffix().toUpper().toLatin1();
                    const bool saved
                        = grab().save(&buffer, format.isEmpty() ? "PNG" : format.constData())
                          && writeFileAtomically(QFile::encodeName(m_screenshotFile).toStdString(),
                                                 std::string_view(bytes.constData(), bytes.size()));
                    if (!saved)
                        qWarning("could not write %s", qPrintable(m_screenshotFile));
                    QApplication::exit(saved ? 0 : 1);
                });
            }
            shot->start();
        }
    });
    connect(m_document, &Document::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &Document::designRecomputing, this,
            [this] { m_status->setText(tr("Working out the policies of the new design…")); });
    connect(m_document, &Document::designChanged, this, [this] {
        m_status->setText(tr("%1 policies from %2 intent edges (%3 denied, %4 added, %5 blocked "
                             "and %6 flagged by zone rules)")
                              .arg(m_document->generated().policies.size())
                              .arg(m_document->intent().edges.size())
                              .arg(m_document->intent().denied.size())
                              .arg(m_document->intent().added.size())
                              .arg(m_document->intent().blocked.size())
                              .arg(m_document->intent().flagged.size()));
    });
    // The autosave follows each design change closely; it goes once nothing is unsaved. One
    // Bulkhead at a time owns it.
    if (prepareAutosaveFolder()) {
        m_autosaveLock = std::make_unique<QLockFile>(autosavePath() + QStringLiteral(".lock"));
        m_autosaveLock->setStaleLockTime(0); // stale only when its process is gone, never by age
        m_ownsAutosave = m_autosaveLock->tryLock(0);
    }
    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setSingleShot(true);
    m_autosaveTimer->setInterval(autosaveDelayMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosave);
    connect(m_document, &Document::designChanged, m_autosaveTimer, qOverload<>(&QTimer::start));
    connect(m_document, &Document::modifiedChanged, this, [this](bool modified) {
        if (modified) {
            m_autosaveTimer->start();
        } else {
            m_autosaveTimer->stop();
            discardAutosave();
        }
    });
    connect(m_document, &Document::selectionChanged, this, [this](int workload) {
        if (workload >= 0 && m_graphView->itemOfWorkload(workload))
            m_graphView->ensureVisible(m_graphView->itemOfWorkload(workload), 80, 80);
    });

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 900);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    QTimer::singleShot(0, this, [this] { restoreUsableDockWidths(this); });
    updateRecentMenu();
    updateTitle();
}

MainWindow::~MainWindow() = default;

QString MainWindow::sampleDirectory()
{
    const QString nextToBuild
        = QDir(QCoreApplication::applicationDirPath())
              .absoluteFilePath(QStringLiteral("../../samples/online-boutique"));
    if (QFileInfo::exists(nextToBuild + QStringLiteral("/inventory.yaml")))
        return QDir::cleanPath(nextToBuild);
    return QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");
}

void MainWindow::createDocks()
{
    auto *inspectorDock = new QDockWidget(tr("Inspector"), this);
    inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspector = new Inspector(m_document, inspectorDock);
    inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, inspectorDock);

    auto *tablesDock = new QDockWidget(tr("Tables"), this);
    tablesDock->setObjectName(QStringLiteral("tablesDock"));
    m_tables = new TablesPanel(m_document, tablesDock);
    tablesDock->setWidget(m_tables);
    addDockWidget(Qt::BottomDockWidgetArea, tablesDock);
    // The design's decisions and the review of the cluster's policies: tabs beside the tables.
    auto *decisionsDock = new QDockWidget(tr("Decisions"), this);
    decisionsDock->setObjectName(QStringLiteral("decisionsDock"));
    m_decisions = new DecisionsPanel(m_document, decisionsDock);
    decisionsDock->setWidget(m_decisions);
    addDockWidget(Qt::BottomDockWidgetArea, decisionsDock);
    tabifyDockWidget(tablesDock, decisionsDock);
    auto *reviewDock = new QDockWidget(tr("Review Policies"), this);
    reviewDock->setObjectName(QStringLiteral("reviewDock"));
    m_review = new ReviewPanel(m_document, reviewDock);
    reviewDock->setWidget(m_review);
    addDockWidget(Qt::BottomDockWidgetArea, reviewDock);
    tabifyDockWidget(tablesDock, reviewDock);
    tablesDock->raise();
    connect(m_review, &ReviewPanel::failed, this, [this, reviewDock](const QString &message) {
        reviewDock->raise();
        showError(tr("Policies"), message);
    });
    // The inspector runs the window's whole height (the tables stop at its edge): at 700 pixels
    // its fields, edges and policy each keep a readable share.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    resizeDocks({inspectorDock}, {580}, Qt::Horizontal);
    resizeDocks({tablesDock}, {220}, Qt::Vertical);
    addMapDocks(this, m_document, m_graphView, inspectorDock, tablesDock); // legend, arrow flows
}

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

bool MainWindow::findWorkload(const QString &text)
{
    const int workload = m_document->findWorkload(text);
    if (workload < 0)
        return false;
    m_document->selectWorkload(workload);
    // At a level that folds it into a zone or namespace, the find opens the workload's focus view.
    const int node = m_document->graph().nodeOf(Peer::workload(workload));
    if (node < 0 || m_document->graph().nodes[node].isAggregate())
        m_document->focusWorkload(workload);
    else
        m_graphView->centreOnWorkload(workload);
    return true;
}

void MainWindow::openPath(const QString &path)
{
    if (!maybeKeepChanges())
        return;
    m_document->open(QFileInfo(path).absoluteFilePath());
}

void MainWindow::screenshotWhenReady(const QString &file)
{
    m_screenshotFile = file;
}

void MainWindow::openDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a project, or the inventory.yaml of a folder"), m_document->path(),
        tr("Bulkhead projects (*.bulkhead);;Inventory of a folder (inventory.yaml)"));
    if (path.isEmpty())
        return;
    openPath(path.endsWith(QLatin1String(".bulkhead")) ? path : QFileInfo(path).absolutePath());
}

bool MainWindow::confirmExport()
{
    const QString warning = exportBreaksWarning(*m_document);
    if (warning.isEmpty())
        return true;
    return ask(QMessageBox::Warning, tr("The design breaks observed traffic"), warning,
               QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
           == QMessageBox::Yes;
}

void MainWindow::exportPolicies(bool selectionOnly)
{
    if (selectionOnly && m_document->selectedWorkload() < 0) {
        showError(tr("Nothing selected"), tr("Select a workload first."));
        return;
    }
    if (!confirmExport())
        return;
    const QString file = QFileDialog::getSaveFileName(this, tr("Export Policies"),
                                                      QStringLiteral("networkpolicies.yaml"),
                                                      tr("YAML (*.yaml *.yml)"));
    if (!file.isEmpty())
        exportPoliciesTo(file, selectionOnly);
}

bool MainWindow::exportPoliciesTo(const QString &file, bool selectionOnly)
{
    const QString yaml = selectionOnly
                             ? m_document->policiesYamlOf({m_document->selectedWorkload()})
                             : m_document->allPoliciesYaml();
    if (!writeExport(file, yaml.toUtf8()))
        return false;
    m_status->setText(tr("Wrote the policies to %1").arg(QDir::toNativeSeparators(file)));
    return true;
}

bool MainWindow::exportCiliumTo(const QString &file)
{
    QStringList warnings;
    const QString yaml = m_document->ciliumPoliciesYaml(&warnings);
    if (!writeExport(file, yaml.toUtf8()))
        return false;
    QString text = tr("Wrote the CiliumNetworkPolicies to %1").arg(QDir::toNativeSeparators(file));
    if (!warnings.isEmpty())
        text += tr(" · %n warning(s): %1", nullptr, static_cast<int>(warnings.size()))
                    .arg(warnings.join(QStringLiteral("; ")));
    m_status->setText(text);
    return true;
}

bool MainWindow::exportPoliciesToFolder(const QString &folder)
{
    // One file per policy: <namespace>-<name>.yaml.
    int written = 0;
    for (const NetworkPolicy &policy : m_document->generated().policies) {
        const QString file = QDir(folder).filePath(
            QString::fromStdString(policy.ns + '-' + policy.name) + QStringLiteral(".yaml"));
        const auto ok = writeFileAtomically(file.toStdString(), writePolicyYaml(policy));
        if (!ok) {
            showError(tr("Could not export"), QString::fromStdString(ok.error().toString()));
            return false;
        }
        ++written;
    }
    m_status->setText(
        tr("Wrote %1 policy files to %2").arg(written).arg(QDir::toNativeSeparators(folder)));
    return true;
}

bool MainWindow::exportReportTo(const QString &file)
{
    return writeExport(file, m_document->reportJson().toUtf8());
}

// Every export is written atomically with mode 0644 (narrowed by the umask), never in place.
bool MainWindow::writeExport(const QString &file, const QByteArray &bytes)
{
    const auto written = writeFileAtomically(QFile::encodeName(file).toStdString(),
                                             std::string_view(bytes.constData(), bytes.size()));
    if (!written)
        showError(tr("Could not export"), QString::fromStdString(written.error().toString()));
    return written.has_value();
}

void MainWindow::exportGraph(bool svg)
{
    const QString file = QFileDialog::getSaveFileName(
        this, svg ? tr("Export Graph as SVG") : tr("Export Graph as PNG"),
        svg ? QStringLiteral("graph.svg") : QStringLiteral("graph.png"),
        svg ? tr("SVG (*.svg)") : tr("PNG (*.png)"));
    if (!file.isEmpty())
        exportGraphTo(file, svg);
}

bool MainWindow::exportGraphTo(const QString &file, bool svg)
{
    QGraphicsScene *scene = m_graphView->scene();
    const QRectF source = scene->sceneRect();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    bool ok = true;
    if (svg) {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(source.size().toSize());
        generator.setViewBox(QRectF(QPointF(0, 0), source.size()));
        generator.setTitle(QStringLiteral("Bulkhead graph"));
        QPainter painter(&generator);
        scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
        painter.end();
    } else {
        QImage image((source.size() * 2).toSize(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        scene->render(&painter, QRectF(QPointF(0, 0), source.size() * 2), source);
        painter.end();
        ok = image.save(&buffer, "PNG");
    }
    if (!ok) {
        showError(tr("Could not export"), tr("Could not draw the graph as PNG."));
        return false;
    }
    return writeExport(file, bytes);
}

void MainWindow::updateTitle()
{
    const QString name = m_document->path().isEmpty()
                             ? tr("Bulkhead")
                             : QFileInfo(m_document->path()).fileName()
                                   + (m_document->project().path.empty() && m_document->hasModel()
                                          ? tr(" (not saved as a project)")
                                          : QString())
                                   + QStringLiteral("[*] — Bulkhead");
    setWindowTitle(name);
    setWindowModified(m_document->isModified());
}

void MainWindow::addRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > MaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this,
                                [this, path] { openPath(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

bool MainWindow::maybeKeepChanges()
{
    if (!m_document->isModified())
        return true;
    const auto answer
        = ask(QMessageBox::Warning, tr("Unsaved changes"),
              tr("The design has changes that are not saved. Save them?"),
              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    if (answer == QMessageBox::Discard)
        discardAutosave();
    return answer == QMessageBox::Discard;
}

bool MainWindow::save()
{
    if (m_document->project().path.empty())
        return saveAs();
    const auto saved = m_document->save(QString::fromStdString(m_document->project().path));
    if (!saved) {
        showError(tr("Could not save"), QString::fromStdString(saved.error().toString()));
        return false;
    }
    discardAutosave();
    return true;
}

bool MainWindow::saveAs(const QString &given)
{
    QString file = given;
    if (file.isEmpty()) {
        const QFileInfo current(m_document->path());
        const QString suggestion
            = current.isDir() ? QDir(current.absoluteFilePath())
                                    .filePath(current.fileName() + QStringLiteral(".bulkhead"))
                              : current.absoluteFilePath();
        file = QFileDialog::getSaveFileName(this, tr("Save Project As"), suggestion,
                                            tr("Bulkhead projects (*.bulkhead)"));
        if (file.isEmpty())
            return false;
    }
    if (!file.endsWith(QLatin1String(".bulkhead")))
        file += QStringLiteral(".bulkhead");
    const auto saved = m_document->save(file);
    if (!saved) {
        showError(tr("Could not save"), QString::fromStdString(saved.error().toString()));
        return false;
    }
    discardAutosave();
    addRecent(m_document->path());
    updateTitle();
    m_status->setText(tr("Saved %1").arg(QDir::toNativeSeparators(file)));
    return true;
}

QString MainWindow::autosavePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("autosave.bulkhead"));
}

bool MainWindow::prepareAutosaveFolder()
{
    // The folder is the user's alone: whoever could write in it could plant a design.
    const QString folder = QFileInfo(autosavePath()).absolutePath();
    if (!QDir().mkpath(folder)
        || !QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                              | QFile::ReadUser | QFile::WriteUser
                                              | QFile::ExeUser)) {
        qWarning("cannot prepare the autosave folder %s", qPrintable(folder));
        return false;
    }
    return true;
}

void MainWindow::discardAutosave()
{
    if (m_ownsAutosave)
        QFile::remove(autosavePath());
}

bool MainWindow::autosave()
{
    if (!m_ownsAutosave || !m_document->hasModel() || !m_document->isModified())
        return false;
    if (!prepareAutosaveFolder())
        return false;
    const QString folder = QFileInfo(autosavePath()).absolutePath();
    const Project &project = m_document->project();
    const QString origin
        = project.path.empty() ? m_document->path() : QString::fromStdString(project.path);
    const std::string content = AutosaveOriginPrefix
                                + origin.toUtf8().toPercentEncoding().toStdString() + '\n'
                                + projectToYaml(project, QFile::encodeName(folder).toStdString());
    const auto written = writeFileAtomically(QFile::encodeName(autosavePath()).toStdString(),
                                             content, FileAccess::Private);
    if (!written)
        qWarning("%s", written.error().toString().c_str());
    return written.has_value();
}

bool MainWindow::offerAutosaveRestore()
{
    const QString file = autosavePath();
    if (!m_ownsAutosave || !QFileInfo::exists(file))
        return false;
    const QString origin = autosaveOrigin(file);
    const auto answer = ask(
        QMessageBox::Question, tr("Restore unsaved design?"),
        tr("Bulkhead was closed with a design of %1 that was not saved (autosaved %2). Restore it?")
            .arg(origin.isEmpty() ? tr("an unknown document") : QDir::toNativeSeparators(origin),
                 QFileInfo(file).lastModified().toString(Qt::ISODate)),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    if (answer != QMessageBox::Yes) {
        QFile::remove(file);
        return false;
    }
    m_document->restoreAutosave(file, origin);
    return true;
}

void MainWindow::setMessageHandler(MessageHandler handler)
{
    m_messageHandler = std::move(handler);
}

QMessageBox::StandardButton MainWindow::ask(QMessageBox::Icon icon, const QString &title,
                                            const QString &text,
                                            QMessageBox::StandardButtons buttons,
                                            QMessageBox::StandardButton defaultButton)
{
    if (m_messageHandler)
        return m_messageHandler(icon, title, text, buttons);
    QMessageBox box(icon, title, text, buttons, this);
    box.setDefaultButton(defaultButton);
    return static_cast<QMessageBox::StandardButton>(box.exec());
}

bool MainWindow::startPageShown() const
{
    return m_stack->currentIndex() == 0; // the start page's scroll area
}

QWidget *MainWindow::createStartPage()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("startPage"));
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(60, 40, 60, 40);
    auto *title = new QLabel(tr("<h2>Bulkhead</h2><p>Least-privilege NetworkPolicies from observed "
                                "traffic, and how far a compromised workload could reach.</p>"));
    layout->addWidget(title);
    auto *sample = new QPushButton(tr("Open sample (Online Boutique)"));
    sample->setObjectName(QStringLiteral("openSample"));
    connect(sample, &QPushButton::clicked, this, [this] { openPath(sampleDirectory()); });
    auto *open = new QPushButton(tr("Open project or folder…"));
    connect(open, &QPushButton::clicked, this, &MainWindow::openDialog);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(sample);
    buttons->addWidget(open);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("<b>Recent projects</b>")));
    auto *recent = new QListWidget;
    recent->setObjectName(QStringLiteral("recentList"));
    for (const QString &path : QSettings().value(QStringLiteral("recentFiles")).toStringList())
        recent->addItem(path);
    connect(recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { openPath(item->text()); });
    layout->addWidget(recent, 1);
    layout->addWidget(new QLabel(tr("Drop a project, a folder, inventories or captures here.")));
    return page;
}

void MainWindow::importDialog(bool captures)
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, captures ? tr("Import Captures") : tr("Import Inventories"), QString(),
        captures
            ? tr("Captures and Hubble flows (*.pcap *.pcapng *.cap *.json *.jsonl *.ndjson *.log)")
            : tr("Inventories (*.yaml *.yml *.json)"));
    if (!files.isEmpty())
        importFiles(files);
}

bool MainWindow::importFiles(const QStringList &files)
{
    QStringList inventories, captures, flows, others;
    for (const QString &file : files) {
        switch (kindOf(file)) {
        case FileKind::Inventory: inventories << file; break;
        case FileKind::Capture: captures << file; break;
        case FileKind::Flows: flows << file; break;
        case FileKind::Other: others << QFileInfo(file).fileName(); break;
        }
    }
    if (!others.isEmpty() || files.isEmpty()) {
        showError(
            tr("Cannot import"),
            tr("Bulkhead imports inventories (.yaml, .yml, .json), captures (.pcap, .pcapng, "
               ".cap) and Hubble flows (hubble observe -o json), and opens a project (.bulkhead) "
               "or a folder; not %1. Nothing was imported.")
                .arg(others.join(QStringLiteral(", "))));
        return false;
    }
    if (!m_document->hasModel() && inventories.isEmpty()) {
        showError(tr("Nothing to import into"),
                  tr("Open a project or an inventory first, then add captures or flows."));
        return false;
    }
    // One dialog per read, gone when the read ends: a dialog kept hidden between reads shows
    // itself again from its own timers (QProgressDialog's minimumDuration).
    finishProgress();
    auto *dialog = new QProgressDialog(tr("Reading %1 file(s)…").arg(files.size()), tr("Cancel"), 0,
                                       100, this);
    dialog->setObjectName(QStringLiteral("importProgress"));
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(500);
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    connect(dialog, &QProgressDialog::canceled, m_document, &Document::cancelLoading);
    connect(m_document, &Document::progressChanged, dialog, [dialog](int percent) {
        if (percent >= 0)
            dialog->setValue(percent);
    });
    dialog->setValue(0);
    m_progressDialog = dialog;
    m_document->importFiles(inventories, captures, flows);
    return true;
}

void MainWindow::finishProgress()
{
    m_progress->hide();
    if (m_progressDialog) {
        // reset() stops the dialog's own show timer (minimumDuration): merely hidden, it showed
        // itself over the error box of a read that failed within that time, and blocked it.
        m_progressDialog->reset();
        m_progressDialog->hide();
        m_progressDialog->deleteLater(); // may be in its own canceled() signal
        m_progressDialog = nullptr;
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    // Local files are taken; dropEvent says which kinds it reads when one is not.
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty())
        return;
    for (const QUrl &url : urls)
        if (!url.isLocalFile())
            return;
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    QStringList remote;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            files << url.toLocalFile();
        else
            remote << url.toDisplayString();
    }
    if (!remote.isEmpty()) {
        event->ignore();
        showError(tr("Cannot import"), tr("Bulkhead reads local files only, not %1. Nothing was "
                                          "imported.")
                                           .arg(remote.join(QStringLiteral(", "))));
        return;
    }
    if (files.isEmpty()) {
        event->ignore();
        return;
    }
    const QFileInfo first(files.first());
    if (files.size() == 1 && (first.isDir() || first.suffix() == QLatin1String("bulkhead"))) {
        openPath(first.absoluteFilePath());
        event->acceptProposedAction();
        return;
    }
    if (importFiles(files))
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::addEdgeDialog()
{
    AddEdgeDialog dialog(m_document, this);
    if (m_document->selectedWorkload() >= 0) {
        EdgeRef ref;
        ref.from = m_document->model().inventory.workloads[m_document->selectedWorkload()].id();
        dialog.setEdge(ref);
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (auto added = m_document->addEdge(dialog.edge()); !added)
        showError(tr("Cannot add the edge"), QString::fromStdString(added.error().message));
}

void MainWindow::liveCaptureDialog()
{
    if (!m_document->hasModel()) {
        showError(tr("Live capture"), tr("Open a project or an inventory first: captured traffic "
                                         "is attributed to its workloads."));
        return;
    }
    auto *dialog = new LiveCaptureDialog(m_document, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeKeepChanges()) {
        event->ignore();
        return;
    }
    discardAutosave();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::showError(const QString &title, const QString &message)
{
    ask(QMessageBox::Warning, title, message, QMessageBox::Ok, QMessageBox::Ok);
}

} // namespace bulkhead::ui
