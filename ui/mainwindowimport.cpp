// MainWindow's ways in for more input: File > Import, drag and drop (filedrop.h says what each
// file is) and live capture, with the progress of the read. The rest of MainWindow is in
// mainwindow.cpp.
#include "mainwindow.h"

#include "dialogs/livecapturedialog.h"
#include "document.h"
#include "filedrop.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>

namespace bulkhead::ui {

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
    const auto [inventories, captures, flows, others] = sortByKind(files);
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
    if (offersLocalFilesOnly(*event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const auto [files, remote] = droppedFiles(*event->mimeData());
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

} // namespace bulkhead::ui
