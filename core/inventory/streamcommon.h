#pragma once

// What the JSON and the YAML inventory streams share; internal to core/inventory.

#include "util/progress.h"

#include <cstddef>

namespace bulkhead::inventorystream {

constexpr size_t kProgressEvery = size_t(8) << 20; // report every 8 MiB read
constexpr size_t kMaxValueBytes = size_t(1) << 20; // one string value: 1 MiB at most

struct Progress
{
    ProgressSink *sink;
    size_t total;
    size_t next = kProgressEvery;
    // False when the user cancelled.
    bool report(size_t done)
    {
        if (!sink || done < next)
            return true;
        next = done + kProgressEvery;
        if (sink->isCancelled())
            return false;
        sink->progress(done, total);
        return true;
    }
    void finish()
    {
        if (sink)
            sink->progress(total, total);
    }
};

inline bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline const char *skipSpace(const char *p, const char *end)
{
    while (p < end && isJsonSpace(*p))
        ++p;
    return p;
}

} // namespace bulkhead::inventorystream
