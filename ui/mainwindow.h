#pragma once

#include "autosave.h"

#include <QMainWindow>
#include <QMessageBox>

#include <expected>

#include <functional>
#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QProgressDialog;
class QStackedWidget;

namespace bulkhead::ui {

class Document;
class GraphView;
class DecisionsPanel;
class Inspector;
class ReviewPanel;
class TablesPanel;
class WindowScreenshot;

// The desktop application's window: the graph in the middle, the inspector on the right, the
// tables below; menus, toolbar, recent files, window state kept in QSettings. Its parts:
// mainwindowmenus.cpp (actions, menus, toolbar), mainwindowimport.cpp (import, drag and drop,
// live capture); autosave.h, exporter.h, views/startpage.h and windowscreenshot.h do the work.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Document *document() const { return m_document; }
    GraphView *graphView() const { return m_graphView; }
    Inspector *inspector() const { return m_inspector; }
    TablesPanel *tables() const { return m_tables; }
    DecisionsPanel *decisionsPanel() const { return m_decisions; }
    ReviewPanel *reviewPanel() const { return m_review; }
    // Before an export: when the design breaks observed traffic, says which and asks; false
    // when the user declines.
    bool confirmExport();

    void openPath(const QString &path);
    // Saves a picture of the window to `file` once the next layout is shown, then quits the
    // application with status 0 (1 when loading, layout or saving fails).
    void screenshotWhenReady(const QString &file);
    // Selects and centres the workload matching the text; false when none does.
    bool findWorkload(const QString &text);

    static QString sampleDirectory();
    // Where the autosave of an unsaved design goes (Autosave::path()). It exists only while a
    // design has changes that are not saved: a clean exit (Save, or Discard at close) removes it,
    // so one found at start was left by a crash.
    static QString autosavePath();
    // Writes the autosave now when there are unsaved changes; returns whether it wrote. It also
    // runs by itself shortly after every design change (autosaveDelayMs).
    bool autosave();
    static constexpr int autosaveDelayMs = Autosave::DelayMs;
    // Offers an autosave left by a crash (called at start when no path was given). Yes restores
    // the design as it was (the same project file or folder, marked modified); No deletes the
    // autosave. Returns whether it restored.
    bool offerAutosaveRestore();
    // Whether this window owns the autosave: one Bulkhead at a time does (a lock file beside
    // it, released on exit and found stale after a crash), so that a second one started while the
    // first runs neither offers nor deletes the first one's autosave, and does not autosave.
    bool ownsAutosave() const;

    // Every question and message box of the window goes through this function: by default a
    // modal QMessageBox; a test sets one that records the text and answers.
    using MessageHandler = std::function<QMessageBox::StandardButton(
        QMessageBox::Icon icon, const QString &title, const QString &text,
        QMessageBox::StandardButtons buttons)>;
    void setMessageHandler(MessageHandler handler);
    // Save: to the project file, or Save As when there is none. False when cancelled or failed.
    bool save();
    bool saveAs(const QString &file = QString());
    // Exports (no dialog when a path is given). Policies of the selection: the selected workload.
    bool exportPoliciesTo(const QString &file, bool selectionOnly);
    bool exportPoliciesToFolder(const QString &folder);
    // Export CiliumNetworkPolicy: Document::ciliumPoliciesYaml, its warnings in the status bar.
    bool exportCiliumTo(const QString &file);
    bool exportReportTo(const QString &file);
    bool exportGraphTo(const QString &file, bool svg);
    // Reads more inventories (.yaml, .yml) and captures (.pcap, .pcapng, .cap) into the project,
    // in the background with a progress dialog. Refuses, with a message and changing nothing,
    // a list holding any other kind of file; returns whether the read started.
    bool importFiles(const QStringList &files);
    // The progress dialog of the read in progress (nullptr when none).
    QProgressDialog *progressDialog() const { return m_progressDialog; }
    bool startPageShown() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void discardAutosave(); // removes this window's autosave, when it owns it
    void createActions();
    void createMenus();
    void createDocks();
    void updateTitle();
    void updateRecentMenu();
    void addRecent(const QString &path);
    bool maybeKeepChanges();
    void openDialog();
    void exportPolicies(bool selectionOnly);
    void exportGraph(bool svg);
    void addEdgeDialog();
    void liveCaptureDialog();
    void importDialog(bool captures);
    void showError(const QString &title, const QString &message);
    void finishProgress(); // hides the progress bar and dialog of a read that ended
    QMessageBox::StandardButton ask(QMessageBox::Icon icon, const QString &title,
                                    const QString &text, QMessageBox::StandardButtons buttons,
                                    QMessageBox::StandardButton defaultButton);
    // Shows what an Exporter call did: its error, or its sentence in the status bar.
    bool finishExport(const std::expected<QString, QString> &result);

    Document *m_document;
    GraphView *m_graphView;
    Inspector *m_inspector = nullptr;
    TablesPanel *m_tables = nullptr;
    DecisionsPanel *m_decisions = nullptr;
    ReviewPanel *m_review = nullptr;
    QLabel *m_decisionCounts = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLineEdit *m_find = nullptr;
    QComboBox *m_radiusPolicy = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_exportPoliciesAction = nullptr;
    QAction *m_exportCiliumAction = nullptr;
    QAction *m_exportSvgAction = nullptr;
    QAction *m_exportPngAction = nullptr;
    QAction *m_heatAction = nullptr;
    QAction *m_byZoneAction = nullptr;
    QAction *m_byNamespaceAction = nullptr;
    QList<QAction *> m_viewActions;
    WindowScreenshot *m_screenshot = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_startPage = nullptr;
    QProgressDialog *m_progressDialog = nullptr;
    Autosave *m_autosave = nullptr;
    MessageHandler m_messageHandler;
};

} // namespace bulkhead::ui
