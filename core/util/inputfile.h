#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace bulkhead {

// Reads a whole input file of at most maxBytes (checked before reading where the size is known,
// and while reading for pipes and files that grow). Every error names the file and says what it
// was meant to be: "cannot read the zones file: No such file or directory", "the inventory is
// 190 MiB, larger than the 64 MiB Bulkhead reads in one file" + tooLargeAdvice.
Expected<std::string> readInputFile(const std::string &path, std::string_view what,
                                    uint64_t maxBytes, std::string_view tooLargeAdvice = {});

} // namespace bulkhead
