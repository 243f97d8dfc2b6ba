#include "autosave.h"

#include "document.h"
#include "project/project.h"
#include "util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>
#include <QTimer>

namespace bulkhead::ui {

namespace {
// The first line of an autosave names the document it was made from (percent-encoded); the rest
// is the project, which reads it as a comment.
constexpr char OriginPrefix[] = "# autosave of: ";
} // namespace

Autosave::Autosave(Document *document, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_timer(new QTimer(this))
{
    if (prepareFolder()) {
        m_lock = std::make_unique<QLockFile>(path() + QStringLiteral(".lock"));
        m_lock->setStaleLockTime(0); // stale only when its process is gone, never by age
        m_owns = m_lock->tryLock(0);
    }
    // The autosave follows each design change closely; it goes once nothing is unsaved.
    m_timer->setSingleShot(true);
    m_timer->setInterval(DelayMs);
    connect(m_timer, &QTimer::timeout, this, &Autosave::write);
    connect(m_document, &Document::designChanged, m_timer, qOverload<>(&QTimer::start));
    connect(m_document, &Document::modifiedChanged, this, [this](bool modified) {
        if (modified) {
            m_timer->start();
        } else {
            m_timer->stop();
            discard();
        }
    });
}

Autosave::~Autosave() = default;

QString Autosave::path()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("autosave.bulkhead"));
}

QString Autosave::originOf(const QString &autosave)
{
    QFile file(autosave);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = file.readLine(64 * 1024).trimmed();
    if (!line.startsWith(OriginPrefix))
        return {};
    return QString::fromUtf8(
        QByteArray::fromPercentEncoding(line.mid(int(sizeof(OriginPrefix)) - 1)));
}

bool Autosave::prepareFolder()
{
    // The folder is the user's alone: whoever could write in it could plant a design.
    const QString folder = QFileInfo(path()).absolutePath();
    if (!QDir().mkpath(folder)
        || !QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                              | QFile::ReadUser | QFile::WriteUser
                                              | QFile::ExeUser)) {
        qWarning("cannot prepare the autosave folder %s", qPrintable(folder));
        return false;
    }
    return true;
}

void Autosave::discard()
{
    if (m_owns)
        QFile::remove(path());
}

bool Autosave::write()
{
    if (!m_owns || !m_document->hasModel() || !m_document->isModified())
        return false;
    if (!prepareFolder())
        return false;
    const QString folder = QFileInfo(path()).absolutePath();
    const Project &project = m_document->project();
    const QString origin
        = project.path.empty() ? m_document->path() : QString::fromStdString(project.path);
    const std::string content = OriginPrefix + origin.toUtf8().toPercentEncoding().toStdString()
                                + '\n'
                                + projectToYaml(project, QFile::encodeName(folder).toStdString());
    const auto written = writeFileAtomically(QFile::encodeName(path()).toStdString(), content,
                                             FileAccess::Private);
    if (!written)
        qWarning("%s", written.error().toString().c_str());
    return written.has_value();
}

} // namespace bulkhead::ui
