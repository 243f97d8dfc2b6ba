#pragma once

// bulkhead-cli as the end-to-end tests run it: the exit code and both outputs, with a time
// limit past which the process is killed (a hang); the Online Boutique sample's inputs.
#include <QByteArray>
#include <QJsonArray>
#include <QJsonValue>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace bulkhead::testing {

struct CliRun
{
    bool finished = false; // within the time limit
    bool crashed = false;  // ended by a signal
    int exitCode = -1;     // -1 unless it exited normally within the limit
    QByteArray out;
    QByteArray err;
};

inline CliRun runCli(const QStringList &arguments, int timeoutMs = 120000)
{
    QProcess process;
    process.start(QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead-cli"), arguments);
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.finished = true;
    run.crashed = process.exitStatus() != QProcess::NormalExit;
    if (!run.crashed)
        run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// samples/online-boutique in the source tree.
inline QString sampleDirectory()
{
    return QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");
}

// --inventory, both captures and (unless `zones` is false) --zones of the sample.
inline QStringList sampleInputs(bool zones = true)
{
    const QString dir = sampleDirectory();
    QStringList args{"--inventory", dir + "/inventory.yaml", "--capture", dir + "/node1.pcapng",
                     "--capture",   dir + "/node2.pcap"};
    if (zones)
        args << "--zones" << dir + "/zones.yaml";
    return args;
}

// The strings of a JSON array, in order.
inline QStringList jsonStrings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

} // namespace bulkhead::testing
