// KubernetesObjects, second part: what stands around the workloads (Services with their
// endpoints and edge, nodes, namespaces, Ingresses). Pods and controllers are in
// kubernetesobjects.cpp.

#include "inventory/kubernetesobjects.h"

#include "util/yamlreader.h"
#include "util/yamltree.h"

#include <algorithm>

namespace bulkhead {

Expected<void> KubernetesObjects::addService(const TreeNode &object, const std::string &path,
                                             Inventory &out)
{
    Service service;
    service.sourceFile = m_reader.fileName();
    service.sourceLine = TreeReader::line(object);
    BULKHEAD_TRY(name, objectName(object, path));
    BULKHEAD_TRY(ns, objectNamespace(object, path));
    service.name = std::move(name);
    service.ns = std::move(ns);

    const TreeNode spec = m_reader.child(object, "spec");
    const std::string specPath = TreeReader::join(path, "spec");
    BULKHEAD_TRY(type, m_reader.string(spec, "type", specPath, "ClusterIP"));
    service.type = type;

    const TreeNode clusterIps = m_reader.child(spec, "clusterIPs");
    const std::string clusterIpsPath = TreeReader::join(specPath, "clusterIPs");
    BULKHEAD_TRY(ipCount, m_reader.sequence(clusterIps, clusterIpsPath));
    std::vector<std::pair<TreeNode, std::string>> ipNodes;
    for (size_t i = 0; i < ipCount; ++i)
        ipNodes.emplace_back(clusterIps[i], TreeReader::index(clusterIpsPath, i));
    if (ipNodes.empty()) {
        if (const TreeNode ip = m_reader.child(spec, "clusterIP"); ip.IsDefined())
            ipNodes.emplace_back(ip, TreeReader::join(specPath, "clusterIP"));
    }
    for (const auto &[node, ipPath] : ipNodes) {
        BULKHEAD_TRY(text, m_reader.string(node, ipPath));
        if (text == "None" || text.empty())
            continue; // headless
        BULKHEAD_TRY(ip, m_reader.ipAddress(node, ipPath));
        if (std::find(service.clusterIps.begin(), service.clusterIps.end(), ip)
            == service.clusterIps.end())
            service.clusterIps.push_back(ip);
    }

    const TreeNode ports = m_reader.child(spec, "ports");
    const std::string portsPath = TreeReader::join(specPath, "ports");
    BULKHEAD_TRY(portCount, m_reader.sequence(ports, portsPath));
    if (portCount == 0 && type != "ExternalName")
        return m_reader.error(service.sourceLine,
                              "Service \"" + service.name + "\" has no spec.ports");
    for (size_t i = 0; i < portCount; ++i) {
        const TreeNode entry = ports[i];
        const std::string entryPath = TreeReader::index(portsPath, i);
        BULKHEAD_CHECK(m_reader.requireMap(entry, entryPath));
        ServicePort port;
        BULKHEAD_TRY(portName, m_reader.string(entry, "name", entryPath, ""));
        port.name = std::move(portName);
        const TreeNode number = m_reader.child(entry, "port");
        if (!number.IsDefined())
            return m_reader.error(entry, entryPath, "the service port has no port number");
        BULKHEAD_TRY(value, m_reader.port(number, TreeReader::join(entryPath, "port")));
        port.port = value;
        if (const TreeNode protocol = m_reader.child(entry, "protocol"); protocol.IsDefined()) {
            BULKHEAD_TRY(p, m_reader.protocol(protocol, TreeReader::join(entryPath, "protocol")));
            port.protocol = p;
        }
        port.targetPort = port.port;
        if (const TreeNode target = m_reader.child(entry, "targetPort"); target.IsDefined()) {
            const std::string targetPath = TreeReader::join(entryPath, "targetPort");
            BULKHEAD_TRY(text, m_reader.string(target, targetPath));
            if (isAllDigits(text)) {
                BULKHEAD_TRY(targetNumber, m_reader.port(target, targetPath));
                port.targetPort = targetNumber;
            } else if (!text.empty()) {
                port.targetPort = text;
            }
        }
        service.ports.push_back(std::move(port));
    }

    BULKHEAD_TRY(selector, m_reader.stringMap(m_reader.child(spec, "selector"),
                                              TreeReader::join(specPath, "selector")));
    service.selector = std::move(selector);
    service.type = type;
    BULKHEAD_CHECK(addServiceEdge(spec, m_reader.child(object, "status"), path, service));
    out.services.push_back(std::move(service));
    return {};
}

// What a Service shows at the edge of the cluster: node ports, the traffic policy and the
// addresses of its load balancer.
Expected<void> KubernetesObjects::addServiceEdge(const TreeNode &spec, const TreeNode &status,
                                                 const std::string &path, Service &service)
{
    const std::string specPath = TreeReader::join(path, "spec");
    const TreeNode ports = m_reader.child(spec, "ports");
    for (size_t i = 0; i < service.ports.size(); ++i) {
        const TreeNode nodePort = m_reader.child(ports[i], "nodePort");
        if (!nodePort.IsDefined() || nodePort.IsNull())
            continue;
        BULKHEAD_TRY(value,
                     m_reader.port(
                         nodePort,
                         TreeReader::join(TreeReader::index(TreeReader::join(specPath, "ports"), i),
                                          "nodePort")));
        service.ports[i].nodePort = value;
    }
    BULKHEAD_TRY(policy, m_reader.string(spec, "externalTrafficPolicy", specPath, "Cluster"));
    service.externalTrafficLocal = policy == "Local";

    const auto addAddress = [&](const TreeNode &node, const std::string &at) -> Expected<void> {
        BULKHEAD_TRY(ip, m_reader.ipAddress(node, at));
        if (std::find(service.externalIps.begin(), service.externalIps.end(), ip)
            == service.externalIps.end())
            service.externalIps.push_back(ip);
        return {};
    };
    const TreeNode externalIps = m_reader.child(spec, "externalIPs");
    const std::string externalPath = TreeReader::join(specPath, "externalIPs");
    BULKHEAD_TRY(externalCount, m_reader.sequence(externalIps, externalPath));
    for (size_t i = 0; i < externalCount; ++i)
        BULKHEAD_CHECK(addAddress(externalIps[i], TreeReader::index(externalPath, i)));
    const TreeNode ingress = m_reader.child(m_reader.child(status, "loadBalancer"), "ingress");
    const std::string ingressPath = TreeReader::join(path, "status.loadBalancer.ingress");
    BULKHEAD_TRY(ingressCount, m_reader.sequence(ingress, ingressPath));
    for (size_t i = 0; i < ingressCount; ++i) {
        const std::string entryPath = TreeReader::index(ingressPath, i);
        BULKHEAD_CHECK(m_reader.requireMap(ingress[i], entryPath));
        if (const TreeNode ip = m_reader.child(ingress[i], "ip"); ip.IsDefined())
            BULKHEAD_CHECK(addAddress(ip, TreeReader::join(entryPath, "ip")));
    }
    return {};
}

Expected<std::vector<ContainerPort>> KubernetesObjects::endpointPorts(const TreeNode &ports,
                                                                      const std::string &path)
{
    std::vector<ContainerPort> out;
    BULKHEAD_TRY(count, m_reader.sequence(ports, path));
    for (size_t i = 0; i < count; ++i) {
        const std::string entryPath = TreeReader::index(path, i);
        BULKHEAD_CHECK(m_reader.requireMap(ports[i], entryPath));
        ContainerPort port;
        BULKHEAD_TRY(name, m_reader.string(ports[i], "name", entryPath, ""));
        port.name = std::move(name);
        const TreeNode number = m_reader.child(ports[i], "port");
        if (!number.IsDefined() || number.IsNull())
            continue; // an EndpointSlice port without a number: all ports, nothing to attribute
        BULKHEAD_TRY(value, m_reader.port(number, TreeReader::join(entryPath, "port")));
        port.port = value;
        if (const TreeNode protocol = m_reader.child(ports[i], "protocol"); protocol.IsDefined()) {
            BULKHEAD_TRY(p, m_reader.protocol(protocol, TreeReader::join(entryPath, "protocol")));
            port.protocol = p;
        }
        addPortOnce(out, port);
    }
    return out;
}

Expected<void> KubernetesObjects::addEndpoints(const TreeNode &object, const std::string &path,
                                               Inventory &out)
{
    BULKHEAD_TRY(name, objectName(object, path));
    BULKHEAD_TRY(ns, objectNamespace(object, path));
    const TreeNode subsets = m_reader.child(object, "subsets");
    const std::string subsetsPath = TreeReader::join(path, "subsets");
    BULKHEAD_TRY(count, m_reader.sequence(subsets, subsetsPath));
    for (size_t i = 0; i < count; ++i) {
        const std::string subsetPath = TreeReader::index(subsetsPath, i);
        BULKHEAD_CHECK(m_reader.requireMap(subsets[i], subsetPath));
        EndpointSet set{ns, name, {}, {}, m_reader.fileName(), TreeReader::line(object)};
        for (const char *key : {"addresses", "notReadyAddresses"}) {
            const TreeNode list = m_reader.child(subsets[i], key);
            const std::string listPath = TreeReader::join(subsetPath, key);
            BULKHEAD_TRY(n, m_reader.sequence(list, listPath));
            for (size_t j = 0; j < n; ++j) {
                const std::string entryPath = TreeReader::index(listPath, j);
                BULKHEAD_CHECK(m_reader.requireMap(list[j], entryPath));
                BULKHEAD_TRY(ip, m_reader.ipAddress(m_reader.child(list[j], "ip"),
                                                    TreeReader::join(entryPath, "ip")));
                set.addresses.push_back(ip);
            }
        }
        BULKHEAD_TRY(ports, endpointPorts(m_reader.child(subsets[i], "ports"),
                                          TreeReader::join(subsetPath, "ports")));
        set.ports = std::move(ports);
        if (!set.addresses.empty() && !set.ports.empty())
            out.endpointSets.push_back(std::move(set));
    }
    return {};
}

Expected<void> KubernetesObjects::addEndpointSlice(const TreeNode &object, const std::string &path,
                                                   Inventory &out)
{
    BULKHEAD_TRY(name, objectName(object, path));
    BULKHEAD_TRY(ns, objectNamespace(object, path));
    const TreeNode metadata = m_reader.child(object, "metadata");
    BULKHEAD_TRY(labels, m_reader.stringMap(m_reader.child(metadata, "labels"),
                                            TreeReader::join(path, "metadata.labels")));
    const auto service = labels.find("kubernetes.io/service-name");
    if (service == labels.end())
        return {}; // a slice of no Service: nothing to attribute
    BULKHEAD_TRY(addressType, m_reader.string(object, "addressType", path, ""));
    if (addressType == "FQDN")
        return {};
    EndpointSet set{ns, service->second, {}, {}, m_reader.fileName(), TreeReader::line(object)};
    const TreeNode endpoints = m_reader.child(object, "endpoints");
    const std::string endpointsPath = TreeReader::join(path, "endpoints");
    BULKHEAD_TRY(count, m_reader.sequence(endpoints, endpointsPath));
    for (size_t i = 0; i < count; ++i) {
        const std::string entryPath = TreeReader::index(endpointsPath, i);
        BULKHEAD_CHECK(m_reader.requireMap(endpoints[i], entryPath));
        const TreeNode addresses = m_reader.child(endpoints[i], "addresses");
        const std::string addressesPath = TreeReader::join(entryPath, "addresses");
        BULKHEAD_TRY(n, m_reader.sequence(addresses, addressesPath));
        for (size_t j = 0; j < n; ++j) {
            BULKHEAD_TRY(ip, m_reader.ipAddress(addresses[j], TreeReader::index(addressesPath, j)));
            set.addresses.push_back(ip);
        }
    }
    BULKHEAD_TRY(ports,
                 endpointPorts(m_reader.child(object, "ports"), TreeReader::join(path, "ports")));
    set.ports = std::move(ports);
    if (!set.addresses.empty() && !set.ports.empty())
        out.endpointSets.push_back(std::move(set));
    return {};
}

Expected<void> KubernetesObjects::addNode(const TreeNode &object, const std::string &path,
                                          Inventory &out)
{
    Node node;
    BULKHEAD_TRY(name, objectName(object, path));
    node.name = std::move(name);
    const TreeNode status = m_reader.child(object, "status");
    const TreeNode addresses = m_reader.child(status, "addresses");
    const std::string addressesPath = TreeReader::join(path, "status.addresses");
    BULKHEAD_TRY(count, m_reader.sequence(addresses, addressesPath));
    for (size_t i = 0; i < count; ++i) {
        const TreeNode entry = addresses[i];
        const std::string entryPath = TreeReader::index(addressesPath, i);
        BULKHEAD_CHECK(m_reader.requireMap(entry, entryPath));
        BULKHEAD_TRY(type, m_reader.string(entry, "type", entryPath, ""));
        if (type != "InternalIP" && type != "ExternalIP")
            continue;
        BULKHEAD_TRY(ip, m_reader.ipAddress(m_reader.child(entry, "address"),
                                            TreeReader::join(entryPath, "address")));
        if (std::find(node.addresses.begin(), node.addresses.end(), ip) == node.addresses.end())
            node.addresses.push_back(ip);
    }
    // The node's pod ranges belong to the cluster: an address inside one that matches no pod (a
    // deleted pod, typically) is unattributed, never an external peer (docs: README, "How
    // Bulkhead decides").
    const TreeNode spec = m_reader.child(object, "spec");
    const std::string specPath = TreeReader::join(path, "spec");
    if (const TreeNode single = m_reader.child(spec, "podCIDR");
        single.IsDefined() && !single.IsNull()) {
        BULKHEAD_TRY(cidr, m_reader.cidr(single, TreeReader::join(specPath, "podCIDR")));
        out.clusterNetworks.push_back(cidr);
    }
    const TreeNode ranges = m_reader.child(spec, "podCIDRs");
    const std::string rangesPath = TreeReader::join(specPath, "podCIDRs");
    BULKHEAD_TRY(rangeCount, m_reader.sequence(ranges, rangesPath));
    for (size_t i = 0; i < rangeCount; ++i) {
        BULKHEAD_TRY(cidr, m_reader.cidr(ranges[i], TreeReader::index(rangesPath, i)));
        out.clusterNetworks.push_back(cidr);
    }
    out.nodes.push_back(std::move(node));
    return {};
}

Expected<void> KubernetesObjects::addNamespace(const TreeNode &object, const std::string &path,
                                               Inventory &out)
{
    BULKHEAD_TRY(name, objectName(object, path));
    const TreeNode metadata = m_reader.child(object, "metadata");
    BULKHEAD_TRY(labels, m_reader.stringMap(m_reader.child(metadata, "labels"),
                                            TreeReader::join(path, "metadata.labels")));
    Labels &into = out.namespaces[name];
    for (auto &[key, value] : labels)
        into[key] = std::move(value);
    return {};
}

Expected<void> KubernetesObjects::addIngress(const TreeNode &object, const std::string &path,
                                             Inventory &out)
{
    IngressRoutes ingress;
    ingress.sourceFile = m_reader.fileName();
    ingress.sourceLine = TreeReader::line(object);
    BULKHEAD_TRY(name, objectName(object, path));
    BULKHEAD_TRY(ns, objectNamespace(object, path));
    ingress.name = std::move(name);
    ingress.ns = std::move(ns);
    // A backend names a Service (service.name) or another object (resource): only Services route
    // traffic to workloads.
    const auto addBackend
        = [&](const TreeNode &backend, const std::string &backendPath) -> Expected<void> {
        if (!backend.IsDefined() || backend.IsNull())
            return {};
        BULKHEAD_CHECK(m_reader.requireMap(backend, backendPath));
        const TreeNode service = m_reader.child(backend, "service");
        if (!service.IsDefined() || service.IsNull())
            return {};
        const std::string servicePath = TreeReader::join(backendPath, "service");
        BULKHEAD_CHECK(m_reader.requireMap(service, servicePath));
        BULKHEAD_TRY(serviceName, m_reader.string(service, "name", servicePath, ""));
        if (serviceName.empty())
            return m_reader.error(service, servicePath, "the backend Service has no name");
        ingress.services.push_back(std::move(serviceName));
        return {};
    };
    const TreeNode spec = m_reader.child(object, "spec");
    const std::string specPath = TreeReader::join(path, "spec");
    if (spec.IsDefined() && !spec.IsNull()) {
        BULKHEAD_CHECK(m_reader.requireMap(spec, specPath));
        BULKHEAD_CHECK(addBackend(m_reader.child(spec, "defaultBackend"),
                                  TreeReader::join(specPath, "defaultBackend")));
        const TreeNode rules = m_reader.child(spec, "rules");
        const std::string rulesPath = TreeReader::join(specPath, "rules");
        BULKHEAD_TRY(ruleCount, m_reader.sequence(rules, rulesPath));
        for (size_t r = 0; r < ruleCount; ++r) {
            const std::string rulePath = TreeReader::index(rulesPath, r);
            BULKHEAD_CHECK(m_reader.requireMap(rules[r], rulePath));
            const TreeNode http = m_reader.child(rules[r], "http");
            if (!http.IsDefined() || http.IsNull())
                continue;
            const std::string httpPath = TreeReader::join(rulePath, "http");
            BULKHEAD_CHECK(m_reader.requireMap(http, httpPath));
            const TreeNode paths = m_reader.child(http, "paths");
            const std::string pathsPath = TreeReader::join(httpPath, "paths");
            BULKHEAD_TRY(pathCount, m_reader.sequence(paths, pathsPath));
            for (size_t p = 0; p < pathCount; ++p) {
                const std::string entryPath = TreeReader::index(pathsPath, p);
                BULKHEAD_CHECK(m_reader.requireMap(paths[p], entryPath));
                BULKHEAD_CHECK(addBackend(m_reader.child(paths[p], "backend"),
                                          TreeReader::join(entryPath, "backend")));
            }
        }
    }
    std::sort(ingress.services.begin(), ingress.services.end());
    ingress.services.erase(std::unique(ingress.services.begin(), ingress.services.end()),
                           ingress.services.end());
    out.ingresses.push_back(std::move(ingress));
    return {};
}
} // namespace bulkhead
