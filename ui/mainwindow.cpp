#include "mainwindow.h"

#include "autosave.h"
#include "dialogs/addedgedialog.h"
#include "dialogs/exportwarning.h"
#include "docks/decisionspanel.h"
#include "docks/reviewpanel.h"
#include "document.h"
#include "exporter.h"
#include "model/model.h"
#include "views/graphitems.h"
#include "views/graphview.h"
#include "views/inspector.h"
#include "views/mappane.h"
#include "views/startpage.h"
#include "views/tablespanel.h"
#include "windowscreenshot.h"

#include <QApplication>
#include <QCloseEvent>
#include <QCompleter>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QProgressDialog>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

namespace bulkhead::ui {

namespace {
constexpr int MaxRecent = 8;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new Document(this))
    , m_graphView(new GraphView(m_document, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    m_stack = new QStackedWidget;
    auto *startPage = new StartPage;
    connect(startPage, &StartPage::openSampleRequested, this,
            [this] { openPath(sampleDirectory()); });
    connect(startPage, &StartPage::openDialogRequested, this, &MainWindow::openDialog);
    connect(startPage, &StartPage::openRequested, this, &MainWindow::openPath);
    m_startPage = startPage;
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
        if (m_screenshot) {
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
        if (!m_document->path().isEmpty() && m_document->path() != Autosave::path())
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
        m_status->setText(message); // a screenshot exits (WindowScreenshot)
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
    // One Bulkhead at a time owns the autosave; it follows each design change closely.
    m_autosave = new Autosave(m_document, this);
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
    delete m_screenshot;
    m_screenshot = new WindowScreenshot(this, m_document, file);
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
    return finishExport(Exporter(*m_document).policies(file, selectionOnly));
}

bool MainWindow::exportCiliumTo(const QString &file)
{
    return finishExport(Exporter(*m_document).cilium(file));
}

bool MainWindow::exportPoliciesToFolder(const QString &folder)
{
    return finishExport(Exporter(*m_document).policiesToFolder(folder));
}

bool MainWindow::exportReportTo(const QString &file)
{
    return finishExport(Exporter(*m_document).report(file));
}

bool MainWindow::finishExport(const std::expected<QString, QString> &result)
{
    if (!result) {
        showError(tr("Could not export"), result.error());
        return false;
    }
    if (!result->isEmpty())
        m_status->setText(*result);
    return true;
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
    return finishExport(Exporter(*m_document).graph(m_graphView->scene(), file, svg));
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
    return Autosave::path();
}

bool MainWindow::autosave()
{
    return m_autosave->write();
}

bool MainWindow::ownsAutosave() const
{
    return m_autosave->ownsFile();
}

void MainWindow::discardAutosave()
{
    m_autosave->discard();
}

bool MainWindow::offerAutosaveRestore()
{
    const QString file = autosavePath();
    if (!ownsAutosave() || !QFileInfo::exists(file))
        return false;
    const QString origin = Autosave::originOf(file);
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
