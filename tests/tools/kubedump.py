#!/usr/bin/env python3
"""kubedump.py PODS OUT.yaml|OUT.json: a realistic `kubectl get ns,deploy,rs,pods,svc -A -o yaml|json` dump.

Objects look like a real cluster's: managedFields, last-applied-configuration annotations, full pod
specs (env, volume mounts, probes, resources) and statuses (conditions, container statuses), about
11 KB of YAML a pod. PODS pods in deployments of 5 replicas (one ReplicaSet and one Service each),
spread over 20 namespaces; pod i has the address 10.<16 + i / 65536>.<i / 256 % 256>.<i % 256>
(all distinct). The output format follows the file's extension:
YAML as kubectl prints it (a List, block style) or JSON as kubectl prints it (a List, 4-space indent).
Each object is rendered once as a template and filled in per object, so a 10,000-pod dump takes a
second or two. The same arguments give the same file.
"""
import json
import re
import sys

import yaml

REPLICAS = 5
NAMESPACES = 20


def pod_address(i):
    return f"10.{16 + i // 65536}.{i // 256 % 256}.{i % 256}"


def service_address(d):
    return f"172.20.{d // 256 % 256}.{d % 256}"


def managed_fields(manager, fields):
    return [{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": fields, "manager": manager,
             "operation": "Update", "time": "2026-11-02T10:14:07Z"}]


def container(name, port):
    env = [{"name": f"SETTING_{k}", "value": f"value-{k}-for-@NAME@"} for k in range(40)]
    env.append({"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}})
    return {
        "env": env,
        "image": f"registry.example.com/shop/{name}:v1.4.2",
        "imagePullPolicy": "IfNotPresent",
        "livenessProbe": {"failureThreshold": 3, "httpGet": {"path": "/healthz", "port": port, "scheme": "HTTP"},
                          "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
        "name": name,
        "ports": [{"containerPort": port, "name": "http", "protocol": "TCP"},
                  {"containerPort": 9090, "name": "metrics", "protocol": "TCP"}],
        "readinessProbe": {"failureThreshold": 3, "httpGet": {"path": "/ready", "port": port, "scheme": "HTTP"},
                           "periodSeconds": 5, "successThreshold": 1, "timeoutSeconds": 1},
        "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                            "readOnlyRootFilesystem": True, "runAsNonRoot": True},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "volumeMounts": [{"mountPath": "/etc/config", "name": "config", "readOnly": True},
                         {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                          "name": "kube-api-access-@HASH@", "readOnly": True}],
    }


def pod_spec():
    return {
        "containers": [container("@APP@", 8080)],
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": True,
        "nodeName": "@NODE@",
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {"fsGroup": 2000},
        "serviceAccount": "default",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
                         "tolerationSeconds": 300},
                        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
                         "tolerationSeconds": 300}],
        "volumes": [{"configMap": {"defaultMode": 420, "name": "@APP@-config"}, "name": "config"},
                    {"name": "kube-api-access-@HASH@", "projected": {"defaultMode": 420, "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                                    "path": "namespace"}]}}]}}],
    }


def last_applied(kind):
    body = {"apiVersion": "apps/v1" if kind != "Service" else "v1", "kind": kind,
            "metadata": {"annotations": {}, "labels": {"app": "@APP@"}, "name": "@APP@", "namespace": "@NS@"},
            "spec": {"selector": {"app": "@APP@"}, "template": {"spec": pod_spec()}}}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


POD_FIELDS = {"f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:app": {}, "f:pod-template-hash": {}},
                             "f:ownerReferences": {".": {}, "k:{\"uid\":\"@UID@\"}": {}}},
              "f:spec": {"f:containers": {"k:{\"name\":\"@APP@\"}": {".": {}, "f:env": {".": {}},
                                                                     "f:image": {}, "f:imagePullPolicy": {},
                                                                     "f:livenessProbe": {".": {}},
                                                                     "f:ports": {".": {}}, "f:resources": {".": {}},
                                                                     "f:volumeMounts": {".": {}}}},
                         "f:dnsPolicy": {}, "f:restartPolicy": {}, "f:volumes": {".": {}}}}
STATUS_FIELDS = {"f:status": {"f:conditions": {"k:{\"type\":\"Ready\"}": {".": {}, "f:status": {}, "f:type": {}}},
                              "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {},
                              "f:podIPs": {".": {}, "k:{\"ip\":\"@IP@\"}": {".": {}, "f:ip": {}}},
                              "f:startTime": {}}}


def pod():
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-11-02T10:14:07Z",
                            "prometheus.io/scrape": "true"},
            "creationTimestamp": "2026-11-02T10:14:07Z",
            "generateName": "@APP@-@HASH@-",
            "labels": {"app": "@APP@", "pod-template-hash": "@HASH@", "tier": "backend"},
            "managedFields": managed_fields("kube-controller-manager", POD_FIELDS) + managed_fields("kubectl-rollout", POD_FIELDS)
            + managed_fields("kubelet", STATUS_FIELDS),
            "name": "@NAME@", "namespace": "@NS@",
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                 "kind": "ReplicaSet", "name": "@APP@-@HASH@", "uid": "@UID@"}],
            "resourceVersion": "@RV@", "uid": "@UID@",
        },
        "spec": pod_spec(),
        "status": {
            "conditions": [{"lastProbeTime": None, "lastTransitionTime": "2026-11-02T10:14:07Z", "status": "True",
                            "type": t} for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "containerStatuses": [{"containerID": "containerd://@UID@@UID@", "image": "registry.example.com/shop/@APP@:v1.4.2",
                                   "imageID": "registry.example.com/shop/@APP@@sha256:@UID@@UID@",
                                   "lastState": {}, "name": "@APP@", "ready": True, "restartCount": 0,
                                   "started": True, "state": {"running": {"startedAt": "2026-11-02T10:14:09Z"}}}],
            "hostIP": "@HOSTIP@", "phase": "Running", "podIP": "@IP@", "podIPs": [{"ip": "@IP@"}],
            "qosClass": "Burstable", "startTime": "2026-11-02T10:14:07Z",
        },
    }


def controller(kind):
    meta = {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": last_applied(kind) + "\n"},
            "creationTimestamp": "2026-11-02T10:14:07Z", "generation": 3,
            "labels": {"app": "@APP@"},
            "managedFields": managed_fields("kubectl-client-side-apply", POD_FIELDS),
            "name": "@APP@" if kind == "Deployment" else "@APP@-@HASH@", "namespace": "@NS@",
            "resourceVersion": "@RV@", "uid": "@UID@"}
    if kind == "ReplicaSet":
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                    "kind": "Deployment", "name": "@APP@", "uid": "@UID@"}]
    labels = {"app": "@APP@"} if kind == "Deployment" else {"app": "@APP@", "pod-template-hash": "@HASH@"}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta,
            "spec": {"replicas": REPLICAS, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": pod_spec()}},
            "status": {"availableReplicas": REPLICAS, "readyReplicas": REPLICAS, "replicas": REPLICAS,
                       "conditions": [{"lastTransitionTime": "2026-11-02T10:14:07Z", "lastUpdateTime":
                                       "2026-11-02T10:14:07Z", "message": "has minimum availability.",
                                       "reason": "MinimumReplicasAvailable", "status": "True", "type": "Available"}]}}


def service():
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": last_applied("Service") + "\n"},
                         "creationTimestamp": "2026-11-02T10:14:07Z", "labels": {"app": "@APP@"},
                         "managedFields": managed_fields("kubectl-client-side-apply", POD_FIELDS),
                         "name": "@APP@", "namespace": "@NS@", "resourceVersion": "@RV@", "uid": "@UID@"},
            "spec": {"clusterIP": "@VIP@", "clusterIPs": ["@VIP@"], "internalTrafficPolicy": "Cluster",
                     "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
                     "selector": {"app": "@APP@"}, "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}}


def namespace():
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"creationTimestamp": "2026-11-02T10:14:07Z",
                         "labels": {"kubernetes.io/metadata.name": "@NS@", "team": "@NS@"},
                         "name": "@NS@", "resourceVersion": "@RV@", "uid": "@UID@"},
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


class KubectlDumper(yaml.SafeDumper):
    """Writes shared Python objects out in full each time, as kubectl does (no anchors/aliases)."""

    def ignore_aliases(self, data):
        return True


def render(obj, as_json):
    if as_json:
        text = json.dumps(obj, indent=4, sort_keys=True)
        return "\n".join("        " + line for line in text.split("\n"))  # inside "items": [ ... ]
    text = yaml.dump([obj], Dumper=KubectlDumper, default_flow_style=False, sort_keys=True, width=1 << 30)
    return text.rstrip("\n")


def main():
    pods, out = int(sys.argv[1]), sys.argv[2]
    as_json = out.endswith(".json")
    templates = {name: render(make(), as_json) for name, make in
                 (("Namespace", namespace), ("Deployment", lambda: controller("Deployment")),
                  ("ReplicaSet", lambda: controller("ReplicaSet")), ("Pod", pod), ("Service", service))}
    # Each template split once at its @KEY@ marks (odd elements are the keys), so that filling
    # one object is one join rather than a pass over its text per key.
    marks = re.compile(r"@(NAME|APP|NS|HASH|NODE|HOSTIP|IP|VIP|RV|UID)@")
    parts = {name: marks.split(text) for name, text in templates.items()}
    rv = [0]

    def fill(name, values):
        rv[0] += 1
        values = dict(values, RV=str(1000000 + rv[0]), UID=f"{rv[0]:08x}-6f1c-4a5e-9c3b-{rv[0]:012x}")
        pieces = parts[name][:]
        for k in range(1, len(pieces), 2):
            pieces[k] = values.get(pieces[k], "@" + pieces[k] + "@")
        return "".join(pieces)

    deployments = (pods + REPLICAS - 1) // REPLICAS
    with open(out, "w") as f:
        f.write('{\n    "apiVersion": "v1",\n    "items": [\n' if as_json else "apiVersion: v1\nitems:\n")
        first = [True]

        def emit(text):
            if as_json and not first[0]:
                f.write(",\n")
            elif not as_json:
                pass
            first[0] = False
            f.write(text)
            if not as_json:
                f.write("\n")

        for n in range(NAMESPACES):
            emit(fill("Namespace", {"NS": f"team-{n:02d}"}))
        for d in range(deployments):
            ns = f"team-{d % NAMESPACES:02d}"
            app = f"svc-{d:05d}"
            common = {"NS": ns, "APP": app, "HASH": f"{d * 7919 % 0xffffff:06x}"[:6] + "f9"}
            emit(fill("Deployment", common))
            emit(fill("ReplicaSet", common))
            emit(fill("Service", dict(common, VIP=service_address(d))))
            for r in range(REPLICAS):
                i = d * REPLICAS + r
                if i >= pods:
                    break
                node = i % 100
                emit(fill("Pod", dict(common, NAME=f"{app}-{common['HASH']}-p{r}", IP=pod_address(i),
                                      NODE=f"node-{node:03d}", HOSTIP=f"192.168.{node // 250}.{node % 250 + 1}")))
        if as_json:
            f.write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')
        else:
            f.write("kind: List\nmetadata:\n  resourceVersion: \"\"\n")


if __name__ == "__main__":
    main()
