#pragma once

#include "design/intent.h"
#include "util/error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bulkhead {

// The generation options a project remembers (docs/semantics.md "Generated policies", "Command
// line").
struct ProjectOptions
{
    std::string granularity = "workload"; // workload | zone
    std::string dns = "observed";         // observed | all
    bool namedPorts = false;
    bool includeSystemNamespaces = false;
    // --path-collapse of `generate --format cilium` and the desktop application's path trees
    // (docs/cilium.md "HTTP paths"): a path segment with more than N distinct values becomes
    // [^/]+; 0 never collapses.
    static constexpr int kDefaultPathCollapse = 3;
    static constexpr int kMaxPathCollapse = 1000000;
    int pathCollapse = kDefaultPathCollapse;

    friend bool operator==(const ProjectOptions &, const ProjectOptions &) = default;
};

// A `.bulkhead` project file (docs/semantics.md "Project file"): inputs, zones, options and the
// user's decisions. In memory, paths are usable as they are (the file's folder joined to the
// relative paths written in it); on disk they are relative to the project file's folder.
struct Project
{
    static constexpr int FormatVersion = 1;

    std::string path; // the project file itself; empty until loaded or saved
    std::vector<std::string> inventories;
    std::vector<std::string> captures;
    std::vector<std::string>
        flows; // Hubble flow files (`flows:`, written only when there are some)
    std::optional<std::string> zones;
    // The cluster's NetworkPolicies reviewed beside the evidence (`policies:`), and the namespace
    // of those that name none (`policiesNamespace:`, as `kubectl apply -n`; empty: "default").
    std::vector<std::string> policies;
    std::string policiesNamespace;
    ProjectOptions options;
    Decisions decisions;
    // Where the desktop application's boxes were (docs/gui.md, "A stable picture"): per view
    // ("namespaces", "workloads@restricted/shop"), per box key, the centre in whole points.
    std::map<std::string, std::map<std::string, std::pair<int64_t, int64_t>>> layout;

    friend bool operator==(const Project &, const Project &) = default;
};

// Reads and validates a project file. Errors carry the file and line: an unknown newer
// formatVersion is refused ("format version 7 is newer than this Bulkhead understands (1);
// upgrade Bulkhead").
Expected<Project> loadProject(const std::string &path);
// The same from text; paths in it are resolved against projectDir.
Expected<Project> loadProjectText(std::string_view yamlText, const std::string &fileName,
                                  const std::string &projectDir);

// The project as YAML, paths relative to projectDir. Deterministic: decisions are sorted and
// without duplicates, every string is quoted (a level "yes" or a path "010" stays a string).
std::string projectToYaml(const Project &project, const std::string &projectDir);
// Writes projectToYaml(project, folder of path) atomically.
Expected<void> saveProject(const Project &project, const std::string &path);

} // namespace bulkhead
