// Generator, second half: a target's peers and ports into NetworkPolicy rules, with the
// --explain comments. See core/policy/generatorstate.h.

#include "policy/generatorstate.h"

#include "util/isotime.h"

#include <algorithm>

namespace bulkhead::generation {

// Appends the rule peers that stand for `key` to out.
void Generator::expand(const PeerKey &key, const std::string &policyNs,
                       std::vector<PolicyPeer> &out) const
{
    switch (key.kind) {
    case KeyKind::Target: {
        const PolicyTarget &t = m_partition.targets[static_cast<size_t>(key.id)];
        PolicyPeer p;
        p.podSelector = t.selector;
        if (t.ns != policyNs)
            p.namespaceSelector.emplace().matchLabels.emplace(kNamespaceNameKey, t.ns);
        out.push_back(std::move(p));
        break;
    }
    case KeyKind::Host: {
        std::vector<IpAddress> addresses = m_inv.workloads[static_cast<size_t>(key.id)].addresses();
        std::sort(addresses.begin(), addresses.end());
        addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
        for (const IpAddress &a : addresses)
            out.push_back(PolicyPeer{{}, {}, IpBlock{Cidr::host(a), {}}});
        break;
    }
    case KeyKind::Network:
        for (const IpBlock &b : m_networkBlocks[static_cast<size_t>(key.id)])
            out.push_back(PolicyPeer{{}, {}, b});
        break;
    case KeyKind::Node:
    case KeyKind::External:
        out.push_back(PolicyPeer{{}, {}, IpBlock{Cidr::host(key.address), {}}});
        break;
    case KeyKind::Namespace: {
        PolicyPeer p; // every pod of the namespace: a namespaceSelector and no podSelector
        p.namespaceSelector.emplace().matchLabels.emplace(
            kNamespaceNameKey, m_namespaces[static_cast<size_t>(key.id)]);
        out.push_back(std::move(p));
        break;
    }
    }
}

std::string Generator::explainLine(const EdgeNames &names, const Detail &d,
                                   const PortKey &port) const
{
    std::string line = std::string(names.first) + " -> " + std::string(names.second) + ' '
                       + std::string(protocolName(port.protocol)) + ' ' + std::to_string(port.port);
    if (!port.name.empty())
        line += " (" + port.name + ')';
    line += ": ";
    if (!d.evidence.empty()) {
        line += std::to_string(d.evidence.flows) + (d.evidence.flows == 1 ? " flow, " : " flows, ")
                + std::to_string(d.evidence.packets) + " packets, first seen "
                + isoTime(d.evidence.firstSeenUs, TimePrecision::Seconds) + ", last seen "
                + isoTime(d.evidence.lastSeenUs, TimePrecision::Seconds);
        std::string files;
        for (uint32_t f : d.evidence.files) {
            if (!files.empty())
                files += ", ";
            files
                += f < m_captureFiles.size() ? m_captureFiles[f] : "capture #" + std::to_string(f);
        }
        if (!files.empty())
            line += ", in " + files;
        if (d.addedForDns)
            line += "; also required by --dns all";
    } else if (d.addedForDns) {
        line += "added by --dns all (cluster DNS for every policed workload), not observed";
    } else {
        line += "added by the user, not observed";
    }
    // Which names an external address stands for, and the other addresses answered for them.
    if (!m_options.externalNames.empty()) {
        for (const std::string_view end : {names.first, names.second}) {
            const auto address = IpAddress::parse(end);
            if (!address)
                continue;
            const auto it = m_options.externalNames.find(*address);
            if (it == m_options.externalNames.end())
                continue;
            line += "; " + std::string(end) + " is";
            for (size_t i = 0; i < it->second.size(); ++i) {
                const std::string &name = it->second[i];
                line += (i ? ", " : " ") + name;
                std::string others;
                for (const auto &[other, otherNames] : m_options.externalNames) {
                    if (other != *address
                        && std::find(otherNames.begin(), otherNames.end(), name)
                               != otherNames.end())
                        others += (others.empty() ? "" : ", ") + other.toString();
                }
                if (!others.empty())
                    line += " (also " + others + ")";
            }
        }
    }
    return line;
}

std::vector<PolicyRule> Generator::buildRules(const Entries &entries,
                                              const std::string &policyNs) const
{
    // A rule allows every peer on every port it lists: peers share a rule only when they need
    // exactly the same ports. Each peer's rows are one run of `entries`; runs with the same ports
    // (compared as lists, in order) make one rule, rules in order of their ports, peers in order.
    struct Run
    {
        size_t begin;
        size_t end;
    };
    std::vector<Run> runs;
    runs.reserve(entries.size());
    for (size_t i = 0; i < entries.size();) {
        size_t j = i + 1;
        while (j < entries.size() && entries[j].peer == entries[i].peer)
            ++j;
        runs.push_back({i, j});
        i = j;
    }
    const auto portsLess = [&](const Run &a, const Run &b) {
        return std::lexicographical_compare(
            entries.begin() + static_cast<std::ptrdiff_t>(a.begin),
            entries.begin() + static_cast<std::ptrdiff_t>(a.end),
            entries.begin() + static_cast<std::ptrdiff_t>(b.begin),
            entries.begin() + static_cast<std::ptrdiff_t>(b.end),
            [](const Entry &x, const Entry &y) { return *x.port < *y.port; });
    };
    std::stable_sort(runs.begin(), runs.end(), portsLess);

    std::vector<std::pair<PeerKey, PolicyRule>> rules;
    rules.reserve(runs.size());
    for (size_t g = 0; g < runs.size();) {
        size_t h = g + 1;
        while (h < runs.size() && !portsLess(runs[g], runs[h]))
            ++h;
        PolicyRule rule;
        rule.peers.reserve(h - g);
        size_t edgeCount = 0;
        for (size_t r = g; r < h; ++r) {
            expand(entries[runs[r].begin].peer, policyNs, rule.peers);
            for (size_t e = runs[r].begin; e < runs[r].end; ++e)
                edgeCount += entries[e].edge->end - entries[e].edge->begin;
        }
        rule.edges.reserve(edgeCount);
        if (m_options.explain)
            rule.comments.reserve(edgeCount);
        rule.ports.reserve(runs[g].end - runs[g].begin);
        for (size_t e = runs[g].begin; e < runs[g].end; ++e) {
            const PortKey &port = *entries[e].port;
            PolicyPort pp;
            pp.protocol = port.protocol;
            if (port.name.empty())
                pp.port = port.port;
            else
                pp.port = port.name;
            rule.ports.push_back(std::move(pp));
        }
        for (size_t r = g; r < h; ++r) {
            for (size_t e = runs[r].begin; e < runs[r].end; ++e) {
                const PortKey &port = *entries[e].port;
                const std::string_view protocol = protocolName(port.protocol);
                const std::string number = std::to_string(port.port);
                for (size_t d = entries[e].edge->begin; d < entries[e].edge->end; ++d) {
                    const auto &[names, detail] = m_details[d];
                    std::string text;
                    text.reserve(names.first.size() + names.second.size() + protocol.size()
                                 + number.size() + 6);
                    text.append(names.first).append(" -> ").append(names.second).append(1, ' ');
                    text.append(protocol).append(1, '/').append(number);
                    rule.edges.push_back(std::move(text));
                    if (m_options.explain)
                        rule.comments.push_back(explainLine(names, detail, port));
                }
            }
        }
        rules.emplace_back(entries[runs[g].begin].peer, std::move(rule));
        g = h;
    }
    std::sort(rules.begin(), rules.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<PolicyRule> out;
    out.reserve(rules.size());
    for (auto &[first, rule] : rules)
        out.push_back(std::move(rule));
    return out;
}

} // namespace bulkhead::generation
