#pragma once

#include "util/error.h"

#include <string>
#include <string_view>

namespace bulkhead {

// Who may read a file Bulkhead writes. Nothing Bulkhead writes is ever group- or world-writable.
enum class FileAccess {
    Shared,  // 0644 (policies, reports, projects, exports): anyone may read, only the owner writes
    Private, // 0600 (autosave, captured traffic): the owner only
};

// Writes content to path atomically: a temporary file in the same folder, fsync, then rename.
// A failed or interrupted write leaves whatever was at path before untouched. The file gets
// mode 0644 (never world-writable).
Expected<void> writeFileAtomically(const std::string &path, std::string_view content);

// The same with the given access. The mode is the access's (0644 or 0600) narrowed by the
// process umask (umask 077 gives 0600, 027 gives 0640; umask 0 still gives 0644: never wider),
// and, when path already exists, by that file's group and other bits: replacing a file the user
// made private (0600) keeps it private.
Expected<void> writeFileAtomically(const std::string &path, std::string_view content,
                                   FileAccess access);

// Reads a whole file; the error names the file.
Expected<std::string> readFile(const std::string &path);

} // namespace bulkhead
