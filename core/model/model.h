#pragma once

#include "analysis/analysis.h"
#include "capture/capturereader.h"
#include "hubble/hubblereader.h"
#include "inventory/inventory.h"
#include "zones/zones.h"

#include <string>
#include <vector>

namespace bulkhead {

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

} // namespace bulkhead
