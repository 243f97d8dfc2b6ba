#include "policy/guardrailgenerator.h"

#include "policy/generator.h"
#include "policy/k8snames.h"

#include <map>
#include <set>

namespace bulkhead {

namespace {

constexpr int kPriorityBase = 100;
constexpr size_t kMaxPeers = 25; // v1alpha2's bound; v1alpha1 allows 100

ClusterPeer zonePods(const Zones &zones, const std::string &level)
{
    ClusterPeer peer;
    peer.kind = ClusterPeer::Kind::Pods;
    peer.podSelector = zonePodSelector(zones, level);
    return peer;
}

std::string zonesText(const std::vector<std::string> &levels)
{
    std::string out;
    for (const std::string &level : levels)
        out += (out.empty() ? "" : ", ") + level;
    return out;
}

} // namespace

LabelSelector zonePodSelector(const Zones &zones, const std::string &level)
{
    LabelSelector selector;
    if (level != zones.defaultLevel) {
        selector.matchLabels[zones.labelKey] = level;
        return selector;
    }
    LabelSelectorRequirement notOther;
    notOther.key = zones.labelKey;
    notOther.op = LabelSelectorRequirement::Operator::NotIn;
    for (const ZoneLevel &other : zones.levels) {
        if (other.name != level)
            notOther.values.push_back(other.name);
    }
    if (!notOther.values.empty())
        selector.matchExpressions.push_back(std::move(notOther));
    return selector;
}

Expected<GuardrailResult> generateGuardrails(const Zones &zones, const GuardrailOptions &options)
{
    const std::string file = zones.sourceFile.empty() ? std::string("zones") : zones.sourceFile;
    if (options.baselineDeny && options.v1alpha1)
        return std::unexpected(
            Error{file, 0,
                  "--baseline-deny cannot be written as v1alpha1: the one "
                  "BaselineAdminNetworkPolicy (named \"default\") has a single subject, so "
                  "it cannot deny only between zones; use --guardrails-api v1alpha2"});
    if (zones.rules.size() + kPriorityBase > 1000)
        return std::unexpected(Error{file, 0,
                                     "too many zone rules (" + std::to_string(zones.rules.size())
                                         + "): priorities run from 100 to 1000"});
    if (const std::string issue = qualifiedNameProblem(zones.labelKey); !issue.empty())
        return std::unexpected(Error{
            file, 0, "the zone label key \"" + zones.labelKey + "\" cannot be selected: " + issue});
    for (const ZoneLevel &level : zones.levels) {
        if (const std::string issue = labelValueProblem(level.name); !issue.empty())
            return std::unexpected(Error{
                file, 0, "the level \"" + level.name + "\" cannot be a label value: " + issue});
    }

    GuardrailResult result;
    const Labels managed{{"app.kubernetes.io/managed-by", "bulkhead"}};
    // (rule index, to level index) -> from levels, in level order.
    std::map<std::pair<size_t, size_t>, std::vector<std::string>> blocked;
    for (size_t to = 0; to < zones.levels.size(); ++to) {
        for (size_t from = 0; from < zones.levels.size(); ++from) {
            const ZoneRule *rule
                = matchZoneRule(zones, zones.levels[from].name, zones.levels[to].name);
            if (!rule || rule->action != ZoneRule::Action::Block)
                continue;
            const size_t index = static_cast<size_t>(rule - zones.rules.data());
            blocked[{index, to}].push_back(zones.levels[from].name);
        }
    }
    std::set<std::string> names;
    const auto uniqueName = [&names](std::string name) {
        std::string candidate = name;
        for (int i = 2; names.contains(candidate); ++i)
            candidate = dns1123Label(name + '-' + std::to_string(i));
        names.insert(candidate);
        return candidate;
    };
    std::set<size_t> rulesUsed;
    for (const auto &[key, fromLevels] : blocked) {
        const ZoneRule &rule = zones.rules[key.first];
        const std::string &toLevel = zones.levels[key.second].name;
        rulesUsed.insert(key.first);
        ClusterNetworkPolicy policy;
        policy.kind = options.v1alpha1 ? ClusterPolicyKind::AdminNetworkPolicy
                                       : ClusterPolicyKind::ClusterNetworkPolicy;
        policy.tier = PolicyTier::Admin;
        policy.name = uniqueName(
            dns1123Label("bulkhead-" + rule.name + (rule.to ? std::string() : '-' + toLevel)));
        policy.labels = managed;
        policy.priority = kPriorityBase + static_cast<int>(key.first);
        policy.subject = zonePods(zones, toLevel);
        policy.comments.push_back(
            "Zone rule \"" + rule.name + "\" (" + file
            + (rule.sourceLine > 0 ? ':' + std::to_string(rule.sourceLine) : std::string())
            + "): block " + zonesText(fromLevels) + " -> " + toLevel
            + ". Admin tier: no NetworkPolicy can allow it.");
        if (toLevel == zones.defaultLevel)
            policy.comments.push_back(
                toLevel + " is the default zone: its pods are those without the label "
                + zones.labelKey + " too");
        for (size_t i = 0; i < fromLevels.size(); i += kMaxPeers) {
            ClusterRule deny;
            deny.name = dns1123Label(rule.name)
                        + (i > 0 ? '-' + std::to_string(i / kMaxPeers + 1) : std::string());
            deny.action = ClusterAction::Deny;
            for (size_t f = i; f < fromLevels.size() && f < i + kMaxPeers; ++f)
                deny.peers.push_back(zonePods(zones, fromLevels[f]));
            policy.ingress.push_back(std::move(deny));
        }
        result.policies.push_back(std::move(policy));
    }
    std::stable_sort(result.policies.begin(), result.policies.end(),
                     [](const ClusterNetworkPolicy &a, const ClusterNetworkPolicy &b) {
                         return std::tie(a.priority, a.name) < std::tie(b.priority, b.name);
                     });
    for (size_t i = 0; i < zones.rules.size(); ++i) {
        if (zones.rules[i].action == ZoneRule::Action::Block && !rulesUsed.contains(i))
            result.warnings.push_back(
                "zone rule \"" + zones.rules[i].name
                + "\" blocks no pair of levels (an earlier rule matches them first): no guardrail");
    }

    if (options.baselineDeny && zones.levels.size() > 1) {
        for (size_t to = 0; to < zones.levels.size(); ++to) {
            const std::string &toLevel = zones.levels[to].name;
            ClusterNetworkPolicy policy;
            policy.kind = ClusterPolicyKind::ClusterNetworkPolicy;
            policy.tier = PolicyTier::Baseline;
            policy.name = uniqueName(dns1123Label("bulkhead-baseline-" + toLevel));
            policy.labels = managed;
            policy.priority = kPriorityBase + static_cast<int>(to);
            policy.subject = zonePods(zones, toLevel);
            std::vector<std::string> others;
            for (const ZoneLevel &level : zones.levels) {
                if (level.name != toLevel)
                    others.push_back(level.name);
            }
            policy.comments.push_back(
                "Baseline tier: ingress into " + toLevel + " from " + zonesText(others)
                + " is denied unless a NetworkPolicy selecting the pods allows it.");
            for (size_t i = 0; i < others.size(); i += kMaxPeers) {
                ClusterRule deny;
                deny.name = dns1123Label(
                    "deny-other-zones"
                    + (i > 0 ? '-' + std::to_string(i / kMaxPeers + 1) : std::string()));
                deny.action = ClusterAction::Deny;
                for (size_t f = i; f < others.size() && f < i + kMaxPeers; ++f)
                    deny.peers.push_back(zonePods(zones, others[f]));
                policy.ingress.push_back(std::move(deny));
            }
            result.policies.push_back(std::move(policy));
        }
    }
    return result;
}

} // namespace bulkhead
