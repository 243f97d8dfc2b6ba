#include "util/inputfile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace bulkhead {

Expected<std::string> readInputFile(const std::string &path, std::string_view what,
                                    uint64_t maxBytes, std::string_view tooLargeAdvice)
{
    const std::string cannot = "cannot read the " + std::string(what) + ": ";
    const auto tooLarge = [&](const std::string &size) {
        return makeError(path, 0,
                         "the " + std::string(what) + " is " + size + "larger than the "
                             + std::to_string(maxBytes >> 20) + " MiB Bulkhead reads in one file"
                             + std::string(tooLargeAdvice));
    };
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return makeError(path, 0, cannot + "it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(path, 0, cannot + std::strerror(errno));
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > maxBytes)
        return tooLarge(std::to_string(size >> 20) + " MiB, ");
    std::string text;
    if (!ec)
        text.reserve(size);
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<size_t>(in.gcount()));
        if (text.size() > maxBytes)
            return tooLarge(std::string());
    }
    if (in.bad())
        return makeError(path, 0, cannot + "read error");
    return text;
}

} // namespace bulkhead
