#pragma once

// What many tests share: QVERIFY_OK for an errors-are-values result (the failure message is the
// error a user would read), literal addresses, and input files written by the test.
#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include "util/ipaddress.h"

#include <string>

// Passes when `result` (a std::expected, or anything that converts to bool and has error() with
// toString()) holds a value; otherwise fails the test with the error's text.
#define QVERIFY_OK(result)                                                                         \
    do {                                                                                           \
        const auto &bulkheadVerifyOk_ = (result);                                                  \
        if (!bulkheadVerifyOk_) {                                                                  \
            const std::string bulkheadVerifyMessage_                                               \
                = #result " failed: " + bulkheadVerifyOk_.error().toString();                      \
            QTest::qFail(bulkheadVerifyMessage_.c_str(), __FILE__, __LINE__);                      \
            return;                                                                                \
        }                                                                                          \
    } while (false)

namespace bulkhead::testing {

// An address or CIDR written in a test; a typo in the literal stops the test run at once.
inline IpAddress ip(const char *text)
{
    const auto address = IpAddress::parse(text);
    if (!address)
        qFatal("test literal is not an IP address: %s", text);
    return *address;
}

inline Cidr cidr(const char *text)
{
    const auto block = Cidr::parse(text);
    if (!block)
        qFatal("test literal is not a CIDR: %s", text);
    return *block;
}

// Writes `text` to `path` (replacing it); a file the test cannot write stops the run.
inline QString writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text);
    return path;
}

// Writes `text` to `name` in `dir` and returns the file's path.
inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    return writeText(dir.filePath(name), text);
}

} // namespace bulkhead::testing
