#include "inventory/inventory.h"

#include <algorithm>

namespace bulkhead {

std::vector<IpAddress> Workload::addresses() const
{
    std::vector<IpAddress> out;
    for (const PodMember &pod : pods)
        out.insert(out.end(), pod.addresses.begin(), pod.addresses.end());
    return out;
}

const ContainerPort *Workload::portNamed(std::string_view portName) const
{
    for (const ContainerPort &p : ports) {
        if (!p.name.empty() && p.name == portName)
            return &p;
    }
    return nullptr;
}

std::vector<const ContainerPort *> Workload::portsNamed(std::string_view portName) const
{
    std::vector<const ContainerPort *> out;
    for (const ContainerPort &p : ports) {
        if (!p.name.empty() && p.name == portName)
            out.push_back(&p);
    }
    return out;
}

bool Workload::onHostNetwork() const
{
    return std::any_of(pods.begin(), pods.end(), [](const PodMember &p) { return p.hostNetwork; });
}

bool Workload::declaresPort(uint16_t port, Protocol protocol) const
{
    for (const ContainerPort &p : ports) {
        if (p.port == port && p.protocol == protocol)
            return true;
    }
    return false;
}

int Inventory::findWorkload(std::string_view ns, std::string_view name) const
{
    for (size_t i = 0; i < workloads.size(); ++i) {
        if (workloads[i].ns == ns && workloads[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

int Inventory::findWorkload(std::string_view id) const
{
    const size_t slash = id.find('/');
    return slash == std::string_view::npos
               ? -1
               : findWorkload(id.substr(0, slash), id.substr(slash + 1));
}

Labels Inventory::namespaceLabels(const std::string &ns) const
{
    Labels labels;
    if (auto it = namespaces.find(ns); it != namespaces.end())
        labels = it->second;
    labels["kubernetes.io/metadata.name"] = ns;
    return labels;
}

} // namespace bulkhead
