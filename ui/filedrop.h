#pragma once

#include <QString>
#include <QStringList>

class QMimeData;

namespace bulkhead::ui {

// Files given to the window (dropped, or chosen in Import): what each one is.
enum class FileKind { Inventory, Capture, Flows, Other };

// By suffix, and for JSON-like files by the first line: Hubble flow lines (`hubble observe -o
// json`, flow exports) are flows; another .json is an inventory (`kubectl get -o json`).
FileKind kindOf(const QString &file);

// Files sorted by kind; `others` holds the file names of the rest.
struct FilesByKind
{
    QStringList inventories;
    QStringList captures;
    QStringList flows;
    QStringList others;
};
FilesByKind sortByKind(const QStringList &files);

// What a drag or drop carries: local files, and the addresses of anything else.
struct DroppedFiles
{
    QStringList files;
    QStringList remote;
};
DroppedFiles droppedFiles(const QMimeData &mime);
// Whether a drag is worth taking: it carries URLs, all of local files.
bool offersLocalFilesOnly(const QMimeData &mime);

} // namespace bulkhead::ui
