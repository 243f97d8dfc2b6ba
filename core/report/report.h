#pragma once

#include "util/isotime.h" // isoTime, for the callers that format times beside reports

#include <string>
#include <vector>

namespace bulkhead {

struct Model;
struct GenerateResult;
struct Intent;
struct Peer;

// A peer as users read it with its learnt names: "203.0.113.50 (api.example.com)" for an external
// address that DNS answers or TLS server names named; otherwise peerName().
std::string peerLabel(const Model &model, const Peer &peer);

// The `generate --report` document (generateReportJson, then intentReportJson's keys; see
// report/reportjson.h) with `warnings` and then the intent's added to its "warnings", as JSON
// text indented by two with a final newline: what the CLI writes and the GUI exports.
std::string designReportJson(const Model &model, const GenerateResult &generated,
                             const Intent &intent, const std::vector<std::string> &warnings = {});

// `flows --format json`'s document: {"flows", "edges", "attempts", "captures", "flowFiles",
// "externalNames", "warnings"}, as JSON text indented by two with a final newline.
std::string flowsReportJson(const Model &model);

} // namespace bulkhead
