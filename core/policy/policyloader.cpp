#include "policy/policyloader.h"

#include "util/filekinds.h"
#include "util/inputfile.h"
#include "util/yamlreader.h"

#include "policy/ciliumpolicyreader.h"
#include "policy/clusterpolicyreader.h"
#include "policy/policyreader.h"

#include <algorithm>
#include <map>
#include <yaml-cpp/depthguard.h>

namespace bulkhead {

namespace {

struct FileProblems
{
    std::string file;
    std::vector<PolicyProblem> problems;
};

// The message of an Error that lists every problem, one a line: the first without its location
// (the Error carries it), every further one with "file:line: ".
Error problemsError(const std::vector<FileProblems> &files)
{
    Error error;
    bool first = true;
    for (const FileProblems &file : files) {
        for (const PolicyProblem &problem : file.problems) {
            if (first) {
                error.file = file.file;
                error.line = problem.line;
                error.message = problem.text;
                first = false;
                continue;
            }
            error.message += '\n' + file.file;
            if (problem.line > 0)
                error.message += ':' + std::to_string(problem.line);
            error.message += ": " + problem.text;
        }
    }
    return error;
}

// Reads one text; problems go to `problems`, a YAML syntax error is returned directly.
std::optional<Error> readText(std::string_view yaml, const std::string &fileName,
                              std::vector<NetworkPolicy> &out, std::vector<PolicyProblem> &problems,
                              std::vector<std::string> &warnings,
                              std::vector<NotEvaluatedPolicy> &notEvaluated,
                              std::vector<ClusterNetworkPolicy> *clusterOut = nullptr,
                              std::vector<CiliumNetworkPolicy> *ciliumOut = nullptr)
{
    PolicyReader reader(fileName);
    std::optional<ClusterPolicyReader> clusterReader;
    if (clusterOut)
        clusterReader.emplace(reader);
    std::optional<CiliumPolicyReader> ciliumReader;
    if (ciliumOut)
        ciliumReader.emplace(reader);
    auto documents = parseYamlDocuments(yaml, fileName);
    if (!documents)
        return documents.error();
    try {
        for (size_t i = 0; i < documents->size(); ++i)
            reader.readObject((*documents)[i], "document " + std::to_string(i + 1));
    } catch (const YAML::Exception &e) {
        const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
        return Error{fileName, line, "YAML syntax error: " + e.msg};
    } catch (const std::exception &e) {
        return Error{fileName, 0, std::string("could not read the policies: ") + e.what()};
    }
    // A file holding no policy but inventory objects was given in the wrong place: say what it is
    // rather than read it as an empty policy set.
    if (reader.policies().empty() && (!clusterReader || clusterReader->policies().empty())
        && (!ciliumReader || ciliumReader->policies().empty())) {
        const std::map<std::string, int> kinds = yamlKinds(*documents);
        const std::string inventory = kindsText(kinds, isInventoryKind);
        if (!inventory.empty() && kindsText(kinds, isPolicyKind).empty())
            return Error{fileName, 0,
                         "is a workload inventory (" + inventory
                             + "), not NetworkPolicies: read it as an inventory (--inventory)"};
    }
    problems.insert(problems.end(), reader.problems().begin(), reader.problems().end());
    warnings.insert(warnings.end(), reader.warnings().begin(), reader.warnings().end());
    for (NetworkPolicy &policy : reader.policies())
        out.push_back(std::move(policy));
    notEvaluated.insert(notEvaluated.end(), reader.notEvaluatedPolicies().begin(),
                        reader.notEvaluatedPolicies().end());
    if (clusterReader) {
        for (ClusterNetworkPolicy &policy : clusterReader->policies())
            clusterOut->push_back(std::move(policy));
    }
    if (ciliumReader) {
        for (CiliumNetworkPolicy &policy : ciliumReader->policies())
            ciliumOut->push_back(std::move(policy));
    }
    return std::nullopt;
}

// A later definition of the same namespace/name replaces the earlier one (as `kubectl apply`
// would); then sort by (namespace, name).
std::vector<NetworkPolicy> deduplicateAndSort(std::vector<NetworkPolicy> policies,
                                              std::vector<std::string> &warnings)
{
    std::map<std::pair<std::string, std::string>, size_t> latest;
    for (size_t i = 0; i < policies.size(); ++i) {
        const auto key = std::make_pair(policies[i].ns, policies[i].name);
        if (auto it = latest.find(key); it != latest.end()) {
            const NetworkPolicy &earlier = policies[it->second];
            warnings.push_back(policies[i].sourceFile + ':' + std::to_string(policies[i].sourceLine)
                               + ": policy " + policies[i].id() + " is defined again (first at "
                               + earlier.sourceFile + ':' + std::to_string(earlier.sourceLine)
                               + "); the later definition is used");
            it->second = i;
        } else {
            latest.emplace(key, i);
        }
    }
    std::vector<NetworkPolicy> out;
    out.reserve(latest.size());
    for (const auto &[key, index] : latest) // std::map: sorted by (namespace, name)
        out.push_back(std::move(policies[index]));
    return out;
}

// Hands the policies that were not evaluated to the caller, or, when it does not ask for them,
// turns each into a warning: they are never dropped silently.
void handOver(std::vector<NotEvaluatedPolicy> &&found,
              std::vector<NotEvaluatedPolicy> *notEvaluated, std::vector<std::string> &warnings)
{
    if (notEvaluated) {
        notEvaluated->insert(notEvaluated->end(), found.begin(), found.end());
        return;
    }
    for (const NotEvaluatedPolicy &p : found)
        warnings.push_back(p.file + ':' + std::to_string(p.line) + ": " + p.kind + ' ' + p.policy
                           + " (" + p.apiVersion + ") is not evaluated: verdicts leave it out");
}

} // namespace

Expected<std::vector<NetworkPolicy>> loadPoliciesText(std::string_view yaml,
                                                      const std::string &fileName,
                                                      std::vector<std::string> *warnings,
                                                      std::vector<NotEvaluatedPolicy> *notEvaluated)
{
    std::vector<NetworkPolicy> policies;
    std::vector<FileProblems> problems(1, FileProblems{fileName, {}});
    std::vector<std::string> localWarnings;
    std::vector<NotEvaluatedPolicy> found;
    if (auto error
        = readText(yaml, fileName, policies, problems.front().problems, localWarnings, found))
        return std::unexpected(*error);
    if (!problems.front().problems.empty())
        return std::unexpected(problemsError(problems));
    policies = deduplicateAndSort(std::move(policies), localWarnings);
    handOver(std::move(found), notEvaluated, localWarnings);
    if (warnings)
        warnings->insert(warnings->end(), localWarnings.begin(), localWarnings.end());
    return policies;
}

Expected<std::vector<NetworkPolicy>> loadPoliciesFile(const std::string &path,
                                                      std::vector<std::string> *warnings,
                                                      std::vector<NotEvaluatedPolicy> *notEvaluated)
{
    return loadPolicyFiles({path}, warnings, notEvaluated);
}

Expected<std::vector<NetworkPolicy>> loadPolicyFiles(const std::vector<std::string> &paths,
                                                     std::vector<std::string> *warnings,
                                                     std::vector<NotEvaluatedPolicy> *notEvaluated)
{
    std::vector<NetworkPolicy> policies;
    std::vector<FileProblems> problems;
    std::vector<std::string> localWarnings;
    std::vector<NotEvaluatedPolicy> found;
    for (const std::string &path : paths) {
        Expected<std::string> text = readInputFile(path, "policy file", MaxPolicyFileBytes);
        if (!text)
            return std::unexpected(text.error());
        FileProblems fileProblems{path, {}};
        if (auto error
            = readText(*text, path, policies, fileProblems.problems, localWarnings, found))
            return std::unexpected(*error);
        if (!fileProblems.problems.empty())
            problems.push_back(std::move(fileProblems));
    }
    if (!problems.empty())
        return std::unexpected(problemsError(problems));
    policies = deduplicateAndSort(std::move(policies), localWarnings);
    handOver(std::move(found), notEvaluated, localWarnings);
    if (warnings)
        warnings->insert(warnings->end(), localWarnings.begin(), localWarnings.end());
    return policies;
}

namespace {

std::vector<ClusterNetworkPolicy>
deduplicateClusterPolicies(std::vector<ClusterNetworkPolicy> policies,
                           std::vector<std::string> &warnings)
{
    std::map<std::string, size_t> latest;
    for (size_t i = 0; i < policies.size(); ++i) {
        const std::string id = policies[i].id();
        if (auto it = latest.find(id); it != latest.end()) {
            const ClusterNetworkPolicy &earlier = policies[it->second];
            warnings.push_back(policies[i].sourceFile + ':' + std::to_string(policies[i].sourceLine)
                               + ": policy " + id + " is defined again (first at "
                               + earlier.sourceFile + ':' + std::to_string(earlier.sourceLine)
                               + "); the later definition is used");
            it->second = i;
        } else {
            latest.emplace(id, i);
        }
    }
    std::vector<ClusterNetworkPolicy> out;
    for (const auto &[id, index] : latest)
        out.push_back(std::move(policies[index]));
    return out;
}

std::vector<CiliumNetworkPolicy>
deduplicateCiliumPolicies(std::vector<CiliumNetworkPolicy> policies,
                          std::vector<std::string> &warnings)
{
    std::map<std::string, size_t> latest;
    for (size_t i = 0; i < policies.size(); ++i) {
        const std::string id = policies[i].id();
        if (auto it = latest.find(id); it != latest.end()) {
            const CiliumNetworkPolicy &earlier = policies[it->second];
            warnings.push_back(policies[i].sourceFile + ':' + std::to_string(policies[i].sourceLine)
                               + ": policy " + id + " is defined again (first at "
                               + earlier.sourceFile + ':' + std::to_string(earlier.sourceLine)
                               + "); the later definition is used");
            it->second = i;
        } else {
            latest.emplace(id, i);
        }
    }
    std::vector<CiliumNetworkPolicy> out;
    for (const auto &[id, index] : latest)
        out.push_back(std::move(policies[index]));
    return out;
}

Expected<PolicySet> loadSet(const std::vector<std::pair<std::string, std::string>> &texts,
                            const std::vector<std::string> &paths,
                            std::vector<std::string> *warnings,
                            std::vector<NotEvaluatedPolicy> *notEvaluated, bool withCilium)
{
    PolicySet set;
    std::vector<FileProblems> problems;
    std::vector<std::string> localWarnings;
    std::vector<NotEvaluatedPolicy> found;
    for (size_t i = 0; i < std::max(texts.size(), paths.size()); ++i) {
        std::string name, text;
        if (i < texts.size()) {
            name = texts[i].first;
            text = texts[i].second;
        } else {
            Expected<std::string> read = readInputFile(paths[i], "policy file", MaxPolicyFileBytes);
            if (!read)
                return std::unexpected(read.error());
            name = paths[i];
            text = std::move(*read);
        }
        FileProblems fileProblems{name, {}};
        if (auto error
            = readText(text, name, set.networkPolicies, fileProblems.problems, localWarnings, found,
                       &set.clusterPolicies, withCilium ? &set.ciliumPolicies : nullptr))
            return std::unexpected(*error);
        if (!fileProblems.problems.empty())
            problems.push_back(std::move(fileProblems));
    }
    if (!problems.empty())
        return std::unexpected(problemsError(problems));
    set.networkPolicies = deduplicateAndSort(std::move(set.networkPolicies), localWarnings);
    set.clusterPolicies = deduplicateClusterPolicies(std::move(set.clusterPolicies), localWarnings);
    set.ciliumPolicies = deduplicateCiliumPolicies(std::move(set.ciliumPolicies), localWarnings);
    handOver(std::move(found), notEvaluated, localWarnings);
    if (warnings)
        warnings->insert(warnings->end(), localWarnings.begin(), localWarnings.end());
    return set;
}

} // namespace

Expected<PolicySet> loadPolicySetText(std::string_view yaml, const std::string &fileName,
                                      std::vector<std::string> *warnings,
                                      std::vector<NotEvaluatedPolicy> *notEvaluated,
                                      bool withCilium)
{
    return loadSet({{fileName, std::string(yaml)}}, {}, warnings, notEvaluated, withCilium);
}

Expected<PolicySet> loadPolicySetFiles(const std::vector<std::string> &paths,
                                       std::vector<std::string> *warnings,
                                       std::vector<NotEvaluatedPolicy> *notEvaluated,
                                       bool withCilium)
{
    return loadSet({}, paths, warnings, notEvaluated, withCilium);
}

} // namespace bulkhead
