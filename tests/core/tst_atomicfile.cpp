// writeFileAtomically (core/util/atomicfile.h): the mode of what Bulkhead writes under several
// umasks (never group- or world-writable, even under umask 0; a stricter umask is honoured),
// replacing a file keeps its narrower permissions, and a failed write leaves the old file.
#include "project/project.h"
#include "util/atomicfile.h"

#include <QtTest>

#include <sys/stat.h>

using namespace bulkhead;

Q_DECLARE_METATYPE(bulkhead::FileAccess)

namespace {

mode_t modeOf(const QString &file)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(file).constData(), &st) != 0)
        return 07777; // no such file: never an expected mode
    return st.st_mode & 07777;
}

// Sets the umask for the lifetime of the object, then puts the previous one back.
class UmaskGuard
{
public:
    explicit UmaskGuard(mode_t mask)
        : m_previous(::umask(mask))
    {
    }
    ~UmaskGuard() { ::umask(m_previous); }

private:
    mode_t m_previous;
};

} // namespace

class TestAtomicFile : public QObject
{
    Q_OBJECT

private slots:
    void newFileMode_data()
    {
        QTest::addColumn<FileAccess>("access");
        QTest::addColumn<int>("umask");
        QTest::addColumn<int>("expected");
        QTest::newRow("shared, umask 0: clamped to 0644") << FileAccess::Shared << 0 << 0644;
        QTest::newRow("shared, umask 002: still 0644") << FileAccess::Shared << 002 << 0644;
        QTest::newRow("shared, umask 022") << FileAccess::Shared << 022 << 0644;
        QTest::newRow("shared, umask 027") << FileAccess::Shared << 027 << 0640;
        QTest::newRow("shared, umask 077") << FileAccess::Shared << 077 << 0600;
        QTest::newRow("private, umask 0: clamped to 0600") << FileAccess::Private << 0 << 0600;
        QTest::newRow("private, umask 022") << FileAccess::Private << 022 << 0600;
        QTest::newRow("private, umask 077") << FileAccess::Private << 077 << 0600;
    }

    void newFileMode()
    {
        QFETCH(FileAccess, access);
        QFETCH(int, umask);
        QFETCH(int, expected);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("policies.yaml"));
        {
            UmaskGuard guard(static_cast<mode_t>(umask));
            QVERIFY(writeFileAtomically(file.toStdString(), "kind: NetworkPolicy\n", access));
        }
        QCOMPARE(int(modeOf(file)), expected);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{"policies.yaml"}); // no temporary left
    }

    void twoArgumentFormIsShared()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("report.json"));
        UmaskGuard guard(0);
        QVERIFY(writeFileAtomically(file.toStdString(), "{}\n"));
        QCOMPARE(int(modeOf(file)), 0644);
    }

    void projectSaveIsNeverWorldWritable()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("shop.bulkhead"));
        UmaskGuard guard(0);
        Project project;
        project.inventories = {dir.filePath(QStringLiteral("inventory.yaml")).toStdString()};
        QVERIFY(saveProject(project, file.toStdString()));
        QCOMPARE(int(modeOf(file)), 0644);
    }

    void replacingKeepsNarrowerPermissions_data()
    {
        QTest::addColumn<int>("existing");
        QTest::addColumn<int>("expected");
        QTest::newRow("user made it private") << 0600 << 0600;
        QTest::newRow("group-readable only") << 0640 << 0640;
        QTest::newRow("world-writable old file is narrowed") << 0666 << 0644;
        QTest::newRow("read-only for the owner: owner gets read/write back") << 0444 << 0644;
        QTest::newRow("already 0644") << 0644 << 0644;
    }

    void replacingKeepsNarrowerPermissions()
    {
        QFETCH(int, existing);
        QFETCH(int, expected);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("policies.yaml"));
        UmaskGuard guard(0);
        QVERIFY(writeFileAtomically(file.toStdString(), "old\n"));
        QCOMPARE(::chmod(QFile::encodeName(file).constData(), static_cast<mode_t>(existing)), 0);
        QVERIFY(writeFileAtomically(file.toStdString(), "new\n"));
        QCOMPARE(int(modeOf(file)), expected);
        QCOMPARE(readFile(file.toStdString()).value_or(""), std::string("new\n"));
    }

    void failedReplaceLeavesNoTemporary()
    {
        // A folder in the way (with something in it): rename fails even as root; the folder
        // and its content stay, and the temporary file is removed.
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("policies.yaml"));
        QVERIFY(QDir().mkdir(folder));
        QVERIFY(writeFileAtomically(folder.toStdString() + "/inside", "old\n"));
        const auto written = writeFileAtomically(folder.toStdString(), "new\n");
        QVERIFY(!written);
        QCOMPARE(written.error().file, folder.toStdString());
        QVERIFY2(written.error().message.find("cannot replace the file") != std::string::npos,
                 written.error().message.c_str());
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{"policies.yaml"});
        QCOMPARE(readFile(folder.toStdString() + "/inside").value_or(""), std::string("old\n"));
    }

    void aSymlinkedTargetIsReplacedNotFollowed()
    {
        // rename() replaces the link itself: the file it pointed to is not written through.
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("elsewhere.yaml"));
        const QString link = dir.filePath(QStringLiteral("policies.yaml"));
        QVERIFY(writeFileAtomically(target.toStdString(), "untouched\n"));
        QVERIFY(QFile::link(target, link));
        QVERIFY(writeFileAtomically(link.toStdString(), "new\n"));
        QCOMPARE(readFile(target.toStdString()).value_or(""), std::string("untouched\n"));
        QVERIFY(!QFileInfo(link).isSymLink());
        QCOMPARE(readFile(link.toStdString()).value_or(""), std::string("new\n"));
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
