#include "util/isotime.h"

#include <cstdio>
#include <ctime>
#include <limits>

namespace bulkhead {

std::string isoTime(int64_t us, TimePrecision precision)
{
    if (us == std::numeric_limits<int64_t>::max() || us == std::numeric_limits<int64_t>::min())
        return {};
    const time_t seconds = static_cast<time_t>(us / 1000000);
    const int millis = static_cast<int>((us % 1000000) / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[80]; // room for any int the compiler can imagine in each field
    if (precision == TimePrecision::Seconds)
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    else
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                      tm.tm_sec, millis);
    return buffer;
}

} // namespace bulkhead
