#pragma once

#include "inventory/inventory.h"
#include "util/error.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace bulkhead {

class TreeNode;
template <class Node>
class BasicYamlReader;
using TreeReader = BasicYamlReader<TreeNode>;

// The Kubernetes objects of one inventory file, collected one by one (Namespace, Pod, Service,
// Node, Endpoints, EndpointSlice, Ingress and the pod controllers), then turned into workloads:
// each pod joins the workload of its top controller (ReplicaSet -> Deployment, Job -> CronJob), and
// a controller without any pod in the file becomes a workload of its pod template, without
// addresses.
class KubernetesObjects
{
public:
    explicit KubernetesObjects(TreeReader &reader);

    static bool isControllerKind(std::string_view kind);
    static bool isReadKind(std::string_view kind); // read by add(); other kinds are skipped
    // The kind of a typed list's items ("PodList" -> "Pod"), which the API server leaves out of
    // each item; empty for a plain List, whose items must say their kind.
    static std::string itemKindOfList(std::string_view listKind);

    // One object (not a List); path is its field path ("items[3]" or "" for a document).
    Expected<void> add(const TreeNode &object, const std::string &kind, const std::string &path,
                       Inventory &out);
    // Adds the workloads, with their warnings, to out.
    void build(Inventory &out);

private:
    struct OwnerRef
    {
        std::string kind;
        std::string name;
    };
    struct PodInfo
    {
        std::string ns, name;
        Labels labels;
        OwnerRef owner;
        std::string podTemplateHash;
        std::vector<ContainerPort> ports;
        PodMember member;
        int line = 0;
    };
    struct ControllerInfo
    {
        std::string kind, ns, name;
        OwnerRef owner;
        Labels templateLabels;
        std::vector<ContainerPort> templatePorts;
        int line = 0;
    };
    using Key = std::tuple<std::string, std::string, std::string>; // kind, namespace, name

    Expected<void> addPod(const TreeNode &object, const std::string &path, Inventory &out);
    Expected<void> addController(const TreeNode &object, const std::string &kind,
                                 const std::string &path);
    Expected<void> addService(const TreeNode &object, const std::string &path, Inventory &out);
    Expected<void> addNode(const TreeNode &object, const std::string &path, Inventory &out);
    Expected<void> addEndpoints(const TreeNode &object, const std::string &path, Inventory &out);
    Expected<void> addEndpointSlice(const TreeNode &object, const std::string &path,
                                    Inventory &out);
    Expected<std::vector<ContainerPort>> endpointPorts(const TreeNode &ports,
                                                       const std::string &path);
    Expected<void> addServiceEdge(const TreeNode &spec, const TreeNode &status,
                                  const std::string &path, Service &service);
    Expected<void> addNamespace(const TreeNode &object, const std::string &path, Inventory &out);
    Expected<void> addIngress(const TreeNode &object, const std::string &path, Inventory &out);

    Expected<std::string> objectNamespace(const TreeNode &object, const std::string &path);
    Expected<std::string> objectName(const TreeNode &object, const std::string &path);
    Expected<OwnerRef> controllerOf(const TreeNode &object, const std::string &path);
    Expected<std::vector<ContainerPort>> podSpecPorts(const TreeNode &podSpec,
                                                      const std::string &path);
    Expected<void> containerPorts(const TreeNode &containers, const std::string &path,
                                  bool sidecarsOnly, std::vector<ContainerPort> &ports);

    // The workload (kind, name) a pod owned by owner belongs to.
    OwnerRef workloadOf(const std::string &ns, const OwnerRef &owner,
                        const std::string &podTemplateHash) const;
    const ControllerInfo *controller(const std::string &kind, const std::string &ns,
                                     const std::string &name) const;

    static void addPortOnce(std::vector<ContainerPort> &ports, const ContainerPort &port);
    static bool isAllDigits(std::string_view text);

    TreeReader &m_reader;
    std::vector<PodInfo> m_pods;
    std::map<Key, ControllerInfo> m_controllers;
};

} // namespace bulkhead
