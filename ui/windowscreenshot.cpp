#include "windowscreenshot.h"

#include "document.h"
#include "util/atomicfile.h"

#include <QApplication>
#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <QWidget>

namespace bulkhead::ui {

WindowScreenshot::WindowScreenshot(QWidget *window, Document *document, const QString &file)
    : QObject(window)
    , m_window(window)
    , m_document(document)
    , m_file(file)
    , m_timer(new QTimer(this))
{
    m_timer->setObjectName(QStringLiteral("screenshotTimer"));
    m_timer->setSingleShot(true);
    m_timer->setInterval(600);
    connect(m_timer, &QTimer::timeout, this, &WindowScreenshot::save);
    connect(m_document, &Document::layoutChanged, m_timer, qOverload<>(&QTimer::start));
    connect(m_document, &Document::layoutFailed, this, [] { QApplication::exit(1); });
}

void WindowScreenshot::save()
{
    if (!m_document->hasLayout())
        return;
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    const QByteArray format = QFileInfo(m_file).suffix().toUpper().toLatin1();
    const bool saved = m_window->grab().save(&buffer, format.isEmpty() ? "PNG" : format.constData())
                       && writeFileAtomically(QFile::encodeName(m_file).toStdString(),
                                              std::string_view(bytes.constData(), bytes.size()));
    if (!saved)
        qWarning("could not write %s", qPrintable(m_file));
    QApplication::exit(saved ? 0 : 1);
}

} // namespace bulkhead::ui
