#pragma once

#include <QMainWindow>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;

namespace bulkhead::ui {

class Document;
class GraphView;
class Inspector;
class TablesPanel;

// The desktop application's window: the graph in the middle, the inspector on the right, the
// tables below; menus, toolbar, recent files, window state kept in QSettings.
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

    void openPath(const QString &path);
    // Saves a picture of the window to `file` once the next layout is shown, then quits the
    // application with status 0 (1 when loading, layout or saving fails).
    void screenshotWhenReady(const QString &file);
    // Selects and centres the workload matching the text; false when none does.
    bool findWorkload(const QString &text);

    static QString sampleDirectory();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void updateTitle();
    void updateRecentMenu();
    void addRecent(const QString &path);
    bool maybeKeepChanges();
    void openDialog();
    void exportPolicies();
    void exportGraph(bool svg);
    void showError(const QString &title, const QString &message);

    Document *m_document;
    GraphView *m_graphView;
    Inspector *m_inspector = nullptr;
    TablesPanel *m_tables = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLineEdit *m_find = nullptr;
    QComboBox *m_radiusPolicy = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_exportPoliciesAction = nullptr;
    QAction *m_exportSvgAction = nullptr;
    QAction *m_exportPngAction = nullptr;
    QAction *m_heatAction = nullptr;
    QAction *m_byZoneAction = nullptr;
    QAction *m_byNamespaceAction = nullptr;
    QList<QAction *> m_viewActions;
    QString m_screenshotFile;
};

} // namespace bulkhead::ui
