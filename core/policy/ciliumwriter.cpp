#include "policy/ciliumwriter.h"

#include "policy/policywriter.h"

namespace bulkhead {
namespace {

using Lines = std::vector<std::string>;

std::string comment(std::string_view text)
{
    std::string out = "# ";
    for (char c : text)
        out += (c == '\n' || c == '\r') ? ' ' : c;
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

void appendIndented(Lines &out, const Lines &more, int by)
{
    const std::string pad(static_cast<size_t>(by), ' ');
    for (const std::string &l : more)
        out.push_back(pad + l);
}

// A sequence item holding a map; leading comment lines stay above the dash.
void appendItem(Lines &out, const Lines &mapLines)
{
    size_t first = 0;
    while (first < mapLines.size() && mapLines[first].starts_with("#"))
        out.push_back(mapLines[first++]);
    if (first == mapLines.size()) {
        out.push_back("- {}");
        return;
    }
    out.push_back("- " + mapLines[first]);
    for (size_t i = first + 1; i < mapLines.size(); ++i)
        out.push_back("  " + mapLines[i]);
}

Lines selectorBody(const LabelSelector &selector)
{
    Lines body;
    if (!selector.matchLabels.empty()) {
        body.push_back("matchLabels:");
        for (const auto &[k, v] : selector.matchLabels)
            body.push_back("  " + yamlScalar(k) + ": " + yamlScalar(v));
    }
    if (!selector.matchExpressions.empty()) {
        body.push_back("matchExpressions:");
        for (const LabelSelectorRequirement &req : selector.matchExpressions) {
            Lines item;
            item.push_back("key: " + yamlScalar(req.key));
            const char *op = "In";
            switch (req.op) {
            case LabelSelectorRequirement::Operator::In: op = "In"; break;
            case LabelSelectorRequirement::Operator::NotIn: op = "NotIn"; break;
            case LabelSelectorRequirement::Operator::Exists: op = "Exists"; break;
            case LabelSelectorRequirement::Operator::DoesNotExist: op = "DoesNotExist"; break;
            }
            item.push_back(std::string("operator: ") + op);
            if (!req.values.empty()) {
                item.push_back("values:");
                for (const std::string &v : req.values)
                    item.push_back("- " + yamlScalar(v));
            }
            Lines nested;
            appendItem(nested, item);
            appendIndented(body, nested, 0);
        }
    }
    return body;
}

Lines fqdnLines(const CiliumFqdn &f)
{
    return {f.matchPattern.empty() ? "matchName: " + yamlScalar(f.matchName)
                                   : "matchPattern: " + yamlScalar(f.matchPattern)};
}

Lines portRuleLines(const CiliumPortRule &p)
{
    Lines out;
    out.push_back("ports:");
    out.push_back("- port: " + yamlScalar(p.port));
    out.push_back("  protocol: " + std::string(protocolName(p.protocol)));
    if (!p.hasHttp && !p.hasDns)
        return out;
    out.push_back("rules:");
    if (p.hasHttp) {
        if (p.http.empty()) {
            out.push_back("  http: []");
        } else {
            out.push_back("  http:");
            for (const CiliumHttpRule &h : p.http) {
                Lines item;
                for (const std::string &c : h.comments)
                    item.push_back(comment(c));
                item.push_back("method: " + yamlScalar(h.method));
                item.push_back("path: " + yamlScalar(h.path));
                Lines nested;
                appendItem(nested, item);
                appendIndented(out, nested, 2);
            }
        }
    }
    if (p.hasDns) {
        out.push_back("  dns:");
        for (const CiliumFqdn &f : p.dns) {
            Lines nested;
            appendItem(nested, fqdnLines(f));
            appendIndented(out, nested, 2);
        }
    }
    return out;
}

void appendRules(Lines &out, const std::string &key, bool egress,
                 const std::vector<CiliumRule> &rules)
{
    out.push_back(key + ':');
    if (rules.empty()) {
        out.push_back("- {}");
        return;
    }
    const std::string dir = egress ? "to" : "from";
    for (const CiliumRule &rule : rules) {
        Lines item;
        for (const std::string &c : rule.comments)
            item.push_back(comment(c));
        if (!rule.endpoints.empty()) {
            item.push_back(dir + "Endpoints:");
            for (const LabelSelector &s : rule.endpoints)
                appendItem(item, selectorBody(s));
        }
        if (!rule.entities.empty()) {
            item.push_back(dir + "Entities:");
            for (const std::string &e : rule.entities)
                item.push_back("- " + yamlScalar(e));
        }
        if (!rule.cidrs.empty()) {
            bool except = false;
            for (const IpBlock &b : rule.cidrs)
                except = except || !b.except.empty();
            if (!except) {
                item.push_back(dir + "CIDR:");
                for (const IpBlock &b : rule.cidrs)
                    item.push_back("- " + yamlScalar(b.cidr.toString()));
            } else {
                item.push_back(dir + "CIDRSet:");
                for (const IpBlock &b : rule.cidrs) {
                    Lines set{"cidr: " + yamlScalar(b.cidr.toString())};
                    if (!b.except.empty()) {
                        set.push_back("except:");
                        for (const Cidr &c : b.except)
                            set.push_back("- " + yamlScalar(c.toString()));
                    }
                    appendItem(item, set);
                }
            }
        }
        if (!rule.fqdns.empty()) {
            item.push_back("toFQDNs:");
            for (const CiliumFqdn &f : rule.fqdns)
                appendItem(item, fqdnLines(f));
        }
        if (!rule.ports.empty()) {
            item.push_back("toPorts:");
            for (const CiliumPortRule &p : rule.ports)
                appendItem(item, portRuleLines(p));
        }
        appendItem(out, item);
    }
}

} // namespace

std::string writeCiliumPolicyYaml(const CiliumNetworkPolicy &policy)
{
    Lines out;
    for (const std::string &c : policy.comments)
        out.push_back(comment(c));
    out.push_back("apiVersion: cilium.io/v2");
    out.push_back("kind: CiliumNetworkPolicy");
    out.push_back("metadata:");
    out.push_back("  name: " + yamlScalar(policy.name));
    if (!policy.ns.empty())
        out.push_back("  namespace: " + yamlScalar(policy.ns));
    if (!policy.labels.empty()) {
        out.push_back("  labels:");
        for (const auto &[k, v] : policy.labels)
            out.push_back("    " + yamlScalar(k) + ": " + yamlScalar(v));
    }
    out.push_back("spec:");
    Lines spec;
    const Lines selector = selectorBody(policy.endpointSelector);
    if (selector.empty()) {
        spec.push_back("endpointSelector: {}");
    } else {
        spec.push_back("endpointSelector:");
        appendIndented(spec, selector, 2);
    }
    spec.push_back("enableDefaultDeny:");
    spec.push_back(std::string("  ingress: ") + (policy.defaultDenyIngress ? "true" : "false"));
    spec.push_back(std::string("  egress: ") + (policy.defaultDenyEgress ? "true" : "false"));
    if (policy.ingressGiven)
        appendRules(spec, "ingress", false, policy.ingress);
    if (policy.egressGiven)
        appendRules(spec, "egress", true, policy.egress);
    appendIndented(out, spec, 2);
    std::string text;
    for (const std::string &l : out) {
        text += l;
        text += '\n';
    }
    return text;
}

std::string writeCiliumPoliciesYaml(const std::vector<CiliumNetworkPolicy> &policies)
{
    std::string text;
    for (size_t i = 0; i < policies.size(); ++i) {
        if (i > 0)
            text += "---\n";
        text += writeCiliumPolicyYaml(policies[i]);
    }
    return text;
}

} // namespace bulkhead
