#pragma once

// bulkhead-cli as the end-to-end tests run it: the exit code and both outputs, with a time
// limit past which the process is killed (a hang).
#include <QByteArray>
#include <QProcess>
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

} // namespace bulkhead::testing
