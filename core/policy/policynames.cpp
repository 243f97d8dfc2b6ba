#include "policy/policynames.h"

#include "policy/k8snames.h"

#include <algorithm>
#include <tuple>

namespace bulkhead {

void disambiguatePolicyNames(std::vector<NetworkPolicy> &policies,
                             const std::vector<std::string> &originals,
                             std::vector<std::string> &warnings)
{
    // policies[i] has a provisional DNS-1123 name; originals[i] is what it was made from ("" for
    // default-deny). Names that collide (with default-deny or with each other) get a hash suffix.
    // Policies by (namespace, name), each group in index order; only groups of two or more matter.
    std::vector<size_t> order(policies.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::tie(policies[a].ns, policies[a].name, a)
               < std::tie(policies[b].ns, policies[b].name, b);
    });
    const auto sameName = [&](size_t a, size_t b) {
        return policies[a].ns == policies[b].ns && policies[a].name == policies[b].name;
    };
    for (size_t g = 0; g < order.size();) {
        size_t h = g + 1;
        while (h < order.size() && sameName(order[g], order[h]))
            ++h;
        const size_t begin = g;
        g = h;
        if (h - begin < 2)
            continue;
        for (size_t k = begin; k < h; ++k) {
            const size_t i = order[k];
            if (originals[i].empty())
                continue; // default-deny keeps its name
            const std::string suffix = '-' + shortHash(originals[i]);
            std::string stem = dns1123Label(originals[i]);
            if (stem.size() + suffix.size() > MaxDnsLabelLength)
                stem.resize(MaxDnsLabelLength - suffix.size());
            while (!stem.empty() && stem.back() == '-')
                stem.pop_back();
            const std::string renamed = stem + suffix;
            warnings.push_back("policy for " + policies[i].ns + '/' + originals[i] + " is named "
                               + renamed + ": the name " + policies[i].name
                               + " is taken in namespace " + policies[i].ns);
            policies[i].name = renamed;
        }
    }
}

} // namespace bulkhead
