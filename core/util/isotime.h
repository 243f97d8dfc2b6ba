#pragma once

#include <cstdint>
#include <string>

namespace bulkhead {

enum class TimePrecision : uint8_t { Seconds, Milliseconds };

// ISO-8601 UTC as Bulkhead writes times: "2026-11-02T10:00:00.125Z" (milliseconds: reports,
// tables) or "2026-11-02T10:00:00Z" (seconds: the comments of generated policies). An unset time
// (either bound of int64_t, as an empty Evidence holds) is the empty string.
std::string isoTime(int64_t microseconds, TimePrecision precision = TimePrecision::Milliseconds);

} // namespace bulkhead
