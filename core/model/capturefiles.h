#pragma once

#include "capture/capturereader.h"
#include "util/error.h"

#include <string>
#include <vector>

namespace bulkhead {

class FlowTable;
class ProgressSink;

// Reads capture files into `table`, file i with file index i. Several files are read in
// parallel, one thread per file up to `threads` (0: the core count), each into its own table,
// then merged in file order (FlowTable::merge), so the result does not depend on the threads.
// Progress is the sum over the files, reported from the calling thread, which also polls for
// cancellation. The first failing file in file order is the Error; stats are in file order.
Expected<std::vector<CaptureStats>> readCaptureFiles(const std::vector<std::string> &paths,
                                                     FlowTable &table,
                                                     ProgressSink *progress = nullptr,
                                                     unsigned threads = 0);

} // namespace bulkhead
