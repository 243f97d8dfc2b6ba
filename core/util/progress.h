#pragma once

#include <cstdint>

namespace bulkhead {

// What long core calls report to and ask of their caller (the CLI's terminal progress line, the
// GUI's progress dialog). Called from the worker thread; implementations must be thread-safe.
class ProgressSink
{
public:
    virtual ~ProgressSink() = default;
    // done and total in the unit of the work (bytes of a capture file, say); total 0 = unknown.
    virtual void progress(uint64_t done, uint64_t total) = 0;
    virtual bool isCancelled() const = 0;
};

} // namespace bulkhead
