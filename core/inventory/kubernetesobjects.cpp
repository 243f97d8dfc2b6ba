#include "inventory/kubernetesobjects.h"

#include "util/yamlreader.h"
#include "util/yamltree.h"

#include <algorithm>

namespace bulkhead {

void KubernetesObjects::addPortOnce(std::vector<ContainerPort> &ports, const ContainerPort &port)
{
    if (std::find(ports.begin(), ports.end(), port) == ports.end())
        ports.push_back(port);
}

bool KubernetesObjects::isAllDigits(std::string_view text)
{
    return !text.empty()
           && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

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
