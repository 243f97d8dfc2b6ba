// libFuzzer target: the NetworkPolicy loader and validator, and the policy set with the cluster
// tiers and CiliumNetworkPolicy (check's reader).
#include "policy/policyloader.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::vector<std::string> warnings;
    const auto policies = bulkhead::loadPoliciesText(
        std::string_view(reinterpret_cast<const char *>(data), size), "fuzz.yaml", &warnings);
    if (!policies)
        (void)policies.error().toString();
    const auto set
        = bulkhead::loadPolicySetText(std::string_view(reinterpret_cast<const char *>(data), size),
                                      "fuzz.yaml", &warnings, nullptr, true);
    if (!set)
        (void)set.error().toString();
    return 0;
}
