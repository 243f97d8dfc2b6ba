#include "policy/networkpolicy.h"

#include <algorithm>

namespace bulkhead {

bool LabelSelector::matches(const Labels &labels) const
{
    for (const auto &[key, value] : matchLabels) {
        auto it = labels.find(key);
        if (it == labels.end() || it->second != value)
            return false;
    }
    for (const LabelSelectorRequirement &req : matchExpressions) {
        auto it = labels.find(req.key);
        const bool present = it != labels.end();
        const auto inValues = [&] {
            return present
                   && std::find(req.values.begin(), req.values.end(), it->second)
                          != req.values.end();
        };
        switch (req.op) {
        case LabelSelectorRequirement::Operator::In:
            if (!inValues())
                return false;
            break;
        case LabelSelectorRequirement::Operator::NotIn:
            if (inValues()) // true when the key is absent
                return false;
            break;
        case LabelSelectorRequirement::Operator::Exists:
            if (!present)
                return false;
            break;
        case LabelSelectorRequirement::Operator::DoesNotExist:
            if (present)
                return false;
            break;
        }
    }
    return true;
}

} // namespace bulkhead
