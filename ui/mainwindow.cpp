#include "mainwindow.h"

#include "analysis/pipeline.h"
#include "document.h"
#include "policy/generator.h"
#include "util/atomicfile.h"
#include "views/graphitems.h"
#include "views/graphview.h"
#include "views/inspector.h"
#include "views/tablesdock.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
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
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>

namespace bulkhead::ui {

namespace {
constexpr int MaxRecent = 8;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_document(new Document(this)),
      m_graphView(new GraphView(m_document, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setCentralWidget(m_graphView);
    createDocks();
    createActions();
    createMenus();

    m_status = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);

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
        m_progress->hide();
        m_status->setText(tr("Could not open: %1").arg(message));
        if (!m_screenshotFile.isEmpty()) {
            qWarning("%s", qPrintable(message));
            QApplication::exit(1);
            return;
        }
        showError(tr("Could not open"), message);
    });
    connect(m_document, &Document::modelChanged, this, [this] {
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
        m_status->setText(tr("%1 workloads, %2 edges, %3 flows, %4 policies · read in %5 s, laid "
                             "out by %6 in %7 s")
                              .arg(model.inventory.workloads.size())
                              .arg(model.analysis.edges.size())
                              .arg(model.analysis.flows.size())
                              .arg(m_document->generated().policies.size())
                              .arg(m_document->loadSeconds(), 0, 'f', 2)
                              .arg(QString::fromUtf8(
                                  layoutEngineName(m_document->layout().engine).data()))
                              .arg(m_document->layoutSeconds(), 0, 'f', 2));
        if (!m_screenshotFile.isEmpty()) {
            // Let the window paint once at its final size first.
            QTimer::singleShot(300, this, [this] {
                const bool saved = grab().save(m_screenshotFile);
                if (!saved)
                    qWarning("could not write %s", qPrintable(m_screenshotFile));
                QApplication::exit(saved ? 0 : 1);
            });
        }
    });
    connect(m_document, &Document::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &Document::selectionChanged, this, [this](int workload) {
        if (workload >= 0 && m_graphView->itemOfWorkload(workload))
            m_graphView->ensureVisible(m_graphView->itemOfWorkload(workload), 80, 80);
    });

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 900);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateRecentMenu();
    updateTitle();
}

MainWindow::~MainWindow() = default;

QString MainWindow::sampleDirectory()
{
    const QString nextToBuild = QDir(QCoreApplication::applicationDirPath())
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
    resizeDocks({inspectorDock}, {420}, Qt::Horizontal);
    resizeDocks({tablesDock}, {220}, Qt::Vertical);
}

void MainWindow::createActions()
{
    m_saveAction = new QAction(tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = new QAction(tr("Save &As…"), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    for (QAction *action : {m_saveAction, m_saveAsAction}) {
        action->setEnabled(false); // project files arrive with core/project
        action->setToolTip(tr("Saving projects is not available yet"));
    }
    m_exportPoliciesAction = new QAction(tr("Export &Policies…"), this);
    m_exportPoliciesAction->setShortcut(tr("Ctrl+E"));
    connect(m_exportPoliciesAction, &QAction::triggered, this, &MainWindow::exportPolicies);
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
    m_viewActions = {m_exportPoliciesAction, m_exportSvgAction, m_exportPngAction};
    for (QAction *action : m_viewActions)
        action->setEnabled(false);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Sample"), this, [this] { openPath(sampleDirectory()); });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_exportPoliciesAction);
    file->addAction(m_exportSvgAction);
    file->addAction(m_exportPngAction);
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
    QAction *find = edit->addAction(tr("&Find Workload…"));
    find->setShortcut(QKeySequence::Find);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *fit = view->addAction(tr("&Fit"), m_graphView, &GraphView::fitGraph);
    fit->setShortcut(tr("Ctrl+0"));
    QAction *zoomIn = view->addAction(tr("Zoom &In"), this, [this] { m_graphView->zoomBy(1.25); });
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction *zoomOut = view->addAction(tr("Zoom &Out"), this,
                                       [this] { m_graphView->zoomBy(0.8); });
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
    toolbar->addAction(open);
    toolbar->addAction(fit);
    toolbar->addAction(m_heatAction);
    toolbar->addSeparator();
    toolbar->addWidget(new QLabel(tr(" Blast radius: ")));
    m_radiusPolicy = new QComboBox;
    m_radiusPolicy->setObjectName(QStringLiteral("radiusPolicy"));
    m_radiusPolicy->addItem(tr("design (generated policies)"), int(RadiusPolicy::Design));
    m_radiusPolicy->addItem(tr("no policy (baseline)"), int(RadiusPolicy::NoPolicy));
    connect(m_radiusPolicy, &QComboBox::currentIndexChanged, this, [this] {
        m_document->setRadiusPolicy(RadiusPolicy(m_radiusPolicy->currentData().toInt()));
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
    const QString path = QFileDialog::getExistingDirectory(
        this, tr("Open a folder with inventory.yaml and captures"), m_document->path());
    if (!path.isEmpty())
        openPath(path);
}

void MainWindow::exportPolicies()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export Policies"),
                                                      QStringLiteral("networkpolicies.yaml"),
                                                      tr("YAML (*.yaml *.yml)"));
    if (file.isEmpty())
        return;
    const auto written = writeFileAtomically(file.toStdString(),
                                             m_document->allPoliciesYaml().toStdString());
    if (!written)
        showError(tr("Could not export"), QString::fromStdString(written.error().toString()));
    else
        m_status->setText(tr("Wrote %1 policies to %2")
                              .arg(m_document->generated().policies.size())
                              .arg(QDir::toNativeSeparators(file)));
}

void MainWindow::exportGraph(bool svg)
{
    const QString file = QFileDialog::getSaveFileName(
        this, svg ? tr("Export Graph as SVG") : tr("Export Graph as PNG"),
        svg ? QStringLiteral("graph.svg") : QStringLiteral("graph.png"),
        svg ? tr("SVG (*.svg)") : tr("PNG (*.png)"));
    if (file.isEmpty())
        return;
    QGraphicsScene *scene = m_graphView->scene();
    const QRectF source = scene->sceneRect();
    bool ok = true;
    if (svg) {
        QSvgGenerator generator;
        generator.setFileName(file);
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
        ok = image.save(file);
    }
    if (!ok)
        showError(tr("Could not export"), tr("Could not write %1.").arg(file));
}

void MainWindow::updateTitle()
{
    const QString name = m_document->path().isEmpty()
                             ? tr("Bulkhead")
                             : QFileInfo(m_document->path()).fileName() + QStringLiteral("[*] — Bulkhead");
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
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("The design has changes that are not saved. Discard them?"),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeKeepChanges()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::showError(const QString &title, const QString &message)
{
    QMessageBox::warning(this, title, message);
}

} // namespace bulkhead::ui
