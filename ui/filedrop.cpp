#include "filedrop.h"

#include "hubble/hubblereader.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

namespace bulkhead::ui {

FileKind kindOf(const QString &file)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml"))
        return FileKind::Inventory;
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

FilesByKind sortByKind(const QStringList &files)
{
    FilesByKind sorted;
    for (const QString &file : files) {
        switch (kindOf(file)) {
        case FileKind::Inventory: sorted.inventories << file; break;
        case FileKind::Capture: sorted.captures << file; break;
        case FileKind::Flows: sorted.flows << file; break;
        case FileKind::Other: sorted.others << QFileInfo(file).fileName(); break;
        }
    }
    return sorted;
}

DroppedFiles droppedFiles(const QMimeData &mime)
{
    DroppedFiles dropped;
    for (const QUrl &url : mime.urls()) {
        if (url.isLocalFile())
            dropped.files << url.toLocalFile();
        else
            dropped.remote << url.toDisplayString();
    }
    return dropped;
}

bool offersLocalFilesOnly(const QMimeData &mime)
{
    const QList<QUrl> urls = mime.urls();
    if (urls.isEmpty())
        return false;
    for (const QUrl &url : urls)
        if (!url.isLocalFile())
            return false;
    return true;
}

} // namespace bulkhead::ui
