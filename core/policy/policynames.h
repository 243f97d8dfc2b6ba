#pragma once

#include "policy/networkpolicy.h"

#include <string>
#include <vector>

namespace bulkhead {

// policies[i] has a provisional DNS-1123 name (dns1123Label, core/policy/k8snames.h) made from
// originals[i] ("" for a default-deny, which keeps its name). Policies whose (namespace, name)
// collide are renamed "<stem>-<shortHash(original)>" within 63 characters, and a warning says
// so for each.
void disambiguatePolicyNames(std::vector<NetworkPolicy> &policies,
                             const std::vector<std::string> &originals,
                             std::vector<std::string> &warnings);

} // namespace bulkhead
