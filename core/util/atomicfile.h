#pragma once

#include "util/error.h"

#include <string>
#include <string_view>

namespace bulkhead {

// Writes content to path atomically: a temporary file in the same folder, fsync, then rename.
// A failed or interrupted write leaves whatever was at path before untouched. The file gets
// mode 0644 (never world-writable).
Expected<void> writeFileAtomically(const std::string &path, std::string_view content);

// Reads a whole file; the error names the file.
Expected<std::string> readFile(const std::string &path);

} // namespace bulkhead
