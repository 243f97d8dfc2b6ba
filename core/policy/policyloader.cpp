#include "policy/policyloader.h"

#include "util/filekinds.h"
#include "util/inputfile.h"
#include "util/yamlreader.h"

#include "policy/ciliumpolicyreader.h"
#include "policy/clusterpolicyreader.h"
#include "policy/policyreader.h"

#include <algorithm>
#include <map>
#include <type_traits>
#include <yaml-cpp/depthguard.h>

namespace bulkhead {

namespace {

// One Error that lists every problem, one a line: the first is the Error (its file and line),
// every further one is added to its message as "file:line: text".
Error problemsError(const std::vector<Error> &problems)
{
    Error error = problems.front();
    for (size_t i = 1; i < problems.size(); ++i)
        error.message += '\n' + problems[i].toString();
    return error;
}

// Reads one text; problems go to `problems`, a YAML syntax error is returned directly.
std::optional<Error> readText(std::string_view yaml, const std::string &fileName,
                              std::vector<NetworkPolicy> &out, std::vector<Error> &problems,
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

// A later definition of the same policy (same key) replaces the earlier one (as `kubectl apply`
// would), with a warning; the result is sorted by key.
template <class Policy, class KeyOf>
std::vector<Policy> deduplicate(std::vector<Policy> policies, std::vector<std::string> &warnings,
                                KeyOf keyOf)
{
    std::map<std::invoke_result_t<KeyOf, const Policy &>, size_t> latest;
    for (size_t i = 0; i < policies.size(); ++i) {
        auto key = keyOf(policies[i]);
        if (auto it = latest.find(key); it != latest.end()) {
            const Policy &earlier = policies[it->second];
            warnings.push_back(policies[i].sourceFile + ':' + std::to_string(policies[i].sourceLine)
                               + ": policy " + policies[i].id() + " is defined again (first at "
                               + earlier.sourceFile + ':' + std::to_string(earlier.sourceLine)
                               + "); the later definition is used");
            it->second = i;
        } else {
            latest.emplace(std::move(key), i);
        }
    }
    std::vector<Policy> out;
    out.reserve(latest.size());
    for (const auto &[key, index] : latest)
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

// Reads every text (texts, then the files at paths) into one set; the kinds not asked for
// (withCluster, withCilium) are policies not evaluated. Every file's problems make one Error.
Expected<PolicySet> loadSet(const std::vector<std::pair<std::string, std::string>> &texts,
                            const std::vector<std::string> &paths,
                            std::vector<std::string> *warnings,
                            std::vector<NotEvaluatedPolicy> *notEvaluated, bool withCluster,
                            bool withCilium)
{
    PolicySet set;
    std::vector<Error> problems;
    std::vector<std::string> localWarnings;
    std::vector<NotEvaluatedPolicy> found;
    for (size_t i = 0; i < texts.size() + paths.size(); ++i) {
        std::string name, text;
        if (i < texts.size()) {
            name = texts[i].first;
            text = texts[i].second;
        } else {
            const std::string &path = paths[i - texts.size()];
            Expected<std::string> read = readInputFile(path, "policy file", MaxPolicyFileBytes);
            if (!read)
                return std::unexpected(read.error());
            name = path;
            text = std::move(*read);
        }
        if (auto error = readText(text, name, set.networkPolicies, problems, localWarnings, found,
                                  withCluster ? &set.clusterPolicies : nullptr,
                                  withCilium ? &set.ciliumPolicies : nullptr))
            return std::unexpected(*error);
    }
    if (!problems.empty())
        return std::unexpected(problemsError(problems));
    // NetworkPolicies by (namespace, name); the others by id().
    set.networkPolicies
        = deduplicate(std::move(set.networkPolicies), localWarnings,
                      [](const NetworkPolicy &p) { return std::make_pair(p.ns, p.name); });
    set.clusterPolicies = deduplicate(std::move(set.clusterPolicies), localWarnings,
                                      [](const ClusterNetworkPolicy &p) { return p.id(); });
    set.ciliumPolicies = deduplicate(std::move(set.ciliumPolicies), localWarnings,
                                     [](const CiliumNetworkPolicy &p) { return p.id(); });
    handOver(std::move(found), notEvaluated, localWarnings);
    if (warnings)
        warnings->insert(warnings->end(), localWarnings.begin(), localWarnings.end());
    return set;
}

} // namespace

Expected<std::vector<NetworkPolicy>> loadPoliciesText(std::string_view yaml,
                                                      const std::string &fileName,
                                                      std::vector<std::string> *warnings,
                                                      std::vector<NotEvaluatedPolicy> *notEvaluated)
{
    auto set = loadSet({{fileName, std::string(yaml)}}, {}, warnings, notEvaluated, false, false);
    if (!set)
        return std::unexpected(set.error());
    return std::move(set->networkPolicies);
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
    auto set = loadSet({}, paths, warnings, notEvaluated, false, false);
    if (!set)
        return std::unexpected(set.error());
    return std::move(set->networkPolicies);
}

Expected<PolicySet> loadPolicySetText(std::string_view yaml, const std::string &fileName,
                                      std::vector<std::string> *warnings,
                                      std::vector<NotEvaluatedPolicy> *notEvaluated,
                                      bool withCilium)
{
    return loadSet({{fileName, std::string(yaml)}}, {}, warnings, notEvaluated, true, withCilium);
}

Expected<PolicySet> loadPolicySetFiles(const std::vector<std::string> &paths,
                                       std::vector<std::string> *warnings,
                                       std::vector<NotEvaluatedPolicy> *notEvaluated,
                                       bool withCilium)
{
    return loadSet({}, paths, warnings, notEvaluated, true, withCilium);
}

} // namespace bulkhead
