#pragma once

#include <QObject>
#include <QString>

class QTimer;
class QWidget;

namespace bulkhead::ui {

class Document;

// `bulkhead --screenshot FILE`: once a layout is shown and the window has painted at its final
// size, saves a picture of the window to `file` (atomically; the format from its suffix, PNG by
// default) and quits the application with status 0, or 1 when the layout or the saving fails. A
// view opened meanwhile (a --focus, a find) lays out again and restarts the wait.
class WindowScreenshot : public QObject
{
    Q_OBJECT

public:
    WindowScreenshot(QWidget *window, Document *document, const QString &file);
    QString file() const { return m_file; }

private:
    void save();

    QWidget *m_window;
    Document *m_document;
    QString m_file;
    QTimer *m_timer;
};

} // namespace bulkhead::ui
