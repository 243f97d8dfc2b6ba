#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QLockFile;
class QTimer;

namespace bulkhead::ui {

class Document;

// The autosave of a design with unsaved changes, for a crash: the file, its lock and its format.
//
// The file (path()) lives in QStandardPaths::AppDataLocation, a folder only the user may enter,
// with mode 0600. Its first line names the document it was made from (originOf()); the rest is
// the project as a `.bulkhead` file writes it, which reads that line as a comment. It is written
// shortly after every design change (DelayMs) and exists only while the document has unsaved
// changes: it goes when the document becomes clean, and on discard() (Save, or Discard at close),
// so one found at start was left by a crash.
//
// One Bulkhead at a time owns it (a lock file beside it, released on exit and found stale after
// a crash): a second one started while the first runs neither writes, offers nor deletes it.
class Autosave : public QObject
{
    Q_OBJECT

public:
    static constexpr int DelayMs = 2000;

    explicit Autosave(Document *document, QObject *parent = nullptr);
    ~Autosave() override;

    static QString path();
    // The document an autosave file was made from; empty when the file does not say.
    static QString originOf(const QString &file);

    bool ownsFile() const { return m_owns; }
    // Writes the autosave now when the document has unsaved changes; returns whether it wrote.
    bool write();
    // Removes the autosave, when this one owns it.
    void discard();

private:
    bool prepareFolder();

    Document *m_document;
    QTimer *m_timer;
    std::unique_ptr<QLockFile> m_lock;
    bool m_owns = false;
};

} // namespace bulkhead::ui
