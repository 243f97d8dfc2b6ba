#include "output.h"

#include "util/atomicfile.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace bulkhead::cli {

Expected<void> writeOutput(const std::string &path, std::string_view content,
                           const std::vector<std::string> &inputs)
{
    if (path.empty() || path == "-") {
        std::cout << content;
        std::cout.flush();
        if (!std::cout)
            return makeError("<stdout>", 0, "cannot write to standard output");
        return {};
    }
    std::error_code ec;
    for (const std::string &input : inputs) {
        if (std::filesystem::exists(path, ec) && std::filesystem::equivalent(path, input, ec))
            return makeError(path, 0, "is also an input of this run; refusing to overwrite it");
    }
    return writeFileAtomically(path, content);
}

Expected<void> checkOutputPaths(const std::vector<std::string> &outputs,
                                const std::vector<std::string> &inputs)
{
    std::error_code ec;
    for (size_t i = 0; i < outputs.size(); ++i) {
        const std::string &path = outputs[i];
        if (path.empty() || path == "-")
            continue;
        for (const std::string &input : inputs) {
            if (std::filesystem::exists(path, ec) && std::filesystem::equivalent(path, input, ec))
                return makeError(path, 0, "is also an input of this run; refusing to overwrite it");
        }
        for (size_t j = 0; j < i; ++j) {
            if (outputs[j].empty() || outputs[j] == "-")
                continue;
            if (std::filesystem::weakly_canonical(path, ec)
                == std::filesystem::weakly_canonical(outputs[j], ec))
                return makeError(
                    path, 0, "is named for two outputs of this run (e.g. --output and --report)");
        }
    }
    return {};
}

std::string formatTable(const std::vector<std::string> &header,
                        const std::vector<std::vector<std::string>> &rows)
{
    std::vector<size_t> width(header.size());
    for (size_t c = 0; c < header.size(); ++c)
        width[c] = header[c].size();
    for (const auto &row : rows) {
        for (size_t c = 0; c < row.size() && c < width.size(); ++c)
            width[c] = std::max(width[c], row[c].size());
    }
    std::string out;
    auto line = [&](const std::vector<std::string> &cells) {
        std::string text;
        for (size_t c = 0; c < cells.size(); ++c) {
            text += cells[c];
            if (c + 1 < cells.size())
                text += std::string(width[c] - cells[c].size() + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out += text + '\n';
    };
    line(header);
    for (const auto &row : rows)
        line(row);
    return out;
}

TerminalProgress::TerminalProgress()
    : m_enabled(isatty(STDERR_FILENO) == 1)
{
}

TerminalProgress::~TerminalProgress()
{
    if (m_enabled && m_lastPercent >= 0)
        std::fputs("\r              \r", stderr);
}

void TerminalProgress::progress(uint64_t done, uint64_t total)
{
    if (!m_enabled || total == 0)
        return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == m_lastPercent)
        return;
    m_lastPercent = percent;
    std::fprintf(stderr, "\rreading %3d%%", percent);
    std::fflush(stderr);
}

int reportError(const Error &error)
{
    std::cerr << "bulkhead-cli: " << error.toString() << '\n';
    return ExitBadInput;
}

} // namespace bulkhead::cli
