#include "l7/httprequest.h"

#include <algorithm>

namespace bulkhead {

void HttpQueries::add(std::string_view query, uint64_t n)
{
    requests += n;
    const auto at = std::lower_bound(samples.begin(), samples.end(), query);
    if (at != samples.end() && *at == query)
        return; // the common case once a kind's queries repeat: no allocation
    if (query.size() > kMaxBytes) {
        more = true;
        return;
    }
    if (samples.size() < kMaxSamples) {
        samples.emplace(at, query);
        return;
    }
    more = true;
    if (at == samples.end())
        return; // larger than every sample kept
    // Smaller than the largest sample: it takes that one's place (and reuses its buffer).
    std::string last = std::move(samples.back());
    last.assign(query);
    samples.pop_back();
    samples.insert(std::lower_bound(samples.begin(), samples.end(), last), std::move(last));
}

void HttpQueries::merge(const HttpQueries &other)
{
    requests += other.requests;
    more = more || other.more;
    if (other.samples.empty())
        return;
    std::vector<std::string> all;
    all.reserve(samples.size() + other.samples.size());
    std::set_union(std::make_move_iterator(samples.begin()), std::make_move_iterator(samples.end()),
                   other.samples.begin(), other.samples.end(), std::back_inserter(all));
    if (all.size() > kMaxSamples) {
        all.resize(kMaxSamples);
        more = true;
    }
    samples = std::move(all);
}

} // namespace bulkhead
