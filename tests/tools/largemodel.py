#!/usr/bin/env python3
"""largemodel.py OUTDIR [WORKLOADS]: a synthetic model for measuring the desktop application at scale.

Writes OUTDIR/inventory.yaml (a native inventory: WORKLOADS workloads in 20 namespaces, zones spread
over the four default levels) and OUTDIR/capture.pcap (raw IPv4 UDP datagrams: each workload talks to
three others on their declared port, chosen by a fixed-seed generator, so the output is the same
every run). UDP needs no handshake: every conversation is established.
"""
import random
import struct
import sys
from pathlib import Path

out = Path(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(7)
levels = ["public", "internal", "confidential", "restricted"]

def address(i):
    return f"10.244.{i // 250}.{i % 250 + 2}"

lines = ["apiVersion: bulkhead.io/v1alpha1", "kind: Inventory",
         "clusterNetworks: [10.244.0.0/16]", "workloads:"]
for i in range(count):
    lines.append(f"  - {{name: svc{i:05d}, namespace: ns{i % 20:02d}, kind: Deployment, "
                 f"labels: {{app: svc{i:05d}, bulkhead.io/sensitivity: {levels[i % 4]}}}, "
                 f"addresses: [{address(i)}], ports: [{{name: api, port: {8000 + i % 50}, protocol: UDP}}]}}")
(out / "inventory.yaml").write_text("\n".join(lines) + "\n")

def ip(text):
    return bytes(int(p) for p in text.split("."))

with open(out / "capture.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
    t = 1_700_000_000
    for i in range(count):
        for j in rng.sample(range(count), 3):
            if j == i:
                continue
            payload = b"x" * 16
            udp = struct.pack("!HHHH", 40000 + i % 20000, 8000 + j % 50, 8 + len(payload), 0) + payload
            header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                                 ip(address(i)), ip(address(j)))
            packet = header + udp
            t += 1
            f.write(struct.pack("<IIII", t, 0, len(packet), len(packet)) + packet)
