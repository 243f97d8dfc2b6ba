#pragma once

#include "analysis/analysis.h"
#include "capture/capturereader.h"
#include "hubble/hubblereader.h"
#include "inventory/inventory.h"
#include "util/error.h"
#include "zones/zones.h"

#include <optional>
#include <string>
#include <vector>

namespace bulkhead {

class FlowTable;
class ProgressSink;

struct PipelineInputs
{
    std::vector<std::string> inventories;
    std::vector<std::string> captures;
    std::vector<std::string> flows;       // Hubble flow files (file indices after the captures')
    std::optional<std::string> zonesFile; // none: the default zones
};

// Everything Bulkhead knows after reading its inputs: the merged inventory with zones assigned,
// what each capture held, and the attributed flows and edges.
struct Model
{
    Inventory inventory;
    Zones zones;
    std::vector<CaptureStats> captureStats;
    std::vector<HubbleStats> flowStats; // one per Hubble flow file, in order
    Analysis analysis;
    std::vector<std::string> warnings; // inventory, zones and capture warnings, with their file
};

// Reads capture files into `table`, file i with file index i. Several files are read in
// parallel, one thread per file up to `threads` (0: the core count), each into its own table,
// then merged in file order (FlowTable::merge), so the result does not depend on the threads.
// Progress is the sum over the files, reported from the calling thread, which also polls for
// cancellation. The first failing file in file order is the Error; stats are in file order.
Expected<std::vector<CaptureStats>> readCaptureFiles(const std::vector<std::string> &paths,
                                                     FlowTable &table,
                                                     ProgressSink *progress = nullptr,
                                                     unsigned threads = 0);

// Loads inventories and zones, reads every capture, attributes and aggregates. The first bad
// input stops it with an Error naming that file.
Expected<Model> buildModel(const PipelineInputs &inputs, ProgressSink *progress = nullptr);

} // namespace bulkhead
