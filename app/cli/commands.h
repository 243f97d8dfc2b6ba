#pragma once

#include "model/buildmodel.h"
#include "policy/networkpolicy.h"
#include "policy/policykind.h"
#include "policy/policyloader.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bulkhead::cli {

// Options shared by the commands that read a model.
struct InputOptions
{
    std::vector<std::string> inventories;
    std::vector<std::string> captures;
    std::vector<std::string> flows; // Hubble flow files (`hubble observe -o json`, flow exports)
    bool evidenceRequired = false;  // at least one --capture or --flows
    std::string zones;
    std::string project;
};

// NetworkPolicy files to read, and the namespace of those that name none.
struct PolicyOptions
{
    std::vector<std::string> files;
    std::string defaultNamespace = "default";
};

// --policies (required or not) and --namespace/-n.
void addPolicyOptions(CLI::App *command, PolicyOptions &policies, bool required,
                      const std::string &description);
// Loads and validates the files; a policy without a namespace goes where `kubectl apply -n` would
// put it. Policies of kinds Bulkhead does not evaluate go to notEvaluated.
Expected<std::vector<NetworkPolicy>> loadPolicies(const PolicyOptions &policies,
                                                  std::vector<std::string> *warnings,
                                                  std::vector<NotEvaluatedPolicy> *notEvaluated);
// The same, with the cluster-scoped kinds (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy) read and validated too, and with withCilium CiliumNetworkPolicy and
// CiliumClusterwideNetworkPolicy as well.
Expected<PolicySet> loadPolicySet(const PolicyOptions &policies, std::vector<std::string> *warnings,
                                  std::vector<NotEvaluatedPolicy> *notEvaluated,
                                  bool withCilium = false);
// What check and blast-radius refuse in a set with Cilium policies (nullopt when none applies):
// the cluster tiers beside them (Cilium does not enforce them), and --ipblock-matches-pods (an
// ipBlock never matches pods under Cilium).
std::optional<Error> ciliumSetProblem(const PolicySet &set, bool ipBlockMatchesPods);

// --inventory (required), --capture and --flows (one of them required or not).
void addInputOptions(CLI::App *command, InputOptions &in, bool captureRequired);
// Reads inventories, zones (when withZones) and captures, with terminal progress.
Expected<Model> loadModel(const InputOptions &in, bool withZones);
// Every input path of a run: outputs must never overwrite one of them.
std::vector<std::string> allInputs(const InputOptions &in);
void printWarnings(const std::vector<std::string> &warnings);
std::string endpointText(const IpAddress &address, uint16_t port); // 10.0.0.1:80, [fd00::1]:80

// One function per command, each in its own file (<name>command.cpp). exitCode receives the
// selected command's exit status.
void registerGenerateCommand(CLI::App &app, int &exitCode);
void registerFlowsCommand(CLI::App &app, int &exitCode);
void registerBlastRadiusCommand(CLI::App &app, int &exitCode);
void registerCheckCommand(CLI::App &app, int &exitCode);
void registerCaptureCommand(CLI::App &app, int &exitCode);
void registerRenderCommand(CLI::App &app, int &exitCode);

} // namespace bulkhead::cli
