#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>

namespace bulkhead {

struct Inventory;
struct CheckResult;
struct BlastRadius;
struct InternetExposure;
struct CiliumCheckResult;
struct TieredCheckResult;
struct PolicySelection;

// The JSON forms of the review results, for `bulkhead-cli ... --format json`. They are JSON values
// rather than text because the commands compose them into their documents (adding "warnings",
// merging a tier's fields); only the CLI and the tests include this header.

// The `check --format json` object: {"breaks": [...], "excess": [...], "summary": {...}}.
nlohmann::json checkResultJson(const Inventory &inventory, const CheckResult &result);

// The JSON object for one workload: {"workload", "zone", "reach", "direct", "reachedBy",
// "highestZone", "paths", "byZone", "baseline"}; names are "ns/name", lists sorted by name;
// highestZone is null when nothing is reached.
nlohmann::json blastRadiusJson(const Inventory &inventory, const BlastRadius &radius);
// The same with at most maxPaths paths (the first targets by name; 0: every one); when some are
// left out, "pathsOmitted" says how many.
nlohmann::json blastRadiusJson(const Inventory &inventory, const BlastRadius &radius,
                               size_t maxPaths);

// {"reach", "direct", "byZone", "highestZone", "paths"}: names "ns/name", lists sorted by name,
// each path starting with "internet"; highestZone null when nothing is reached.
nlohmann::json internetExposureJson(const Inventory &inventory, const InternetExposure &exposure);

// checkResultJson's object plus "l7Breaks" [{from, to, port, method, path, query, target, host,
// requests, side, rules, policies}] (query: the sample, null for the path alone), "undecided"
// [{from, to, protocol, port, flows, reason}] and the summary's l7Breaks, httpRequests, undecided.
nlohmann::json ciliumCheckJson(const Inventory &inventory, const CiliumCheckResult &result);

// The `check --format json` object of checkResultJson, plus "tier", "policy", "rule" on each
// break, "deadAllowances" [{from, to, protocol, port, allowedBy, deniedBy, observed}] and
// summary.adminDenyBreaks / summary.deadAllowances.
nlohmann::json tieredCheckJson(const Inventory &inventory, const TieredCheckResult &result);

// [{"policy": "ns/name", "message": "..."}], in policy order.
nlohmann::json selectionWarningsJson(const PolicySelection &selection);

} // namespace bulkhead
