#pragma once

#include "model/model.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <vector>

namespace bulkhead {

class ProgressSink;

// The input files of one model: what `bulkhead-cli` takes as options and the GUI as imports.
struct PipelineInputs
{
    std::vector<std::string> inventories;
    std::vector<std::string> captures;
    std::vector<std::string> flows;       // Hubble flow files (file indices after the captures')
    std::optional<std::string> zonesFile; // none: the default zones
};

// Loads inventories and zones, reads every capture, attributes and aggregates. The first bad
// input stops it with an Error naming that file.
Expected<Model> buildModel(const PipelineInputs &inputs, ProgressSink *progress = nullptr);

} // namespace bulkhead
