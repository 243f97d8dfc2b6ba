#include "analysis/pipeline.h"

#include "capture/flowtable.h"
#include "inventory/inventoryloader.h"
#include "util/progress.h"

namespace bulkhead {

Expected<Model> buildModel(const PipelineInputs &inputs, ProgressSink *progress)
{
    Model model;
    auto inventory = loadInventories(inputs.inventories);
    if (!inventory)
        return std::unexpected(inventory.error());
    model.inventory = std::move(*inventory);
    for (const InventoryWarning &w : model.inventory.warnings)
        model.warnings.push_back(Error{w.file, w.line, w.message}.toString());

    if (inputs.zonesFile) {
        auto zones = loadZonesFile(*inputs.zonesFile);
        if (!zones)
            return std::unexpected(zones.error());
        model.zones = std::move(*zones);
    } else {
        model.zones = defaultZones();
    }
    for (const InventoryWarning &w : assignZones(model.inventory, model.zones))
        model.warnings.push_back(Error{w.file, w.line, w.message}.toString());

    FlowTable table;
    for (size_t i = 0; i < inputs.captures.size(); ++i) {
        auto stats = readCaptureFile(inputs.captures[i], static_cast<uint32_t>(i), table, progress);
        if (!stats)
            return std::unexpected(stats.error());
        for (const std::string &w : stats->warnings)
            model.warnings.push_back(w);
        model.captureStats.push_back(std::move(*stats));
    }
    model.analysis = analyzeFlows(model.inventory, table.flows(), inputs.captures);
    for (const std::string &w : model.analysis.warnings)
        model.warnings.push_back(w);
    return model;
}

} // namespace bulkhead
