#include "policy/clusterpolicywriter.h"

#include "policy/policywriter.h"

namespace bulkhead {

namespace {

std::string pad(int indent)
{
    return std::string(static_cast<size_t>(indent), ' ');
}

std::string_view operatorName(LabelSelectorRequirement::Operator op)
{
    switch (op) {
    case LabelSelectorRequirement::Operator::In: return "In";
    case LabelSelectorRequirement::Operator::NotIn: return "NotIn";
    case LabelSelectorRequirement::Operator::Exists: return "Exists";
    case LabelSelectorRequirement::Operator::DoesNotExist: return "DoesNotExist";
    }
    return "In";
}

// `key:` then the selector's body at indent + 2; "key: {}" when it is empty.
// `first` replaces the indentation of the first line (a list item's "- ").
void writeSelector(std::string &out, int indent, std::string_view key,
                   const LabelSelector &selector, const std::string &first = {})
{
    const std::string lead = first.empty() ? pad(indent) : first;
    if (selector.isEmpty()) {
        out += lead + std::string(key) + ": {}\n";
        return;
    }
    out += lead + std::string(key) + ":\n";
    if (!selector.matchLabels.empty()) {
        out += pad(indent + 2) + "matchLabels:\n";
        for (const auto &[k, v] : selector.matchLabels)
            out += pad(indent + 4) + yamlScalar(k) + ": " + yamlScalar(v) + '\n';
    }
    if (!selector.matchExpressions.empty()) {
        out += pad(indent + 2) + "matchExpressions:\n";
        for (const LabelSelectorRequirement &r : selector.matchExpressions) {
            out += pad(indent + 2) + "- key: " + yamlScalar(r.key) + '\n';
            out += pad(indent + 4) + "operator: " + std::string(operatorName(r.op)) + '\n';
            if (!r.values.empty()) {
                out += pad(indent + 4) + "values:\n";
                for (const std::string &value : r.values)
                    out += pad(indent + 4) + "- " + yamlScalar(value) + '\n';
            }
        }
    }
}

// A subject or a peer as a map at `indent` (the first key may follow a "- ").
void writePeer(std::string &out, int indent, const ClusterPeer &peer, bool listItem)
{
    const std::string first = listItem ? pad(indent - 2) + "- " : pad(indent);
    switch (peer.kind) {
    case ClusterPeer::Kind::Namespaces:
        writeSelector(out, indent, "namespaces", peer.namespaceSelector, first);
        break;
    case ClusterPeer::Kind::Pods:
        out += first + "pods:\n";
        writeSelector(out, indent + 2, "namespaceSelector", peer.namespaceSelector);
        writeSelector(out, indent + 2, "podSelector", peer.podSelector);
        break;
    case ClusterPeer::Kind::Networks:
        out += first + "networks:\n";
        for (const Cidr &cidr : peer.networks)
            out += pad(indent + 2) + "- " + yamlScalar(cidr.toString()) + '\n';
        break;
    case ClusterPeer::Kind::Nodes:
        writeSelector(out, indent, "nodes", peer.nodeSelector, first);
        break;
    }
}

void writePort(std::string &out, int indent, const ClusterPort &port, bool v1alpha1)
{
    const std::string item = pad(indent) + "- ";
    const std::string protocol(protocolName(port.protocol));
    if (port.kind == ClusterPort::Kind::Named) {
        out += item + (v1alpha1 ? "namedPort: " : "destinationNamedPort: ") + yamlScalar(port.name)
               + '\n';
        return;
    }
    if (v1alpha1) {
        if (port.kind == ClusterPort::Kind::Range) {
            out += item + "portRange:\n";
            out += pad(indent + 4) + "protocol: " + protocol + '\n';
            out += pad(indent + 4) + "start: " + std::to_string(port.first) + '\n';
            out += pad(indent + 4) + "end: " + std::to_string(port.last) + '\n';
        } else {
            out += item + "portNumber:\n";
            out += pad(indent + 4) + "protocol: " + protocol + '\n';
            out += pad(indent + 4) + "port: " + std::to_string(port.first) + '\n';
        }
        return;
    }
    std::string lower = protocol;
    for (char &c : lower)
        c = static_cast<char>(c - 'A' + 'a');
    out += item + lower + ":\n";
    out += pad(indent + 4) + "destinationPort:\n";
    if (port.kind == ClusterPort::Kind::Range) {
        out += pad(indent + 6) + "range:\n";
        out += pad(indent + 8) + "start: " + std::to_string(port.first) + '\n';
        out += pad(indent + 8) + "end: " + std::to_string(port.last) + '\n';
    } else {
        out += pad(indent + 6) + "number: " + std::to_string(port.first) + '\n';
    }
}

void writeRules(std::string &out, const std::vector<ClusterRule> &rules, bool ingress,
                bool v1alpha1)
{
    if (rules.empty())
        return;
    out += ingress ? "  ingress:\n" : "  egress:\n";
    for (const ClusterRule &rule : rules) {
        out += "  - ";
        if (!rule.name.empty())
            out += "name: " + yamlScalar(rule.name) + "\n    ";
        out += "action: " + std::string(clusterActionName(rule.action, v1alpha1)) + '\n';
        out += ingress ? "    from:\n" : "    to:\n";
        for (const ClusterPeer &peer : rule.peers)
            writePeer(out, 6, peer, true);
        if (!rule.ports.empty()) {
            out += v1alpha1 ? "    ports:\n" : "    protocols:\n";
            for (const ClusterPort &port : rule.ports)
                writePort(out, 4, port, v1alpha1);
        }
    }
}

} // namespace

std::string writeClusterPolicyYaml(const ClusterNetworkPolicy &policy)
{
    const bool v1alpha1 = policy.kind != ClusterPolicyKind::ClusterNetworkPolicy;
    std::string out;
    for (const std::string &comment : policy.comments)
        out += "# " + comment + '\n';
    out += "apiVersion: " + std::string(clusterPolicyApiVersion(policy.kind)) + '\n';
    out += "kind: " + std::string(clusterPolicyKindName(policy.kind)) + '\n';
    out += "metadata:\n  name: " + yamlScalar(policy.name) + '\n';
    if (!policy.labels.empty()) {
        out += "  labels:\n";
        for (const auto &[k, v] : policy.labels)
            out += "    " + yamlScalar(k) + ": " + yamlScalar(v) + '\n';
    }
    out += "spec:\n";
    if (!v1alpha1)
        out += "  tier: " + std::string(policyTierName(policy.tier)) + '\n';
    if (policy.kind != ClusterPolicyKind::BaselineAdminNetworkPolicy)
        out += "  priority: " + std::to_string(policy.priority) + '\n';
    out += "  subject:\n";
    writePeer(out, 4, policy.subject, false);
    writeRules(out, policy.ingress, true, v1alpha1);
    writeRules(out, policy.egress, false, v1alpha1);
    return out;
}

std::string writeClusterPoliciesYaml(const std::vector<ClusterNetworkPolicy> &policies)
{
    std::string out;
    for (size_t i = 0; i < policies.size(); ++i) {
        if (i > 0)
            out += "---\n";
        out += writeClusterPolicyYaml(policies[i]);
    }
    return out;
}

} // namespace bulkhead
