#pragma once

#include "util/error.h"
#include "util/progress.h"

#include <string>
#include <string_view>
#include <vector>

namespace bulkhead::cli {

// Exit codes (docs/semantics.md "Command line").
enum ExitCode { ExitOk = 0, ExitFindings = 1, ExitBadInput = 2 };

// Writes to standard output ("-" or empty) or atomically to a file. Refuses to overwrite one of
// the run's inputs.
Expected<void> writeOutput(const std::string &path, std::string_view content,
                           const std::vector<std::string> &inputs);

// Before any work: refuses outputs that would overwrite one of the run's inputs, and two
// outputs naming one file ("-" and "" are standard output and never clash).
Expected<void> checkOutputPaths(const std::vector<std::string> &outputs,
                                const std::vector<std::string> &inputs);

// A plain text table: a header row and rows, columns padded to their widest cell.
std::string formatTable(const std::vector<std::string> &header,
                        const std::vector<std::vector<std::string>> &rows);

// Progress on standard error, only when it is a terminal: "reading node1.pcapng  45%".
class TerminalProgress : public ProgressSink
{
public:
    TerminalProgress();
    ~TerminalProgress() override;
    void progress(uint64_t done, uint64_t total) override;
    bool isCancelled() const override { return false; }

private:
    bool m_enabled;
    int m_lastPercent = -1;
};

int reportError(const Error &error); // prints "bulkhead-cli: <error>" to stderr, returns 2

} // namespace bulkhead::cli
