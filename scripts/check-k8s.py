#!/usr/bin/env python3
"""Structural checks of coopwatch's Kubernetes manifests (deploy/k8s).

Schema validation (kubernetes-validate, in scripts/check-deploy) says whether
each object is well formed; this says whether the objects fit together and
fit the daemon: selectors match the pod labels, probes and Service ports name
a real container port, ConfigMap keys that are referenced exist, environment
variables name real config keys, the ScaledObject targets the Deployment and
does not scale past the input topic's partitions.

usage: check-k8s.py [--partitions N] [--config deploy/config/coopwatch.yaml]
                    [--config-source daemon/io/config.cc] [DIR]
Prints one line per check ("ok:" or "FAIL:"); exits 1 if any failed.
"""

import argparse
import os
import re
import sys

import yaml

KNOWN_KINDS = {
    "ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "PodMonitor", "ScaledObject",
    "ServiceAccount", "Secret", "TriggerAuthentication", "PrometheusRule", "NetworkPolicy",
}
PASS_THROUGH_ENV = ("COOPWATCH_KAFKA_COMMON_", "COOPWATCH_KAFKA_CONSUMER_", "COOPWATCH_KAFKA_PRODUCER_")


class Checker:
    def __init__(self):
        self.failures = 0

    def check(self, cond, what, detail=""):
        if cond:
            print(f"  ok: {what}")
        else:
            self.failures += 1
            print(f"  FAIL: {what}" + (f" ({detail})" if detail else ""))
        return cond


def flatten(node, prefix=""):
    """YAML map -> set of dotted leaf keys."""
    keys = set()
    if isinstance(node, dict):
        for k, v in node.items():
            name = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(v, dict):
                keys |= flatten(v, name)
            else:
                keys.add(name)
    return keys


def config_keys_from_source(path):
    """The declared key table in daemon/io/config.cc: STRING_KEY("a.b", ...) etc."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return set()
    return set(re.findall(r'(?:STRING_KEY|INT_KEY|BOOL_KEY|key_spec\{)\(?\s*"([a-z0-9_.]+)"', text))


def env_name(key):
    return "COOPWATCH_" + key.replace(".", "_").upper()


def labels_match(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default="deploy/k8s")
    ap.add_argument("--partitions", type=int, default=6, help="partitions of the input topic")
    ap.add_argument("--config", default="deploy/config/coopwatch.yaml")
    ap.add_argument("--config-source", default="daemon/io/config.cc")
    args = ap.parse_args()
    c = Checker()

    # --- kustomization and the files it lists --------------------------------
    kpath = os.path.join(args.dir, "kustomization.yaml")
    with open(kpath, encoding="utf-8") as f:
        kust = yaml.safe_load(f)
    resources = kust.get("resources", [])
    on_disk = sorted(n for n in os.listdir(args.dir)
                     if n.endswith((".yaml", ".yml")) and n != "kustomization.yaml")
    print(f"k8s: {args.dir}: {len(resources)} resources in kustomization.yaml")
    for r in resources:
        c.check(os.path.isfile(os.path.join(args.dir, r)), f"kustomization resource {r} exists")
    unlisted = [n for n in on_disk if n not in resources]
    c.check(not unlisted, "every manifest in the directory is listed in kustomization.yaml",
            ", ".join(unlisted))

    objs = []
    for r in resources:
        path = os.path.join(args.dir, r)
        if not os.path.isfile(path):
            continue
        try:
            with open(path, encoding="utf-8") as f:
                docs = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as e:
            c.check(False, f"{r} parses as YAML", str(e).replace("\n", " "))
            continue
        for d in docs:
            where = f"{r}: {d.get('kind', '?')}/{(d.get('metadata') or {}).get('name', '?')}"
            ok = c.check(isinstance(d.get("apiVersion"), str) and isinstance(d.get("kind"), str)
                         and isinstance((d.get("metadata") or {}).get("name"), str),
                         f"{where} has apiVersion, kind and metadata.name")
            if ok:
                c.check(d["kind"] in KNOWN_KINDS, f"{where} is a kind this check knows")
                c.check("namespace" not in d["metadata"], f"{where} names no namespace")
                objs.append((r, d))

    def of_kind(kind):
        return [d for _, d in objs if d["kind"] == kind]

    configmaps = {d["metadata"]["name"]: (d.get("data") or {}) for d in of_kind("ConfigMap")}

    # --- config file in the ConfigMap vs the repository's config -------------
    declared = config_keys_from_source(args.config_source)
    if declared:
        print(f"k8s: {len(declared)} config keys declared in {args.config_source}")
    else:
        print(f"k8s: note: no key table found in {args.config_source}; env names not cross-checked")
    repo_cfg = None
    try:
        with open(args.config, encoding="utf-8") as f:
            repo_cfg = yaml.safe_load(f) or {}
    except OSError:
        print(f"k8s: note: {args.config} not found; ConfigMap file not compared")
    file_cms = {n: d for n, d in configmaps.items() if "coopwatch.yaml" in d}
    c.check(len(file_cms) == 1, "exactly one ConfigMap carries coopwatch.yaml", str(list(file_cms)))
    cm_cfg = {}
    for name, data in file_cms.items():
        try:
            cm_cfg = yaml.safe_load(data["coopwatch.yaml"]) or {}
            c.check(isinstance(cm_cfg, dict), f"ConfigMap {name}: coopwatch.yaml is a YAML map")
        except yaml.YAMLError as e:
            c.check(False, f"ConfigMap {name}: coopwatch.yaml parses", str(e).replace("\n", " "))
            continue
        if repo_cfg is not None:
            a, b = flatten(cm_cfg), flatten(repo_cfg)
            c.check(a == b, f"ConfigMap {name}: coopwatch.yaml has the keys of {args.config}",
                    f"only in ConfigMap: {sorted(a - b)}, only in file: {sorted(b - a)}")
        if declared:
            unknown = sorted(k for k in flatten(cm_cfg)
                             if k not in declared and not k.startswith(("kafka.common.", "kafka.consumer.",
                                                                         "kafka.producer.")))
            c.check(not unknown, f"ConfigMap {name}: every key in coopwatch.yaml is a config key",
                    ", ".join(unknown))

    def env_ok(var):
        if not declared:
            return True
        return var in {env_name(k) for k in declared} or var.startswith(PASS_THROUGH_ENV)

    # --- Deployment -----------------------------------------------------------
    deployments = of_kind("Deployment")
    c.check(len(deployments) == 1, "exactly one Deployment")
    dep = deployments[0] if deployments else None
    pod_labels, container_ports, dep_name = {}, {}, None
    env_from_cm = {}
    if dep:
        dep_name = dep["metadata"]["name"]
        spec = dep.get("spec") or {}
        tmpl = spec.get("template") or {}
        pod_labels = (tmpl.get("metadata") or {}).get("labels") or {}
        sel = (spec.get("selector") or {}).get("matchLabels") or {}
        c.check(labels_match(sel, pod_labels), f"Deployment {dep_name}: selector matches the pod template labels",
                f"selector {sel}, labels {pod_labels}")
        c.check(spec.get("replicas") == 3, f"Deployment {dep_name}: 3 replicas", str(spec.get("replicas")))
        pod = tmpl.get("spec") or {}
        grace = pod.get("terminationGracePeriodSeconds")
        c.check(grace == 30, f"Deployment {dep_name}: terminationGracePeriodSeconds 30", str(grace))
        c.check((pod.get("securityContext") or {}).get("runAsNonRoot") is True,
                f"Deployment {dep_name}: pod runAsNonRoot")
        containers = pod.get("containers") or []
        c.check(len(containers) >= 1, f"Deployment {dep_name}: has a container")
        volumes = {v.get("name"): v for v in pod.get("volumes") or []}
        for ctr in containers:
            cn = f"Deployment {dep_name}/{ctr.get('name')}"
            c.check(bool(ctr.get("image")), f"{cn}: image set")
            ports = ctr.get("ports") or []
            container_ports = {p.get("name"): p.get("containerPort") for p in ports}
            c.check(9464 in container_ports.values(), f"{cn}: declares container port 9464",
                    str(container_ports))

            def port_ok(port):
                return port in container_ports or port in container_ports.values()

            for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                hg = (ctr.get(probe) or {}).get("httpGet") or {}
                c.check(hg.get("path") == path and port_ok(hg.get("port")),
                        f"{cn}: {probe} GET {path} on a declared port", str(hg))
            res = ctr.get("resources") or {}
            c.check(bool(res.get("requests")) and bool(res.get("limits")),
                    f"{cn}: resource requests and limits")
            c.check((res.get("limits") or {}).get("memory") == "512Mi", f"{cn}: memory limit 512Mi")
            sc = ctr.get("securityContext") or {}
            c.check(sc.get("readOnlyRootFilesystem") is True, f"{cn}: readOnlyRootFilesystem")
            c.check(sc.get("allowPrivilegeEscalation") is False, f"{cn}: allowPrivilegeEscalation false")
            c.check("ALL" in ((sc.get("capabilities") or {}).get("drop") or []), f"{cn}: drops ALL capabilities")

            env = {e.get("name"): e for e in ctr.get("env") or []}
            inst = env.get("COOPWATCH_DELIVERY_INSTANCE_ID") or {}
            c.check(((inst.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath") == "metadata.name",
                    f"{cn}: COOPWATCH_DELIVERY_INSTANCE_ID from the pod name (downward API)")
            for name, e in env.items():
                c.check(env_ok(name), f"{cn}: env {name} names a config key")
                ref = (e.get("valueFrom") or {}).get("configMapKeyRef")
                if ref:
                    c.check(ref.get("key") in configmaps.get(ref.get("name"), {}),
                            f"{cn}: env {name} -> ConfigMap {ref.get('name')} key {ref.get('key')} exists")
            for ef in ctr.get("envFrom") or []:
                ref = ef.get("configMapRef")
                if not ref:
                    continue
                cm = ref.get("name")
                c.check(cm in configmaps, f"{cn}: envFrom ConfigMap {cm} exists")
                for var in configmaps.get(cm, {}):
                    env_from_cm[var] = configmaps[cm][var]
                    c.check(env_ok(var), f"{cn}: ConfigMap {cm} variable {var} names a config key")

            # The --config path must be inside a mounted ConfigMap that has the file.
            argv = list(ctr.get("command") or []) + list(ctr.get("args") or [])
            cfg_path = argv[argv.index("--config") + 1] if "--config" in argv[:-1] else None
            mounted = False
            for m in ctr.get("volumeMounts") or []:
                vol = volumes.get(m.get("name"))
                c.check(vol is not None, f"{cn}: volumeMount {m.get('name')} has a volume")
                if not vol or "configMap" not in vol:
                    continue
                cmv = vol["configMap"]
                cm = cmv.get("name")
                c.check(cm in configmaps, f"{cn}: volume {m.get('name')} ConfigMap {cm} exists")
                items = cmv.get("items") or [{"key": k, "path": k} for k in configmaps.get(cm, {})]
                for it in items:
                    c.check(it.get("key") in configmaps.get(cm, {}),
                            f"{cn}: volume {m.get('name')} item {it.get('key')} exists in ConfigMap {cm}")
                    if cfg_path and os.path.join(m.get("mountPath", ""), it.get("path", "")) == cfg_path:
                        mounted = True
            if cfg_path:
                c.check(mounted, f"{cn}: --config {cfg_path} is a mounted ConfigMap file")

            ann = (tmpl.get("metadata") or {}).get("annotations") or {}
            c.check(ann.get("prometheus.io/scrape") == "true"
                    and str(ann.get("prometheus.io/port")) in {str(p) for p in container_ports.values()},
                    f"{cn}: prometheus.io scrape annotations name the metrics port")
        limit_ms = env_from_cm.get("COOPWATCH_SHUTDOWN_TIMEOUT_MS")
        if limit_ms is not None and grace is not None:
            c.check(int(limit_ms) < int(grace) * 1000,
                    f"Deployment {dep_name}: shutdown.timeout_ms {limit_ms} < terminationGracePeriodSeconds")

    # --- Service, PodMonitor, PDB -------------------------------------------
    for svc in of_kind("Service"):
        n = svc["metadata"]["name"]
        spec = svc.get("spec") or {}
        c.check(labels_match(spec.get("selector") or {}, pod_labels),
                f"Service {n}: selector matches the Deployment's pod labels")
        for p in spec.get("ports") or []:
            tp = p.get("targetPort", p.get("port"))
            c.check(tp in container_ports or tp in container_ports.values(),
                    f"Service {n}: port {p.get('name')} targets a container port ({tp})")
    for pm in of_kind("PodMonitor"):
        n = pm["metadata"]["name"]
        spec = pm.get("spec") or {}
        c.check(pm["apiVersion"] == "monitoring.coreos.com/v1", f"PodMonitor {n}: monitoring.coreos.com/v1")
        c.check(labels_match((spec.get("selector") or {}).get("matchLabels") or {}, pod_labels),
                f"PodMonitor {n}: selector matches the pod labels")
        eps = spec.get("podMetricsEndpoints") or []
        c.check(bool(eps) and all(e.get("port") in container_ports for e in eps),
                f"PodMonitor {n}: endpoints name a container port")
        jl = spec.get("jobLabel")
        c.check(jl is None or pod_labels.get(jl) == "coopwatch",
                f"PodMonitor {n}: job label is \"coopwatch\" (as alerts.yml selects)")
    for pdb in of_kind("PodDisruptionBudget"):
        n = pdb["metadata"]["name"]
        c.check(labels_match(((pdb.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}, pod_labels),
                f"PodDisruptionBudget {n}: selector matches the pod labels")

    # --- KEDA ----------------------------------------------------------------
    sos = of_kind("ScaledObject")
    c.check(len(sos) == 1, "exactly one ScaledObject")
    for so in sos:
        n = so["metadata"]["name"]
        spec = so.get("spec") or {}
        ref = spec.get("scaleTargetRef") or {}
        c.check(ref.get("name") == dep_name and ref.get("kind", "Deployment") == "Deployment",
                f"ScaledObject {n}: scaleTargetRef names Deployment {dep_name}", str(ref))
        lo, hi = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
        c.check(hi <= args.partitions, f"ScaledObject {n}: maxReplicaCount {hi} <= {args.partitions} partitions")
        c.check(0 <= lo <= hi, f"ScaledObject {n}: minReplicaCount {lo} <= maxReplicaCount {hi}")
        kafka = [t for t in spec.get("triggers") or [] if t.get("type") == "kafka"]
        c.check(len(kafka) == 1, f"ScaledObject {n}: one kafka trigger")
        for t in kafka:
            md = t.get("metadata") or {}
            group = ((cm_cfg.get("kafka") or {}).get("group_id")) or "coopwatch"
            topic = ((cm_cfg.get("topics") or {}).get("input")) or "news.raw"
            c.check(md.get("consumerGroup") == group, f"ScaledObject {n}: consumerGroup {group}")
            c.check(md.get("topic") == topic, f"ScaledObject {n}: topic {topic}")
            c.check(str(md.get("lagThreshold", "")).isdigit(), f"ScaledObject {n}: lagThreshold is a number")
            brokers = env_from_cm.get("COOPWATCH_KAFKA_BROKERS")
            if brokers:
                c.check(md.get("bootstrapServers") == brokers,
                        f"ScaledObject {n}: bootstrapServers equals COOPWATCH_KAFKA_BROKERS",
                        f"{md.get('bootstrapServers')} vs {brokers}")

    print(f"k8s: {'FAILED, ' + str(c.failures) + ' check(s)' if c.failures else 'all checks passed'}")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
