#pragma once

#include <nlohmann/json.hpp>

namespace bulkhead {

struct Model;
struct Edge;
struct ObservedFlow;
struct GenerateResult;
struct Intent;

// The pieces of the JSON reports (report.h writes the documents) as JSON values, for the report
// writers and their tests.
nlohmann::json edgeJson(const Model &model, const Edge &edge);
nlohmann::json flowJson(const Model &model, const ObservedFlow &flow);
nlohmann::json captureStatsJson(const Model &model);
// What each Hubble flow file held (lines, events used, counted kinds).
nlohmann::json flowStatsJson(const Model &model);
// External names grouped by name: [{"name": "api.example.com", "addresses": ["203.0.113.50",
// ...]}].
nlohmann::json externalNamesJson(const Model &model);

// The `generate --report` document: inputs, captures, edges with their evidence, attempts,
// unattributed addresses, ICMP, warnings and the policies written.
nlohmann::json generateReportJson(const Model &model, const GenerateResult &generated);

// The design part of a report (docs/semantics.md "Zone rules"): {"flagged": [...], "blocked":
// [...], "denied": [...], "added": [...], "intentEdges": N}; each zone finding is an edge object
// with "rule" and "action".
nlohmann::json intentReportJson(const Model &model, const Intent &intent);

} // namespace bulkhead
