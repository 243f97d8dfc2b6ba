#!/usr/bin/env python3
"""Writes inventory.yaml: what `kubectl get namespaces,nodes,pods,services,deployments,replicasets,
serviceaccounts -A -o yaml` would print for Online Boutique deployed in namespace `boutique` on a
three-node kind cluster.

Every Deployment, Service and ServiceAccount comes from Google's release manifest (ports, port names,
labels, env, probes unchanged); this script adds what the cluster would have added: ReplicaSets, Pods,
cluster IPs, pod IPs, nodes, CoreDNS, the API server's defaults (protocol: TCP, ...), and the sample's
sensitivity labels. Names, uids and hashes derive from the object names (no randomness), so running
it again writes the same bytes.

    python3 samples/online-boutique/make-inventory.py \
        /work/shared/apps/online-boutique/release/kubernetes-manifests.yaml \
        > samples/online-boutique/inventory.yaml

The addresses here are the ones tests/tools/samplegen.cpp puts in the captures: change both together.
"""
import copy
import hashlib
import re
import sys
import uuid

import yaml

NAMESPACE = "boutique"
SENSITIVITY_KEY = "bulkhead.io/sensitivity"
# The sample's zone choices (README.md, "Zones"). Workloads not listed carry no label: internal.
SENSITIVITY = {
    "frontend": "public",
    "loadgenerator": "public",
    "checkoutservice": "confidential",
    "cartservice": "confidential",
    "paymentservice": "restricted",
    "redis-cart": "restricted",
}

# kind-style nodes: name, InternalIP, IPv4 pod CIDR, IPv6 pod CIDR.
NODES = [
    ("kind-control-plane", "172.18.0.2", "10.244.0.0/24", "fd00:10:244::/64"),
    ("kind-worker", "172.18.0.3", "10.244.1.0/24", "fd00:10:244:1::/64"),
    ("kind-worker2", "172.18.0.4", "10.244.2.0/24", "fd00:10:244:2::/64"),
]

# Deployment -> list of (node name, pod IPs). The first address is the IPv4 one.
PODS = {
    "emailservice": [("kind-worker", ["10.244.1.2"])],
    "checkoutservice": [("kind-worker", ["10.244.1.3"])],
    "currencyservice": [("kind-worker", ["10.244.1.4"])],
    "productcatalogservice": [("kind-worker", ["10.244.1.5"])],
    "cartservice": [("kind-worker", ["10.244.1.6"]), ("kind-worker2", ["10.244.2.7"])],
    "frontend": [("kind-worker", ["10.244.1.10", "fd00:10:244:1::a"]), ("kind-worker2", ["10.244.2.8"])],
    "loadgenerator": [("kind-worker", ["10.244.1.11"])],
    "adservice": [("kind-worker2", ["10.244.2.2"])],
    "recommendationservice": [("kind-worker2", ["10.244.2.3"])],
    "paymentservice": [("kind-worker2", ["10.244.2.4"])],
    "shippingservice": [("kind-worker2", ["10.244.2.5"])],
    "redis-cart": [("kind-worker2", ["10.244.2.6"])],
}

CLUSTER_IPS = {
    "adservice": "10.96.12.147",
    "cartservice": "10.96.44.201",
    "checkoutservice": "10.96.88.23",
    "currencyservice": "10.96.101.5",
    "emailservice": "10.96.143.62",
    "frontend": "10.96.201.17",
    "frontend-external": "10.96.215.90",
    "paymentservice": "10.96.57.230",
    "productcatalogservice": "10.96.130.8",
    "recommendationservice": "10.96.166.44",
    "redis-cart": "10.96.30.117",
    "shippingservice": "10.96.77.182",
}
FRONTEND_EXTERNAL_NODE_PORT = 31080
FRONTEND_EXTERNAL_LB_IP = "172.18.255.200"

CLUSTER_CREATED = "2026-11-02T09:12:04Z"
APP_CREATED = "2026-11-02T09:31:40Z"
PODS_STARTED = "2026-11-02T09:31:41Z"

_resource_version = [1000]


def next_rv():
    _resource_version[0] += 7
    return str(_resource_version[0])


def uid_of(kind, namespace, name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bulkhead-sample/{kind}/{namespace}/{name}"))


# Kubernetes' name suffixes use this alphabet (no vowels, no look-alikes).
_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def suffix(seed, length):
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:length])


def metadata(kind, name, namespace=None, labels=None, created=APP_CREATED, **extra):
    meta = {"name": name, "uid": uid_of(kind, namespace or "", name), "resourceVersion": next_rv(),
            "creationTimestamp": created}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    meta.update(extra)
    return meta


def owner(kind, api_version, name, namespace):
    return {"apiVersion": api_version, "kind": kind, "name": name, "uid": uid_of(kind, namespace, name),
            "controller": True, "blockOwnerDeletion": True}


def default_container(container):
    """The API server's defaults on a container, as `kubectl get -o yaml` shows them."""
    c = copy.deepcopy(container)
    for port in c.get("ports", []):
        port.setdefault("protocol", "TCP")
    c.setdefault("imagePullPolicy", "Always" if c["image"].endswith(":latest") or ":" not in c["image"]
                 else "IfNotPresent")
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    for probe_key in ("readinessProbe", "livenessProbe"):
        probe = c.get(probe_key)
        if probe is None:
            continue
        probe.setdefault("periodSeconds", 10)
        probe.setdefault("timeoutSeconds", 1)
        probe.setdefault("successThreshold", 1)
        probe.setdefault("failureThreshold", 3)
        if "grpc" in probe:
            probe["grpc"].setdefault("service", "")
        if "httpGet" in probe:
            probe["httpGet"].setdefault("scheme", "HTTP")
    return c


def pod_template(deployment):
    template = copy.deepcopy(deployment["spec"]["template"])
    name = deployment["metadata"]["name"]
    if name in SENSITIVITY:
        template["metadata"]["labels"][SENSITIVITY_KEY] = SENSITIVITY[name]
    spec = template["spec"]
    spec["containers"] = [default_container(c) for c in spec["containers"]]
    if "initContainers" in spec:
        spec["initContainers"] = [default_container(c) for c in spec["initContainers"]]
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    return template


def template_hash(template):
    text = yaml.safe_dump(template, sort_keys=True)
    return suffix("pod-template/" + text, 10)


def make_deployment_objects(deployment, pods):
    """Deployment, its ReplicaSet and its Pods (as the controllers would create them)."""
    name = deployment["metadata"]["name"]
    ns = deployment["metadata"].get("namespace", NAMESPACE)
    template = pod_template(deployment)
    hash_ = template_hash(template)
    replicas = len(pods)

    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata("Deployment", name, ns, deployment["metadata"].get("labels"),
                             annotations={"deployment.kubernetes.io/revision": "1"}, generation=1),
        "spec": {
            "replicas": replicas,
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "selector": copy.deepcopy(deployment["spec"]["selector"]),
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": template,
        },
        "status": {"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas,
                   "readyReplicas": replicas, "availableReplicas": replicas},
    }
    rs_name = f"{name}-{hash_}"
    rs_template = copy.deepcopy(template)
    rs_template["metadata"]["labels"]["pod-template-hash"] = hash_
    selector = copy.deepcopy(deployment["spec"]["selector"])
    selector["matchLabels"]["pod-template-hash"] = hash_
    rs_labels = dict(deployment["spec"]["selector"]["matchLabels"])
    rs_labels["pod-template-hash"] = hash_
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": metadata("ReplicaSet", rs_name, ns, rs_labels,
                             annotations={"deployment.kubernetes.io/desired-replicas": str(replicas),
                                          "deployment.kubernetes.io/max-replicas": str(replicas + 1),
                                          "deployment.kubernetes.io/revision": "1"},
                             generation=1,
                             ownerReferences=[owner("Deployment", "apps/v1", name, ns)]),
        "spec": {"replicas": replicas, "selector": selector, "template": rs_template},
        "status": {"observedGeneration": 1, "replicas": replicas, "fullyLabeledReplicas": replicas,
                   "readyReplicas": replicas, "availableReplicas": replicas},
    }

    pod_objects = []
    for index, (node_name, ips) in enumerate(pods):
        pod_name = f"{rs_name}-{suffix(rs_name + '/' + str(index), 5)}"
        node_ip = next(n[1] for n in NODES if n[0] == node_name)
        spec = copy.deepcopy(rs_template["spec"])
        spec["nodeName"] = node_name
        spec.setdefault("serviceAccountName", "default")
        spec["serviceAccount"] = spec["serviceAccountName"]
        containers = spec["containers"]
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": metadata("Pod", pod_name, ns, rs_template["metadata"]["labels"],
                                 created=PODS_STARTED, generateName=rs_name + "-",
                                 ownerReferences=[owner("ReplicaSet", "apps/v1", rs_name, ns)]),
            "spec": spec,
            "status": {
                "phase": "Running",
                "hostIP": node_ip,
                "hostIPs": [{"ip": node_ip}],
                "podIP": ips[0],
                "podIPs": [{"ip": ip} for ip in ips],
                "qosClass": "Burstable",
                "startTime": PODS_STARTED,
                "conditions": [
                    {"type": "Initialized", "status": "True", "lastTransitionTime": PODS_STARTED},
                    {"type": "Ready", "status": "True", "lastTransitionTime": "2026-11-02T09:32:30Z"},
                    {"type": "ContainersReady", "status": "True",
                     "lastTransitionTime": "2026-11-02T09:32:30Z"},
                    {"type": "PodScheduled", "status": "True", "lastTransitionTime": PODS_STARTED},
                ],
                "containerStatuses": [
                    {"name": c["name"], "image": c["image"], "ready": True, "started": True,
                     "restartCount": 0, "state": {"running": {"startedAt": "2026-11-02T09:32:05Z"}}}
                    for c in containers
                ],
            },
        }
        annotations = rs_template["metadata"].get("annotations")
        if annotations:
            pod["metadata"]["annotations"] = dict(annotations)
        pod_objects.append(pod)
    return dep, rs, pod_objects


def make_service(manifest):
    name = manifest["metadata"]["name"]
    spec = copy.deepcopy(manifest["spec"])
    cluster_ip = CLUSTER_IPS[name]
    for port in spec["ports"]:
        port.setdefault("protocol", "TCP")
        if spec.get("type") == "LoadBalancer":
            port["nodePort"] = FRONTEND_EXTERNAL_NODE_PORT
    spec.update({"clusterIP": cluster_ip, "clusterIPs": [cluster_ip], "ipFamilies": ["IPv4"],
                 "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster",
                 "sessionAffinity": "None"})
    status = {"loadBalancer": {}}
    if spec.get("type") == "LoadBalancer":
        # Local: the load balancer keeps the client's address (README: the one change).
        spec["externalTrafficPolicy"] = "Local"
        spec["healthCheckNodePort"] = 32015
        spec["allocateLoadBalancerNodePorts"] = True
        status = {"loadBalancer": {"ingress": [{"ip": FRONTEND_EXTERNAL_LB_IP, "ipMode": "VIP"}]}}
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": metadata("Service", name, NAMESPACE, manifest["metadata"].get("labels")),
            "spec": spec, "status": status}


def make_nodes():
    nodes = []
    for name, ip, cidr4, cidr6 in NODES:
        labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                  "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
        spec = {"podCIDR": cidr4, "podCIDRs": [cidr4, cidr6], "providerID": f"kind://docker/kind/{name}"}
        if name.endswith("control-plane"):
            labels["node-role.kubernetes.io/control-plane"] = ""
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
            spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
        nodes.append({
            "apiVersion": "v1", "kind": "Node",
            "metadata": metadata("Node", name, None, labels, created=CLUSTER_CREATED),
            "spec": spec,
            "status": {
                "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                "message": "kubelet is posting ready status",
                                "lastHeartbeatTime": "2026-11-02T09:58:12Z",
                                "lastTransitionTime": "2026-11-02T09:12:31Z"}],
                "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.18",
                             "kernelVersion": "6.1.0-26-amd64", "kubeProxyVersion": "v1.31.0",
                             "kubeletVersion": "v1.31.0", "operatingSystem": "linux",
                             "osImage": "Debian GNU/Linux 12 (bookworm)"},
            },
        })
    return nodes


def make_namespaces():
    return [{"apiVersion": "v1", "kind": "Namespace",
             "metadata": metadata("Namespace", ns, None, {"kubernetes.io/metadata.name": ns},
                                  created=created),
             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
            for ns, created in (("boutique", "2026-11-02T09:31:38Z"), ("kube-system", CLUSTER_CREATED))]


def coredns_objects():
    """kind's CoreDNS: Deployment coredns (k8s-app: kube-dns), two pods on the control plane, and
    the kube-dns Service at 10.96.0.10."""
    deployment = {
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "serviceAccountName": "coredns",
                    "priorityClassName": "system-cluster-critical",
                    "dnsPolicy": "Default",
                    "containers": [{
                        "name": "coredns",
                        "image": "registry.k8s.io/coredns/coredns:v1.11.1",
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                  {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                  {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181}},
                        "livenessProbe": {"httpGet": {"path": "/health", "port": 8080},
                                          "initialDelaySeconds": 60, "timeoutSeconds": 5,
                                          "failureThreshold": 5},
                    }],
                },
            },
        },
    }
    dep, rs, pods = make_deployment_objects(
        deployment, [("kind-control-plane", ["10.244.0.2"]), ("kind-control-plane", ["10.244.0.3"])])
    for obj in [dep, rs] + pods:
        obj["metadata"]["creationTimestamp"] = CLUSTER_CREATED
    for pod in pods:
        pod["spec"]["tolerations"] = [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                      {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
        pod["status"]["qosClass"] = "Burstable"
    svc = {
        "apiVersion": "v1", "kind": "Service",
        "metadata": metadata("Service", "kube-dns", "kube-system",
                             {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                              "kubernetes.io/name": "CoreDNS"},
                             created=CLUSTER_CREATED,
                             annotations={"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}),
        "spec": {
            "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster", "sessionAffinity": "None",
            "type": "ClusterIP", "selector": {"k8s-app": "kube-dns"},
            "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                      {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                      {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
        },
        "status": {"loadBalancer": {}},
    }
    return dep, rs, pods, svc


class KubectlDumper(yaml.SafeDumper):
    """Writes multi-line strings (the loadgenerator's init script) as literal blocks, as kubectl does."""


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


KubectlDumper.add_representer(str, _represent_str)


def main():
    with open(sys.argv[1]) as f:
        manifests = [doc for doc in yaml.safe_load_all(f) if doc]

    namespaces = make_namespaces()
    nodes = make_nodes()
    deployments, replicasets, pods, services, accounts = [], [], [], [], []
    for doc in manifests:
        kind = doc["kind"]
        if kind == "Deployment":
            doc["metadata"]["namespace"] = NAMESPACE
            dep, rs, ps = make_deployment_objects(doc, PODS[doc["metadata"]["name"]])
            deployments.append(dep)
            replicasets.append(rs)
            pods.extend(ps)
        elif kind == "Service":
            services.append(make_service(doc))
        elif kind == "ServiceAccount":
            accounts.append({"apiVersion": "v1", "kind": "ServiceAccount",
                             "metadata": metadata("ServiceAccount", doc["metadata"]["name"], NAMESPACE)})
        else:
            raise SystemExit(f"unexpected kind {kind} in {sys.argv[1]}")
    if sorted(d["metadata"]["name"] for d in deployments) != sorted(PODS):
        raise SystemExit("the manifest's Deployments differ from the sample's pod placement")

    dns_dep, dns_rs, dns_pods, dns_svc = coredns_objects()
    deployments.append(dns_dep)
    replicasets.append(dns_rs)
    pods.extend(dns_pods)
    services.append(dns_svc)

    def order(objs):
        return sorted(objs, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))

    # kubectl prints the types in the order asked for, each sorted by namespace and name.
    items = (order(namespaces) + order(nodes) + order(pods) + order(services) + order(deployments)
             + order(replicasets) + order(accounts))
    listing = {"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}}
    text = yaml.dump(listing, Dumper=KubectlDumper, sort_keys=True, default_flow_style=False, width=100)
    # kubectl double-quotes the strings that need quoting ("true", "8080", timestamps).
    text = re.sub(r"(?m)([:-] )'([^'\\\"\n]*)'$", r'\1"\2"', text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
