#pragma once

#include <expected>
#include <string>

namespace bulkhead {

// An error a user can act on: the file it concerns, the line where known (1-based, 0 = unknown)
// and one sentence. Every loader turns library exceptions (yaml-cpp, libpcap) into one of these.
struct Error
{
    std::string file;
    int line = 0;
    std::string message;

    // "inventory.yaml:14: Service "cart" has no spec.ports", or "file: message" without a line.
    std::string toString() const;
};

template <typename T>
using Expected = std::expected<T, Error>;

inline std::unexpected<Error> makeError(std::string file, int line, std::string message)
{
    return std::unexpected<Error>(Error{std::move(file), line, std::move(message)});
}

} // namespace bulkhead
