#include "model/buildmodel.h"

#include "analysis/httpattribution.h"
#include "capture/flowtable.h"
#include "hubble/hubbletable.h"
#include "inventory/inventoryloader.h"
#include "model/capturefiles.h"
#include "util/progress.h"

namespace bulkhead {
namespace {

// What the HTTP request extraction could not follow (docs/cilium.md, "What is read"): rules.http
// written from these captures refuse those requests, so the user is told.
void addHttpWarnings(const HttpExtractor &http, std::vector<std::string> &warnings)
{
    const auto count = [](uint64_t n, const char *one, const char *many) {
        return std::to_string(n) + ' ' + (n == 1 ? one : many);
    };
    if (const uint64_t n = http.droppedStreams())
        warnings.push_back(
            "HTTP requests: " + count(n, "connection direction was", "connection directions were")
            + " given up (HTTP that could not be read, a request head over "
            + std::to_string(HttpExtractor::kMaxHeaderBytes / 1024) + " KiB, or more than "
            + std::to_string(HttpExtractor::kMaxStreams)
            + " directions open at once); requests sent on them after that point are not in the "
              "layer-7 rules (rules.http) and would be refused");
    if (const uint64_t n = http.requestsNotKept())
        warnings.push_back("HTTP requests: " + count(n, "request was", "requests were")
                           + " read but not kept, their kinds past a bound ("
                           + std::to_string(HttpExtractor::kMaxDistinct) + " kinds in all, "
                           + std::to_string(HttpExtractor::kMaxPathBytes >> 20) + " MiB of paths, "
                           + std::to_string(HttpExtractor::kMaxKindsPerStream)
                           + " new kinds per connection direction); they are not in the layer-7 "
                             "rules (rules.http) "
                             "and would be refused");
}

} // namespace

Expected<Model> buildModel(const PipelineInputs &inputs, ProgressSink *progress)
{
    Model model;
    auto inventory = loadInventories(inputs.inventories, progress);
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
    auto stats = readCaptureFiles(inputs.captures, table, progress);
    if (!stats)
        return std::unexpected(stats.error());
    for (CaptureStats &s : *stats) {
        for (const std::string &w : s.warnings)
            model.warnings.push_back(w);
        model.captureStats.push_back(std::move(s));
    }
    HubbleTable hubble;
    for (size_t i = 0; i < inputs.flows.size(); ++i) {
        auto fs = readHubbleFile(inputs.flows[i], static_cast<uint32_t>(inputs.captures.size() + i),
                                 hubble, progress);
        if (!fs)
            return std::unexpected(fs.error());
        for (const std::string &w : fs->warnings)
            model.warnings.push_back(w);
        model.flowStats.push_back(std::move(*fs));
    }
    std::vector<std::string> evidenceFiles = inputs.captures;
    evidenceFiles.insert(evidenceFiles.end(), inputs.flows.begin(), inputs.flows.end());
    if (evidenceFiles.size() > 64)
        model.warnings.push_back(
            "more than 64 capture and flow files: evidence of files 64 and later is"
            " listed under file 64");
    model.analysis = analyzeFlows(model.inventory, table.flows(), std::move(evidenceFiles),
                                  hubble.connections(), table.names().byAddress());
    model.analysis.resolvedNames = table.names().resolvedNames();
    model.analysis.httpRequests
        = attributeRequests(model.inventory, model.analysis.flows, table.http());
    model.analysis.tlsSeen = attributeTls(model.inventory, model.analysis.flows, table.http());
    addHttpWarnings(table.http(), model.warnings);
    for (const std::string &w : model.analysis.warnings)
        model.warnings.push_back(w);
    return model;
}

} // namespace bulkhead
