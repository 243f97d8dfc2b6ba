#include "zones/zones.h"

#include "util/inputfile.h"
#include "util/yamlreader.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>

namespace bulkhead {

namespace {

constexpr const char *ZonesApiVersion = "bulkhead.io/v1alpha1";
constexpr size_t MaxZonesFileBytes = size_t(16) << 20; // far more than any zones file needs

bool isColor(std::string_view text)
{
    if ((text.size() != 7 && text.size() != 4) || text[0] != '#')
        return false;
    return std::all_of(text.begin() + 1, text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

Expected<ZoneLevel> readLevel(YamlReader &reader, const YAML::Node &node, const std::string &path)
{
    BULKHEAD_CHECK(reader.requireMap(node, path));
    ZoneLevel level;
    const YAML::Node name = reader.child(node, "name");
    if (!name.IsDefined())
        return reader.error(node, path, "the level has no name");
    BULKHEAD_TRY(nameText, reader.string(name, YamlReader::join(path, "name")));
    if (nameText.empty())
        return reader.error(name, YamlReader::join(path, "name"), "the level name is empty");
    level.name = std::move(nameText);
    const YAML::Node color = reader.child(node, "color");
    level.color = "#808080";
    if (color.IsDefined()) {
        BULKHEAD_TRY(colorText, reader.string(color, YamlReader::join(path, "color")));
        if (!isColor(colorText))
            return reader.error(color, YamlReader::join(path, "color"),
                                "\"" + colorText + "\" is not a colour (#rrggbb)");
        level.color = std::move(colorText);
    }
    return level;
}

Expected<ZoneRule> readRule(YamlReader &reader, const YAML::Node &node, const std::string &path,
                            const Zones &zones)
{
    BULKHEAD_CHECK(reader.requireMap(node, path));
    ZoneRule rule;
    rule.sourceLine = YamlReader::line(node);
    const YAML::Node name = reader.child(node, "name");
    if (!name.IsDefined())
        return reader.error(node, path, "the rule has no name");
    BULKHEAD_TRY(nameText, reader.string(name, YamlReader::join(path, "name")));
    if (nameText.empty())
        return reader.error(name, YamlReader::join(path, "name"), "the rule name is empty");
    rule.name = std::move(nameText);

    for (const char *end : {"from", "to"}) {
        const YAML::Node value = reader.child(node, end);
        if (!value.IsDefined())
            continue;
        const std::string valuePath = YamlReader::join(path, end);
        BULKHEAD_TRY(level, reader.string(value, valuePath));
        if (zones.levelIndex(level) < 0)
            return reader.error(value, valuePath,
                                "rule \"" + rule.name + "\" names an unknown level \"" + level
                                    + "\"");
        (std::string_view(end) == "from" ? rule.from : rule.to) = std::move(level);
    }

    if (const YAML::Node up = reader.child(node, "maxLevelsUp"); up.IsDefined()) {
        const std::string upPath = YamlReader::join(path, "maxLevelsUp");
        BULKHEAD_TRY(value, reader.integer(up, upPath));
        if (value < 0 || value > 1000)
            return reader.error(up, upPath, "maxLevelsUp must be a number of levels, 0 or more");
        rule.maxLevelsUp = static_cast<int>(value);
    }

    const YAML::Node action = reader.child(node, "action");
    if (!action.IsDefined())
        return reader.error(node, path, "rule \"" + rule.name + "\" has no action (block or flag)");
    const std::string actionPath = YamlReader::join(path, "action");
    BULKHEAD_TRY(actionText, reader.string(action, actionPath));
    if (actionText == "block")
        rule.action = ZoneRule::Action::Block;
    else if (actionText == "flag")
        rule.action = ZoneRule::Action::Flag;
    else
        return reader.error(action, actionPath,
                            "\"" + actionText + "\" is not an action (block or flag)");
    return rule;
}

Expected<Zones> parseZones(std::string_view text, const std::string &fileName)
{
    if (text.find('\0') != std::string_view::npos)
        return makeError(fileName, 0, "not a zones file: the file holds binary data");
    BULKHEAD_TRY(document, parseSingleYamlDocument(text, fileName, "zones file"));
    if (!document.IsDefined() || !document.IsMap())
        return makeError(
            fileName, YamlReader::line(document),
            "not a zones file (expected apiVersion: bulkhead.io/v1alpha1, kind: Zones)");

    YamlReader reader(fileName);
    BULKHEAD_TRY(apiVersion, reader.string(document, "apiVersion", "", ""));
    BULKHEAD_TRY(kind, reader.string(document, "kind", "", ""));
    if (kind != "Zones")
        return reader.error(document, "",
                            kind.empty()
                                ? std::string("not a zones file: it has no kind (expected "
                                              "kind: Zones)")
                                : "not a zones file: kind is \"" + kind + "\", expected Zones");
    if (apiVersion != ZonesApiVersion)
        return reader.error(
            reader.has(document, "apiVersion") ? reader.child(document, "apiVersion") : document,
            "apiVersion",
            "unsupported apiVersion \"" + apiVersion + "\" (expected " + ZonesApiVersion + ")");

    Zones zones = defaultZones();
    zones.sourceFile = fileName;
    BULKHEAD_TRY(labelKey, reader.string(document, "labelKey", "", zones.labelKey));
    if (labelKey.empty())
        return reader.error(reader.child(document, "labelKey"), "labelKey",
                            "the label key is empty");
    zones.labelKey = std::move(labelKey);

    if (const YAML::Node levels = reader.child(document, "levels"); levels.IsDefined()) {
        BULKHEAD_TRY(count, reader.sequence(levels, "levels"));
        if (count == 0)
            return reader.error(levels, "levels", "the list of levels is empty");
        zones.levels.clear();
        for (size_t i = 0; i < count; ++i) {
            const std::string path = YamlReader::index("levels", i);
            BULKHEAD_TRY(level, readLevel(reader, levels[i], path));
            if (zones.levelIndex(level.name) >= 0)
                return reader.error(levels[i], path,
                                    "the level \"" + level.name + "\" is listed twice");
            zones.levels.push_back(std::move(level));
        }
    }

    const YAML::Node defaultNode = reader.child(document, "default");
    BULKHEAD_TRY(defaultLevel, reader.string(document, "default", "", zones.defaultLevel));
    if (zones.levelIndex(defaultLevel) < 0)
        return reader.error(defaultNode.IsDefined() ? defaultNode : document, "default",
                            "the default level \"" + defaultLevel + "\" is not one of the levels");
    zones.defaultLevel = std::move(defaultLevel);

    const YAML::Node rules = reader.child(document, "rules");
    BULKHEAD_TRY(ruleCount, reader.sequence(rules, "rules"));
    for (size_t i = 0; i < ruleCount; ++i) {
        const std::string path = YamlReader::index("rules", i);
        BULKHEAD_TRY(rule, readRule(reader, rules[i], path, zones));
        const bool duplicate = std::any_of(zones.rules.begin(), zones.rules.end(),
                                           [&](const ZoneRule &r) { return r.name == rule.name; });
        if (duplicate)
            return reader.error(rules[i], path,
                                "the rule name \"" + rule.name + "\" is used twice");
        zones.rules.push_back(std::move(rule));
    }
    if (reader.exhausted())
        return reader.exhaustedError(document);
    return zones;
}

} // namespace

int Zones::levelIndex(std::string_view name) const
{
    for (size_t i = 0; i < levels.size(); ++i) {
        if (levels[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

const ZoneLevel *Zones::level(std::string_view name) const
{
    const int i = levelIndex(name);
    return i < 0 ? nullptr : &levels[static_cast<size_t>(i)];
}

Zones defaultZones()
{
    Zones zones;
    zones.levels = {{"public", "#3fa34d"},
                    {"internal", "#2f6fde"},
                    {"confidential", "#e08a00"},
                    {"restricted", "#d63a3a"}};
    zones.defaultLevel = "internal";
    return zones;
}

Expected<Zones> loadZonesText(std::string_view yamlText, const std::string &fileName)
{
    try {
        return parseZones(yamlText, fileName);
    } catch (const YAML::Exception &e) {
        return makeError(fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                         "cannot read the zones file: " + e.msg);
    } catch (const std::exception &e) {
        return makeError(fileName, 0, std::string("cannot read the zones file: ") + e.what());
    }
}

Expected<Zones> loadZonesFile(const std::string &path)
{
    BULKHEAD_TRY(text, readInputFile(path, "zones file", MaxZonesFileBytes));
    return loadZonesText(text, path);
}

std::vector<InventoryWarning> assignZones(Inventory &inventory, const Zones &zones)
{
    std::vector<InventoryWarning> warnings;
    for (Workload &w : inventory.workloads) {
        w.zone = zones.defaultLevel;
        const auto label = w.labels.find(zones.labelKey);
        if (label == w.labels.end())
            continue;
        if (zones.levelIndex(label->second) >= 0) {
            w.zone = label->second;
            continue;
        }
        warnings.push_back({w.sourceFile, w.sourceLine,
                            "workload " + w.id() + ": label " + zones.labelKey + "=" + label->second
                                + " names no zone level; it is placed in the default level "
                                + zones.defaultLevel});
    }
    return warnings;
}

const ZoneRule *matchZoneRule(const Zones &zones, std::string_view fromZone,
                              std::string_view toZone)
{
    for (const ZoneRule &rule : zones.rules) {
        if (rule.from && *rule.from != fromZone)
            continue;
        if (rule.to && *rule.to != toZone)
            continue;
        if (rule.maxLevelsUp) {
            const int from = zones.levelIndex(fromZone);
            const int to = zones.levelIndex(toZone);
            if (from < 0 || to < 0 || to - from <= *rule.maxLevelsUp)
                continue;
        }
        return &rule;
    }
    return nullptr;
}

std::string_view zoneActionName(ZoneRule::Action action)
{
    return action == ZoneRule::Action::Block ? "block" : "flag";
}

} // namespace bulkhead
