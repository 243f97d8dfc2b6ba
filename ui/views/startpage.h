#pragma once

#include <QWidget>

namespace bulkhead::ui {

// What the window shows before a model is open: what Bulkhead does, Open sample, Open project or
// folder, the recent projects (QSettings "recentFiles", as they were when the page was made) and
// a reminder that files may be dropped.
class StartPage : public QWidget
{
    Q_OBJECT

public:
    explicit StartPage(QWidget *parent = nullptr);

signals:
    void openSampleRequested();
    void openDialogRequested();
    void openRequested(const QString &path); // a recent project activated
};

} // namespace bulkhead::ui
