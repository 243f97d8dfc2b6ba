#pragma once

#include "inventory/inventory.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// A sensitivity level; levels are ordered, lowest sensitivity first.
struct ZoneLevel
{
    std::string name;
    std::string color; // "#rrggbb"
    friend bool operator==(const ZoneLevel &, const ZoneLevel &) = default;
};

// A rule on edges between zones (docs/semantics.md "Zones file", "Zone rules"). Unset from/to match
// any zone; with maxLevelsUp, the rule matches only edges climbing more than that many levels.
struct ZoneRule
{
    enum class Action { Block, Flag };

    std::string name;
    std::optional<std::string> from;
    std::optional<std::string> to;
    std::optional<int> maxLevelsUp;
    Action action = Action::Flag;
    int sourceLine = 0;
};

struct Zones
{
    std::string labelKey = "bulkhead.io/sensitivity";
    std::string defaultLevel = "internal";
    std::vector<ZoneLevel> levels;
    std::vector<ZoneRule> rules;
    std::string sourceFile; // empty for the built-in defaults

    // Position of the level (0 = lowest), or -1 when there is no such level.
    int levelIndex(std::string_view name) const;
    const ZoneLevel *level(std::string_view name) const;
};

// The four levels public < internal < confidential < restricted, default internal, no rules.
Zones defaultZones();

// A Zones document (apiVersion: bulkhead.io/v1alpha1, kind: Zones), validated; every error
// carries the file and the line of the offending node.
Expected<Zones> loadZonesText(std::string_view yamlText, const std::string &fileName);
Expected<Zones> loadZonesFile(const std::string &path);

// Sets every workload's zone from its label labelKey, else the default level. A label naming an
// unknown level gives a warning and the default level.
std::vector<InventoryWarning> assignZones(Inventory &inventory, const Zones &zones);

// The first rule matching an edge from a workload in fromZone to one in toZone, or nullptr when
// none does (the edge is allowed).
const ZoneRule *matchZoneRule(const Zones &zones, std::string_view fromZone,
                              std::string_view toZone);

std::string_view zoneActionName(ZoneRule::Action action); // "block" | "flag"

} // namespace bulkhead
