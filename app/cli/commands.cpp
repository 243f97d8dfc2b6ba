#include "commands.h"

#include "output.h"

#include "policy/policyloader.h"
#include "review/ciliumcheck.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace bulkhead::cli {

void addInputOptions(CLI::App *command, InputOptions &in, bool captureRequired)
{
    command
        ->add_option("--inventory", in.inventories,
                     "Workload inventory: `kubectl get -A -o yaml` output or a bulkhead.io "
                     "Inventory (repeatable)")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--capture", in.captures, "pcap or pcapng capture file (repeatable)")
        ->check(CLI::ExistingFile);
    command
        ->add_option("--flows", in.flows,
                     "Hubble flow file: `hubble observe -o json|jsonpb` output or a Cilium flow "
                     "export (repeatable)")
        ->check(CLI::ExistingFile);
    in.evidenceRequired = captureRequired;
}

void addPolicyOptions(CLI::App *command, PolicyOptions &policies, bool required,
                      const std::string &description)
{
    auto *files
        = command->add_option("--policies", policies.files, description)->check(CLI::ExistingFile);
    if (required)
        files->required();
    command
        ->add_option("--namespace,-n", policies.defaultNamespace,
                     "Namespace of policies that name none, as `kubectl apply -n` would place them")
        ->capture_default_str();
}

Expected<std::vector<NetworkPolicy>> loadPolicies(const PolicyOptions &policies,
                                                  std::vector<std::string> *warnings,
                                                  std::vector<NotEvaluatedPolicy> *notEvaluated)
{
    auto loaded = loadPolicyFiles(policies.files, warnings, notEvaluated);
    if (!loaded)
        return loaded;
    for (NetworkPolicy &policy : *loaded) {
        if (!policy.namespaceGiven)
            policy.ns = policies.defaultNamespace;
    }
    return loaded;
}

Expected<PolicySet> loadPolicySet(const PolicyOptions &policies, std::vector<std::string> *warnings,
                                  std::vector<NotEvaluatedPolicy> *notEvaluated, bool withCilium)
{
    auto loaded = loadPolicySetFiles(policies.files, warnings, notEvaluated, withCilium);
    if (!loaded)
        return loaded;
    for (NetworkPolicy &policy : loaded->networkPolicies) {
        if (!policy.namespaceGiven)
            policy.ns = policies.defaultNamespace;
    }
    for (CiliumNetworkPolicy &policy : loaded->ciliumPolicies) {
        if (!policy.namespaceGiven && !policy.clusterwide)
            policy.ns = policies.defaultNamespace;
    }
    return loaded;
}

std::optional<Error> ciliumSetProblem(const PolicySet &set, bool ipBlockMatchesPods)
{
    if (set.ciliumPolicies.empty())
        return std::nullopt;
    if (auto tiers = ciliumWithClusterTiers(set))
        return tiers;
    if (ipBlockMatchesPods)
        return Error{{},
                     0,
                     "--ipblock-matches-pods: under Cilium an ipBlock never matches pod addresses; "
                     "leave it out when reviewing CiliumNetworkPolicies"};
    return std::nullopt;
}

Expected<Model> loadModel(const InputOptions &in, bool withZones)
{
    if (in.evidenceRequired && in.captures.empty() && in.flows.empty())
        return makeError("", 0, "evidence needed: give --capture or --flows (or both)");
    PipelineInputs inputs;
    inputs.inventories = in.inventories;
    inputs.captures = in.captures;
    inputs.flows = in.flows;
    if (withZones && !in.zones.empty())
        inputs.zonesFile = in.zones;
    TerminalProgress progress;
    return buildModel(inputs, &progress);
}

std::vector<std::string> allInputs(const InputOptions &in)
{
    std::vector<std::string> all = in.inventories;
    all.insert(all.end(), in.captures.begin(), in.captures.end());
    all.insert(all.end(), in.flows.begin(), in.flows.end());
    if (!in.zones.empty())
        all.push_back(in.zones);
    if (!in.project.empty())
        all.push_back(in.project);
    return all;
}

void printWarnings(const std::vector<std::string> &warnings)
{
    for (const std::string &w : warnings)
        std::cerr << "warning: " << w << '\n';
}

std::string endpointText(const IpAddress &a, uint16_t port)
{
    return a.isV6() ? '[' + a.toString() + "]:" + std::to_string(port)
                    : a.toString() + ':' + std::to_string(port);
}

} // namespace bulkhead::cli
