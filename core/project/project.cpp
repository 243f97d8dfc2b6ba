#include "project/project.h"

#include "util/atomicfile.h"
#include "util/inputfile.h"
#include "util/yamlreader.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <filesystem>

namespace bulkhead {

namespace {

namespace fs = std::filesystem;

constexpr size_t MaxProjectFileBytes = size_t(64) << 20;

fs::path normalAbsolute(const fs::path &p)
{
    fs::path a = fs::absolute(p).lexically_normal();
    if (!a.has_filename() && a.has_relative_path())
        a = a.parent_path(); // "/work/dir/" -> "/work/dir"
    return a;
}

// A path written in the project file, made usable: absolute paths stay, relative ones are joined
// to the project's folder.
std::string resolvePath(const std::string &projectDir, const std::string &written)
{
    const fs::path p(written);
    if (p.is_absolute() || projectDir.empty())
        return p.lexically_normal().generic_string();
    return (fs::path(projectDir) / p).lexically_normal().generic_string();
}

// A usable path written relative to the project's folder (absolute when there is no relative way).
std::string relativePath(const std::string &projectDir, const std::string &usable)
{
    const fs::path target = normalAbsolute(usable);
    const fs::path base = normalAbsolute(projectDir.empty() ? fs::path(".") : fs::path(projectDir));
    const fs::path relative = target.lexically_relative(base);
    if (relative.empty())
        return target.generic_string();
    return relative.generic_string();
}

std::string projectDirOf(const std::string &path)
{
    return fs::path(path).parent_path().generic_string();
}

Expected<std::vector<std::string>> readPaths(YamlReader &reader, const YAML::Node &document,
                                             const char *key, const std::string &projectDir)
{
    std::vector<std::string> out;
    const YAML::Node list = reader.child(document, key);
    BULKHEAD_TRY(count, reader.sequence(list, key));
    for (size_t i = 0; i < count; ++i) {
        const std::string path = YamlReader::index(key, i);
        BULKHEAD_TRY(text, reader.string(list[i], path));
        if (text.empty())
            return reader.error(list[i], path, "the path is empty");
        out.push_back(resolvePath(projectDir, text));
    }
    return out;
}

Expected<EdgeRef> readEdgeRef(YamlReader &reader, const YAML::Node &node, const std::string &path)
{
    BULKHEAD_CHECK(reader.requireMap(node, path));
    EdgeRef ref;
    for (const char *end : {"from", "to"}) {
        const YAML::Node value = reader.child(node, end);
        if (!value.IsDefined())
            return reader.error(node, path, std::string("the edge has no \"") + end + "\"");
        BULKHEAD_TRY(text, reader.string(value, YamlReader::join(path, end)));
        if (text.empty())
            return reader.error(value, YamlReader::join(path, end), "the name is empty");
        (std::string_view(end) == "from" ? ref.from : ref.to) = std::move(text);
    }
    const YAML::Node protocol = reader.child(node, "protocol");
    if (protocol.IsDefined()) {
        BULKHEAD_TRY(value, reader.protocol(protocol, YamlReader::join(path, "protocol")));
        ref.protocol = value;
    }
    const YAML::Node port = reader.child(node, "port");
    if (!port.IsDefined())
        return reader.error(node, path, "the edge has no \"port\"");
    BULKHEAD_TRY(portValue, reader.port(port, YamlReader::join(path, "port")));
    ref.port = portValue;
    return ref;
}

Expected<std::vector<EdgeRef>> readEdgeRefs(YamlReader &reader, const YAML::Node &decisions,
                                            const char *key)
{
    std::vector<EdgeRef> out;
    const std::string listPath = YamlReader::join("decisions", key);
    const YAML::Node list = reader.child(decisions, key);
    BULKHEAD_TRY(count, reader.sequence(list, listPath));
    for (size_t i = 0; i < count; ++i) {
        BULKHEAD_TRY(ref, readEdgeRef(reader, list[i], YamlReader::index(listPath, i)));
        out.push_back(std::move(ref));
    }
    return out;
}

// decisions.paths[i]: {from, to, port, path, action} (docs/cilium.md "Path decisions").
Expected<std::vector<PathDecision>> readPathDecisions(YamlReader &reader,
                                                      const YAML::Node &decisions)
{
    std::vector<PathDecision> out;
    const std::string listPath = "decisions.paths";
    const YAML::Node list = reader.child(decisions, "paths");
    BULKHEAD_TRY(count, reader.sequence(list, listPath));
    for (size_t i = 0; i < count; ++i) {
        const std::string path = YamlReader::index(listPath, i);
        const YAML::Node node = list[i];
        BULKHEAD_CHECK(reader.requireMap(node, path));
        PathDecision d;
        for (const char *key : {"from", "to", "path", "action"}) {
            const YAML::Node value = reader.child(node, key);
            if (!value.IsDefined())
                return reader.error(node, path,
                                    std::string("the path decision has no \"") + key + "\"");
            BULKHEAD_TRY(text, reader.string(value, YamlReader::join(path, key)));
            const std::string_view k(key);
            if (k == "action") {
                if (text == "collapse")
                    d.action = PathAction::Collapse;
                else if (text == "split")
                    d.action = PathAction::Split;
                else
                    return reader.error(value, YamlReader::join(path, key),
                                        "\"" + text + "\" is not one of collapse or split");
            } else if (k == "path") {
                if (!isValidNodePath(text))
                    return reader.error(
                        value, YamlReader::join(path, key),
                        "\"" + text
                            + "\" is not a path tree node (\"/\", \"/users\" or "
                              "\"/users/[^/]+\": segments without '?', '#', brackets or spaces)");
                d.path = std::move(text);
            } else {
                if (text.find('/') == std::string::npos || text.starts_with("ns:"))
                    return reader.error(value, YamlReader::join(path, key),
                                        "\"" + text + "\" is not a workload (namespace/name)");
                (k == "from" ? d.from : d.to) = std::move(text);
            }
        }
        const YAML::Node port = reader.child(node, "port");
        if (!port.IsDefined())
            return reader.error(node, path, "the path decision has no \"port\"");
        BULKHEAD_TRY(portValue, reader.port(port, YamlReader::join(path, "port")));
        d.port = portValue;
        out.push_back(std::move(d));
    }
    return out;
}

Expected<std::string> readChoice(YamlReader &reader, const YAML::Node &options, const char *key,
                                 std::initializer_list<const char *> choices, std::string fallback)
{
    const YAML::Node value = reader.child(options, key);
    if (!value.IsDefined())
        return fallback;
    const std::string path = YamlReader::join("options", key);
    BULKHEAD_TRY(text, reader.string(value, path));
    std::string allowed;
    for (const char *c : choices) {
        if (text == c)
            return text;
        allowed += allowed.empty() ? c : std::string(" or ") + c;
    }
    return reader.error(value, path, "\"" + text + "\" is not one of " + allowed);
}

Expected<bool> readFlag(YamlReader &reader, const YAML::Node &options, const char *key)
{
    const YAML::Node value = reader.child(options, key);
    if (!value.IsDefined())
        return false;
    return reader.boolean(value, YamlReader::join("options", key));
}

Expected<Project> parseProject(std::string_view text, const std::string &fileName,
                               const std::string &projectDir)
{
    if (text.find('\0') != std::string_view::npos)
        return makeError(fileName, 0, "not a Bulkhead project: the file holds binary data");
    BULKHEAD_TRY(document, parseSingleYamlDocument(text, fileName, "project file"));
    if (!document.IsDefined() || !document.IsMap())
        return makeError(fileName, YamlReader::line(document),
                         "not a Bulkhead project (expected a map starting with formatVersion: 1)");

    YamlReader reader(fileName);
    const YAML::Node version = reader.child(document, "formatVersion");
    if (!version.IsDefined())
        return reader.error(document, "", "not a Bulkhead project: it has no formatVersion");
    BULKHEAD_TRY(versionNumber, reader.integer(version, "formatVersion"));
    if (versionNumber > Project::FormatVersion)
        return reader.error(YamlReader::line(version),
                            "format version " + std::to_string(versionNumber)
                                + " is newer than this Bulkhead understands ("
                                + std::to_string(Project::FormatVersion) + "); upgrade Bulkhead");
    if (versionNumber < 1)
        return reader.error(version, "formatVersion",
                            "format version " + std::to_string(versionNumber)
                                + " does not exist (the first is 1)");

    Project project;
    BULKHEAD_TRY(inventories, readPaths(reader, document, "inventories", projectDir));
    project.inventories = std::move(inventories);
    BULKHEAD_TRY(captures, readPaths(reader, document, "captures", projectDir));
    project.captures = std::move(captures);
    BULKHEAD_TRY(flows, readPaths(reader, document, "flows", projectDir));
    project.flows = std::move(flows);
    if (const YAML::Node zones = reader.child(document, "zones"); zones.IsDefined()) {
        BULKHEAD_TRY(zonesPath, reader.string(zones, "zones"));
        if (zonesPath.empty())
            return reader.error(zones, "zones", "the path is empty");
        project.zones = resolvePath(projectDir, zonesPath);
    }

    BULKHEAD_TRY(policies, readPaths(reader, document, "policies", projectDir));
    project.policies = std::move(policies);
    if (const YAML::Node ns = reader.child(document, "policiesNamespace"); ns.IsDefined()) {
        BULKHEAD_TRY(policiesNamespace, reader.string(ns, "policiesNamespace"));
        project.policiesNamespace = std::move(policiesNamespace);
    }

    if (const YAML::Node options = reader.child(document, "options"); options.IsDefined()) {
        BULKHEAD_CHECK(reader.requireMap(options, "options"));
        BULKHEAD_TRY(granularity, readChoice(reader, options, "granularity", {"workload", "zone"},
                                             project.options.granularity));
        project.options.granularity = std::move(granularity);
        BULKHEAD_TRY(dns,
                     readChoice(reader, options, "dns", {"observed", "all"}, project.options.dns));
        project.options.dns = std::move(dns);
        BULKHEAD_TRY(namedPorts, readFlag(reader, options, "namedPorts"));
        project.options.namedPorts = namedPorts;
        BULKHEAD_TRY(system, readFlag(reader, options, "includeSystemNamespaces"));
        project.options.includeSystemNamespaces = system;
        if (const YAML::Node n = reader.child(options, "pathCollapse"); n.IsDefined()) {
            BULKHEAD_TRY(threshold, reader.integer(n, "options.pathCollapse"));
            if (threshold < 0 || threshold > ProjectOptions::kMaxPathCollapse)
                return reader.error(n, "options.pathCollapse",
                                    std::to_string(threshold)
                                        + " is not a path-collapse threshold (0 to "
                                        + std::to_string(ProjectOptions::kMaxPathCollapse)
                                        + "; 0: never collapse)");
            project.options.pathCollapse = static_cast<int>(threshold);
        }
    }

    if (const YAML::Node decisions = reader.child(document, "decisions"); decisions.IsDefined()) {
        BULKHEAD_CHECK(reader.requireMap(decisions, "decisions"));
        BULKHEAD_TRY(added, readEdgeRefs(reader, decisions, "added"));
        project.decisions.added = std::move(added);
        BULKHEAD_TRY(denied, readEdgeRefs(reader, decisions, "denied"));
        project.decisions.denied = std::move(denied);
        const YAML::Node overrides = reader.child(decisions, "zoneOverrides");
        BULKHEAD_TRY(zoneOverrides, reader.stringMap(overrides, "decisions.zoneOverrides"));
        project.decisions.zoneOverrides = std::move(zoneOverrides);
        BULKHEAD_TRY(paths, readPathDecisions(reader, decisions));
        project.decisions.paths = std::move(paths);
    }
    if (const YAML::Node layout = reader.child(document, "layout"); layout.IsDefined()) {
        BULKHEAD_CHECK(reader.requireMap(layout, "layout"));
        for (const auto &view : layout) {
            BULKHEAD_TRY(viewKey, reader.string(view.first, "layout"));
            const std::string viewPath = YamlReader::join("layout", viewKey);
            BULKHEAD_CHECK(reader.requireMap(view.second, viewPath));
            auto &boxes = project.layout[viewKey];
            for (const auto &box : view.second) {
                BULKHEAD_CHECK(reader.spend(box.second));
                BULKHEAD_TRY(boxKey, reader.string(box.first, viewPath));
                const std::string boxPath = YamlReader::join(viewPath, boxKey);
                if (!box.second.IsSequence() || box.second.size() != 2)
                    return reader.error(box.second, boxPath, "expected [x, y] in points");
                BULKHEAD_TRY(x, reader.integer(box.second[0], boxPath));
                BULKHEAD_TRY(y, reader.integer(box.second[1], boxPath));
                boxes[boxKey] = {x, y};
            }
        }
    }

    if (reader.exhausted())
        return reader.exhaustedError(document);
    return project;
}

void emitEdgeRefs(YAML::Emitter &out, const char *key, std::vector<EdgeRef> refs)
{
    std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    out << YAML::Key << key << YAML::Value;
    if (refs.empty())
        out << YAML::Flow; // "added: []" on one line
    out << YAML::BeginSeq;
    for (const EdgeRef &r : refs) {
        out << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "from" << YAML::Value << YAML::DoubleQuoted << r.from;
        out << YAML::Key << "to" << YAML::Value << YAML::DoubleQuoted << r.to;
        out << YAML::Key << "protocol" << YAML::Value << YAML::DoubleQuoted
            << std::string(protocolName(r.protocol));
        out << YAML::Key << "port" << YAML::Value << r.port;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

void emitPaths(YAML::Emitter &out, const char *key, const std::vector<std::string> &paths,
               const std::string &projectDir)
{
    out << YAML::Key << key << YAML::Value;
    if (paths.empty())
        out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const std::string &p : paths)
        out << YAML::DoubleQuoted << relativePath(projectDir, p);
    out << YAML::EndSeq;
}

} // namespace

Expected<Project> loadProjectText(std::string_view yamlText, const std::string &fileName,
                                  const std::string &projectDir)
{
    try {
        return parseProject(yamlText, fileName, projectDir);
    } catch (const YAML::Exception &e) {
        return makeError(fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                         "cannot read the project: " + e.msg);
    } catch (const std::exception &e) {
        return makeError(fileName, 0, std::string("cannot read the project: ") + e.what());
    }
}

Expected<Project> loadProject(const std::string &path)
{
    BULKHEAD_TRY(text, readInputFile(path, "project", MaxProjectFileBytes));
    BULKHEAD_TRY(project, loadProjectText(text, path, projectDirOf(path)));
    project.path = path;
    return project;
}

std::string projectToYaml(const Project &project, const std::string &projectDir)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "formatVersion" << YAML::Value << Project::FormatVersion;
    emitPaths(out, "inventories", project.inventories, projectDir);
    emitPaths(out, "captures", project.captures, projectDir);
    if (!project.flows.empty())
        emitPaths(out, "flows", project.flows, projectDir);
    if (project.zones)
        out << YAML::Key << "zones" << YAML::Value << YAML::DoubleQuoted
            << relativePath(projectDir, *project.zones);
    if (!project.policies.empty())
        emitPaths(out, "policies", project.policies, projectDir);
    if (!project.policiesNamespace.empty())
        out << YAML::Key << "policiesNamespace" << YAML::Value << YAML::DoubleQuoted
            << project.policiesNamespace;

    out << YAML::Key << "options" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "granularity" << YAML::Value << YAML::DoubleQuoted
        << project.options.granularity;
    out << YAML::Key << "dns" << YAML::Value << YAML::DoubleQuoted << project.options.dns;
    out << YAML::Key << "namedPorts" << YAML::Value << project.options.namedPorts;
    out << YAML::Key << "includeSystemNamespaces" << YAML::Value
        << project.options.includeSystemNamespaces;
    out << YAML::Key << "pathCollapse" << YAML::Value << project.options.pathCollapse;
    out << YAML::EndMap;

    out << YAML::Key << "decisions" << YAML::Value << YAML::BeginMap;
    emitEdgeRefs(out, "added", project.decisions.added);
    emitEdgeRefs(out, "denied", project.decisions.denied);
    out << YAML::Key << "zoneOverrides" << YAML::Value;
    if (project.decisions.zoneOverrides.empty())
        out << YAML::Flow;
    out << YAML::BeginMap;
    for (const auto &[workload, level] : project.decisions.zoneOverrides) // std::map: sorted
        out << YAML::Key << YAML::DoubleQuoted << workload << YAML::Value << YAML::DoubleQuoted
            << level;
    out << YAML::EndMap;
    if (!project.decisions.paths.empty()) { // written only when there are some
        std::vector<PathDecision> paths = project.decisions.paths;
        std::sort(paths.begin(), paths.end());
        paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
        out << YAML::Key << "paths" << YAML::Value << YAML::BeginSeq;
        for (const PathDecision &d : paths) {
            out << YAML::Flow << YAML::BeginMap;
            out << YAML::Key << "from" << YAML::Value << YAML::DoubleQuoted << d.from;
            out << YAML::Key << "to" << YAML::Value << YAML::DoubleQuoted << d.to;
            out << YAML::Key << "port" << YAML::Value << d.port;
            out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << d.path;
            out << YAML::Key << "action" << YAML::Value << YAML::DoubleQuoted
                << std::string(pathActionName(d.action));
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;

    if (!project.layout.empty()) { // std::map: sorted, so the file is the same for the same layout
        out << YAML::Key << "layout" << YAML::Value << YAML::BeginMap;
        for (const auto &[view, boxes] : project.layout) {
            out << YAML::Key << YAML::DoubleQuoted << view << YAML::Value << YAML::BeginMap;
            for (const auto &[box, centre] : boxes)
                out << YAML::Key << YAML::DoubleQuoted << box << YAML::Value << YAML::Flow
                    << YAML::BeginSeq << centre.first << centre.second << YAML::EndSeq;
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }

    out << YAML::EndMap;
    return std::string(out.c_str()) + '\n';
}

Expected<void> saveProject(const Project &project, const std::string &path)
{
    return writeFileAtomically(path, projectToYaml(project, projectDirOf(path)));
}

} // namespace bulkhead
