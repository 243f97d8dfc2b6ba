#include "inventory/kubernetesobjects.h"

#include "util/yamlreader.h"
#include "util/yamltree.h"

#include <algorithm>

namespace bulkhead {

namespace {

void addPortOnce(std::vector<ContainerPort> &ports, const ContainerPort &port)
{
    if (std::find(ports.begin(), ports.end(), port) == ports.end())
        ports.push_back(port);
}

bool isAllDigits(std::string_view text)
{
    return !text.empty()
           && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

KubernetesObjects::KubernetesObjects(TreeReader &reader)
    : m_reader(reader)
{
}

bool KubernetesObjects::isControllerKind(std::string_view kind)
{
    return kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet"
           || kind == "DaemonSet" || kind == "Job" || kind == "CronJob";
}

bool KubernetesObjects::isReadKind(std::string_view kind)
{
    return kind == "Pod" || kind == "Service" || kind == "Node" || kind == "Namespace"
           || kind == "Endpoints" || kind == "EndpointSlice" || kind == "Ingress"
           || isControllerKind(kind);
}

std::string KubernetesObjects::itemKindOfList(std::string_view listKind)
{
    if (listKind == "List" || !listKind.ends_with("List"))
        return {};
    return std::string(listKind.substr(0, listKind.size() - 4));
}

Expected<void> KubernetesObjects::add(const TreeNode &object, const std::string &kind,
                                      const std::string &path, Inventory &out)
{
    if (kind == "Pod")
        return addPod(object, path, out);
    if (kind == "Service")
        return addService(object, path, out);
    if (kind == "Node")
        return addNode(object, path, out);
    if (kind == "Namespace")
        return addNamespace(object, path, out);
    if (kind == "Endpoints")
        return addEndpoints(object, path, out);
    if (kind == "EndpointSlice")
        return addEndpointSlice(object, path, out);
    if (kind == "Ingress")
        return addIngress(object, path, out);
    if (isControllerKind(kind))
        return addController(object, kind, path);
    ++out.skippedKinds[kind];
    return {};
}

Expected<std::string> KubernetesObjects::objectNamespace(const TreeNode &object,
                                                         const std::string &path)
{
    const TreeNode metadata = m_reader.child(object, "metadata");
    BULKHEAD_TRY(
        ns, m_reader.string(metadata, "namespace", TreeReader::join(path, "metadata"), "default"));
    if (ns.empty())
        ns = "default";
    return ns;
}

Expected<std::string> KubernetesObjects::objectName(const TreeNode &object, const std::string &path)
{
    const TreeNode metadata = m_reader.child(object, "metadata");
    const std::string metadataPath = TreeReader::join(path, "metadata");
    BULKHEAD_CHECK(m_reader.requireMap(metadata.IsDefined() ? metadata : object,
                                       metadata.IsDefined() ? metadataPath : path));
    const TreeNode name = m_reader.child(metadata, "name");
    if (!name.IsDefined())
        return m_reader.error(object, path, "the object has no metadata.name");
    BULKHEAD_TRY(text, m_reader.string(name, TreeReader::join(metadataPath, "name")));
    if (text.empty())
        return m_reader.error(name, TreeReader::join(metadataPath, "name"), "the name is empty");
    return text;
}

Expected<KubernetesObjects::OwnerRef> KubernetesObjects::controllerOf(const TreeNode &object,
                                                                      const std::string &path)
{
    const TreeNode metadata = m_reader.child(object, "metadata");
    const TreeNode refs = m_reader.child(metadata, "ownerReferences");
    const std::string refsPath
        = TreeReader::join(TreeReader::join(path, "metadata"), "ownerReferences");
    BULKHEAD_TRY(count, m_reader.sequence(refs, refsPath));
    for (size_t i = 0; i < count; ++i) {
        const TreeNode ref = refs[i];
        const std::string refPath = TreeReader::index(refsPath, i);
        BULKHEAD_CHECK(m_reader.requireMap(ref, refPath));
        const TreeNode isController = m_reader.child(ref, "controller");
        if (!isController.IsDefined())
            continue;
        BULKHEAD_TRY(yes, m_reader.boolean(isController, TreeReader::join(refPath, "controller")));
        if (!yes)
            continue;
        BULKHEAD_TRY(
            kind, m_reader.string(m_reader.child(ref, "kind"), TreeReader::join(refPath, "kind")));
        BULKHEAD_TRY(
            name, m_reader.string(m_reader.child(ref, "name"), TreeReader::join(refPath, "name")));
        return OwnerRef{std::move(kind), std::move(name)};
    }
    return OwnerRef{};
}

Expected<void> KubernetesObjects::containerPorts(const TreeNode &containers,
                                                 const std::string &path, bool sidecarsOnly,
                                                 std::vector<ContainerPort> &ports)
{
    BULKHEAD_TRY(count, m_reader.sequence(containers, path));
    for (size_t i = 0; i < count; ++i) {
        const TreeNode container = containers[i];
        const std::string containerPath = TreeReader::index(path, i);
        BULKHEAD_CHECK(m_reader.requireMap(container, containerPath));
        if (sidecarsOnly) {
            // An init container with restartPolicy Always is a sidecar: it keeps running.
            BULKHEAD_TRY(policy, m_reader.string(container, "restartPolicy", containerPath, ""));
            if (policy != "Always")
                continue;
        }
        const TreeNode portList = m_reader.child(container, "ports");
        const std::string portsPath = TreeReader::join(containerPath, "ports");
        BULKHEAD_TRY(portCount, m_reader.sequence(portList, portsPath));
        for (size_t j = 0; j < portCount; ++j) {
            const TreeNode entry = portList[j];
            const std::string entryPath = TreeReader::index(portsPath, j);
            BULKHEAD_CHECK(m_reader.requireMap(entry, entryPath));
            ContainerPort port;
            BULKHEAD_TRY(name, m_reader.string(entry, "name", entryPath, ""));
            port.name = std::move(name);
            const TreeNode number = m_reader.child(entry, "containerPort");
            if (!number.IsDefined())
                return m_reader.error(entry, entryPath, "the port has no containerPort");
            BULKHEAD_TRY(value,
                         m_reader.port(number, TreeReader::join(entryPath, "containerPort")));
            port.port = value;
            const TreeNode protocol = m_reader.child(entry, "protocol");
            if (protocol.IsDefined()) {
                BULKHEAD_TRY(p,
                             m_reader.protocol(protocol, TreeReader::join(entryPath, "protocol")));
                port.protocol = p;
            }
            addPortOnce(ports, port);
        }
    }
    return {};
}

Expected<std::vector<ContainerPort>> KubernetesObjects::podSpecPorts(const TreeNode &podSpec,
                                                                     const std::string &path)
{
    std::vector<ContainerPort> ports;
    if (!podSpec.IsDefined())
        return ports;
    BULKHEAD_CHECK(m_reader.requireMap(podSpec, path));
    // The main containers' ports first, then those of sidecars (restartPolicy: Always).
    BULKHEAD_CHECK(containerPorts(m_reader.child(podSpec, "containers"),
                                  TreeReader::join(path, "containers"), false, ports));
    BULKHEAD_CHECK(containerPorts(m_reader.child(podSpec, "initContainers"),
                                  TreeReader::join(path, "initContainers"), true, ports));
    return ports;
}

Expected<void> KubernetesObjects::addPod(const TreeNode &object, const std::string &path,
                                         Inventory &out)
{
    PodInfo pod;
    pod.line = TreeReader::line(object);
    BULKHEAD_TRY(name, objectName(object, path));
    BULKHEAD_TRY(ns, objectNamespace(object, path));
    pod.name = std::move(name);
    pod.ns = std::move(ns);
    pod.member.name = pod.name;
    const TreeNode metadata = m_reader.child(object, "metadata");
    const std::string metadataPath = TreeReader::join(path, "metadata");
    BULKHEAD_TRY(labels, m_reader.stringMap(m_reader.child(metadata, "labels"),
                                            TreeReader::join(metadataPath, "labels")));
    pod.labels = std::move(labels);
    if (auto hash = pod.labels.find("pod-template-hash"); hash != pod.labels.end())
        pod.podTemplateHash = hash->second;
    BULKHEAD_TRY(owner, controllerOf(object, path));
    pod.owner = std::move(owner);

    const TreeNode spec = m_reader.child(object, "spec");
    const std::string specPath = TreeReader::join(path, "spec");
    BULKHEAD_TRY(ports, podSpecPorts(spec, specPath));
    pod.ports = std::move(ports);
    bool hostNetwork = false;
    if (const TreeNode hn = m_reader.child(spec, "hostNetwork"); hn.IsDefined()) {
        BULKHEAD_TRY(value, m_reader.boolean(hn, TreeReader::join(specPath, "hostNetwork")));
        hostNetwork = value;
    }

    const TreeNode status = m_reader.child(object, "status");
    const std::string statusPath = TreeReader::join(path, "status");
    BULKHEAD_TRY(phase, m_reader.string(status, "phase", statusPath, ""));
    const TreeNode podIps = m_reader.child(status, "podIPs");
    const std::string podIpsPath = TreeReader::join(statusPath, "podIPs");
    BULKHEAD_TRY(ipCount, m_reader.sequence(podIps, podIpsPath));
    for (size_t i = 0; i < ipCount; ++i) {
        const TreeNode entry = podIps[i];
        const std::string entryPath = TreeReader::index(podIpsPath, i);
        BULKHEAD_CHECK(m_reader.requireMap(entry, entryPath));
        BULKHEAD_TRY(
            ip, m_reader.ipAddress(m_reader.child(entry, "ip"), TreeReader::join(entryPath, "ip")));
        if (std::find(pod.member.addresses.begin(), pod.member.addresses.end(), ip)
            == pod.member.addresses.end())
            pod.member.addresses.push_back(ip);
    }
    if (pod.member.addresses.empty()) {
        if (const TreeNode podIp = m_reader.child(status, "podIP"); podIp.IsDefined()) {
            BULKHEAD_TRY(ip, m_reader.ipAddress(podIp, TreeReader::join(statusPath, "podIP")));
            pod.member.addresses.push_back(ip);
        }
    }
    if (const TreeNode hostIp = m_reader.child(status, "hostIP"); hostIp.IsDefined()) {
        BULKHEAD_TRY(ip, m_reader.ipAddress(hostIp, TreeReader::join(statusPath, "hostIP")));
        pod.member.hostIp = ip;
    }

    const std::string id = pod.ns + '/' + pod.name;
    if (phase == "Succeeded" || phase == "Failed") {
        // A finished pod's address may already belong to another pod: never attribute it.
        if (!pod.member.addresses.empty())
            out.warnings.push_back({m_reader.fileName(), pod.line,
                                    "pod " + id + " has finished (phase " + phase
                                        + "): its address is not attributed to it"});
        pod.member.addresses.clear();
    } else if (pod.member.addresses.empty()) {
        out.warnings.push_back({m_reader.fileName(), pod.line,
                                "pod " + id + " has no IP address"
                                    + (phase.empty() ? std::string() : " (phase " + phase + ")")
                                    + ": kept as a member of its workload, without addresses"});
    }
    // Summarised once in build(). A dump without spec.hostNetwork still shows it: podIP == hostIP.
    pod.member.hostNetwork = hostNetwork
                             || (pod.member.hostIp
                                 && std::find(pod.member.addresses.begin(),
                                              pod.member.addresses.end(), *pod.member.hostIp)
                                        != pod.member.addresses.end());
    m_pods.push_back(std::move(pod));
    return {};
}

Expected<void> KubernetesObjects::addController(const TreeNode &object, const std::string &kind,
                                                const std::string &path)
{
    ControllerInfo info;
    info.kind = kind;
    info.line = TreeReader::line(object);
    BULKHEAD_TRY(name, objectName(object, path));
    BULKHEAD_TRY(ns, objectNamespace(object, path));
    info.name = std::move(name);
    info.ns = std::move(ns);
    BULKHEAD_TRY(owner, controllerOf(object, path));
    info.owner = std::move(owner);

    TreeNode spec = m_reader.child(object, "spec");
    std::string specPath = TreeReader::join(path, "spec");
    if (kind == "CronJob") {
        const TreeNode jobTemplate = m_reader.child(spec, "jobTemplate");
        specPath = TreeReader::join(TreeReader::join(specPath, "jobTemplate"), "spec");
        spec = m_reader.child(jobTemplate, "spec");
    }
    const TreeNode podTemplate = m_reader.child(spec, "template");
    const std::string templatePath = TreeReader::join(specPath, "template");
    const TreeNode templateMetadata = m_reader.child(podTemplate, "metadata");
    BULKHEAD_TRY(labels, m_reader.stringMap(m_reader.child(templateMetadata, "labels"),
                                            TreeReader::join(templatePath, "metadata.labels")));
    info.templateLabels = std::move(labels);
    BULKHEAD_TRY(ports, podSpecPorts(m_reader.child(podTemplate, "spec"),
                                     TreeReader::join(templatePath, "spec")));
    info.templatePorts = std::move(ports);
    Key key{info.kind, info.ns, info.name};
    m_controllers.try_emplace(std::move(key), std::move(info));
    return {};
}

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

const KubernetesObjects::ControllerInfo *
KubernetesObjects::controller(const std::string &kind, const std::string &ns,
                              const std::string &name) const
{
    const auto it = m_controllers.find(Key{kind, ns, name});
    return it == m_controllers.end() ? nullptr : &it->second;
}

KubernetesObjects::OwnerRef KubernetesObjects::workloadOf(const std::string &ns,
                                                          const OwnerRef &owner,
                                                          const std::string &podTemplateHash) const
{
    if (owner.kind == "ReplicaSet") {
        if (const ControllerInfo *rs = controller("ReplicaSet", ns, owner.name)) {
            if (!rs->owner.kind.empty())
                return rs->owner; // normally its Deployment
            return owner;
        }
        // The ReplicaSet is not in the inventory: a Deployment names it "<deployment>-<hash>".
        const std::string suffix = '-' + podTemplateHash;
        if (!podTemplateHash.empty() && owner.name.size() > suffix.size()
            && owner.name.ends_with(suffix))
            return OwnerRef{"Deployment", owner.name.substr(0, owner.name.size() - suffix.size())};
        return owner;
    }
    if (owner.kind == "Job") {
        if (const ControllerInfo *job = controller("Job", ns, owner.name)) {
            if (!job->owner.kind.empty())
                return job->owner; // normally its CronJob
            return owner;
        }
        // The Job is not in the inventory: a CronJob names its jobs "<cronjob>-<minutes>".
        for (const auto &[key, info] : m_controllers) {
            if (info.kind != "CronJob" || info.ns != ns)
                continue;
            const std::string prefix = info.name + '-';
            if (owner.name.starts_with(prefix) && isAllDigits(owner.name.substr(prefix.size())))
                return OwnerRef{"CronJob", info.name};
        }
        return owner;
    }
    return owner;
}

void KubernetesObjects::build(Inventory &out)
{
    // Pods sorted by name: the first one gives the workload its labels.
    std::sort(m_pods.begin(), m_pods.end(), [](const PodInfo &a, const PodInfo &b) {
        return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
    });
    std::map<std::pair<std::string, std::string>, Workload> workloads; // (ns, name)
    for (PodInfo &pod : m_pods) {
        OwnerRef owner;
        // A static pod's controller is its Node: it is a pod on its own.
        if (!pod.owner.kind.empty() && pod.owner.kind != "Node")
            owner = workloadOf(pod.ns, pod.owner, pod.podTemplateHash);
        if (owner.kind.empty())
            owner = OwnerRef{"Pod", pod.name};
        auto [it, inserted] = workloads.try_emplace({pod.ns, owner.name});
        Workload &w = it->second;
        if (inserted) {
            w.ns = pod.ns;
            w.name = owner.name;
            w.kind = owner.kind;
            w.labels = pod.labels;
            w.sourceFile = m_reader.fileName();
            w.sourceLine = pod.line;
        } else if (w.kind != owner.kind) {
            out.warnings.push_back({m_reader.fileName(), pod.line,
                                    "pod " + pod.ns + '/' + pod.name + " belongs to " + owner.kind
                                        + ' ' + owner.name + ", which has the name of a " + w.kind
                                        + ": they are taken as one workload"});
        }
        for (const ContainerPort &port : pod.ports)
            addPortOnce(w.ports, port);
        w.pods.push_back(std::move(pod.member));
    }

    // Controllers without pods: a workload from the pod template. Top controllers first, so that
    // a Deployment's own template wins over its ReplicaSets'.
    std::vector<const ControllerInfo *> order;
    for (const auto &[key, info] : m_controllers)
        order.push_back(&info);
    std::stable_partition(order.begin(), order.end(),
                          [](const ControllerInfo *c) { return c->owner.kind.empty(); });
    for (const ControllerInfo *c : order) {
        OwnerRef top{c->kind, c->name};
        if (c->kind == "ReplicaSet" || c->kind == "Job")
            top = workloadOf(c->ns, top, std::string());
        auto [it, inserted] = workloads.try_emplace({c->ns, top.name});
        if (!inserted)
            continue;
        Workload &w = it->second;
        w.ns = c->ns;
        w.name = top.name;
        w.kind = top.kind;
        w.labels = c->templateLabels;
        w.ports = c->templatePorts;
        w.sourceFile = m_reader.fileName();
        w.sourceLine = c->line;
        out.warnings.push_back({m_reader.fileName(), c->line,
                                top.kind + ' ' + c->ns + '/' + top.name
                                    + " has no pods in the inventory: taken from its pod "
                                      "template, without addresses"});
    }
    for (auto &[key, w] : workloads)
        out.workloads.push_back(std::move(w));

    // One line per file for the pods on the host network, however many.
    std::vector<std::string> hostNetworkWorkloads;
    size_t hostNetworkPods = 0;
    for (const Workload &w : out.workloads) {
        const size_t pods = static_cast<size_t>(std::count_if(
            w.pods.begin(), w.pods.end(), [](const PodMember &p) { return p.hostNetwork; }));
        if (pods > 0)
            hostNetworkWorkloads.push_back(w.id());
        hostNetworkPods += pods;
    }
    if (!hostNetworkWorkloads.empty()) {
        std::string names;
        for (size_t i = 0; i < hostNetworkWorkloads.size() && i < 5; ++i)
            names += (i ? ", " : "") + hostNetworkWorkloads[i];
        if (hostNetworkWorkloads.size() > 5)
            names += ", +" + std::to_string(hostNetworkWorkloads.size() - 5) + " more";
        out.warnings.push_back(
            {m_reader.fileName(), 0,
             std::to_string(hostNetworkPods) + " pod(s) of "
                 + std::to_string(hostNetworkWorkloads.size())
                 + " workload(s) use the host network (" + names
                 + "): their address is their node's; traffic to their declared ports is theirs, "
                   "any other "
                   "traffic of that address is the node's; a NetworkPolicy cannot isolate them, so "
                   "they get "
                   "no policy of their own and their peers reach them by node address (ipBlock)"});
    }

    // One line per file for every kind skipped (ConfigMap, Secret, custom resources, ...).
    if (!out.skippedKinds.empty()) {
        int total = 0;
        std::string kinds;
        for (const auto &[kind, count] : out.skippedKinds) {
            total += count;
            kinds += (kinds.empty() ? "" : ", ") + kind + " (" + std::to_string(count) + ')';
        }
        out.warnings.push_back({m_reader.fileName(), 0,
                                "skipped " + std::to_string(total)
                                    + " object(s) of kinds Bulkhead does not read: " + kinds});
    }
}

} // namespace bulkhead
