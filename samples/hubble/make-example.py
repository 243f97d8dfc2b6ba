#!/usr/bin/env python3
"""Writes the Hubble example beside the Online Boutique sample (README "Using Hubble flows"):

flows.json  -- `hubble observe -o json` lines, written from cilium's flow.proto field names
               (protobuf JSON mapping): checkoutservice -> paymentservice seen at both nodes
               (paymentservice has moved to a new address since the inventory was taken: joined by
               pod name), and frontend -> redis-cart dropped by a policy.
egress.pcap -- paymentservice resolving api.stripe.com (CNAME chain, two addresses) and opening
               HTTPS to both, with a TLS ClientHello naming the server.
Run: python3 samples/hubble/make-example.py  (writes next to this script; deterministic)."""
import json, os, struct

here = os.path.dirname(os.path.abspath(__file__))


def endpoint(ns, pod, app):
    return {"ID": 2011, "identity": 43217, "cluster_name": "kind", "namespace": ns,
            "labels": ["k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=" + ns],
            "pod_name": pod, "workloads": [{"name": app, "kind": "Deployment"}]}


def line(t, src, sport, dst, dport, s_ep, d_ep, flags, reply, direction, node,
         verdict="FORWARDED", drop=None, denied=None):
    flow = {"time": t, "uuid": "00000000-0000-4000-8000-%012d" % line.n, "verdict": verdict,
            "ethernet": {"source": "0a:58:0a:f4:01:03", "destination": "0a:58:0a:f4:01:01"},
            "IP": {"source": src, "destination": dst, "ipVersion": "IPv4"},
            "l4": {"TCP": {"source_port": sport, "destination_port": dport, "flags": flags}},
            "source": s_ep, "destination": d_ep, "Type": "L3_L4", "node_name": node,
            "event_type": {"type": 1 if drop else 4}, "traffic_direction": direction,
            "is_reply": reply, "Summary": "TCP Flags: " + ", ".join(flags)}
    if drop:
        flow["drop_reason"] = 133
        flow["drop_reason_desc"] = drop
        flow["ingress_denied_by"] = [{"name": denied[1], "namespace": denied[0], "kind": "NetworkPolicy"}]
    line.n += 1
    return json.dumps({"flow": flow, "node_name": node, "time": t}, separators=(",", ":"))


line.n = 0
checkout = endpoint("boutique", "checkoutservice-96hh85d2jd-jvwzv", "checkoutservice")
payment = endpoint("boutique", "paymentservice-8n44g5zp6q-spb7d", "paymentservice")
frontend = endpoint("boutique", "frontend-sb9lm8mt5p-b7vqx", "frontend")
redis = endpoint("boutique", "redis-cart-9gzxklc5vv-f7khf", "redis-cart")
lines = []
for node, direction in (("kind-worker", "EGRESS"), ("kind-worker2", "INGRESS")):
    t = "2026-12-03T10:00:00.%09dZ"
    lines.append(line(t % 1000, "10.244.1.3", 46210, "10.244.3.9", 50051, checkout, payment,
                      {"SYN": True}, False, direction, node))
    lines.append(line(t % 2000, "10.244.3.9", 50051, "10.244.1.3", 46210, payment, checkout,
                      {"SYN": True, "ACK": True}, True, direction, node))
    lines.append(line(t % 3000, "10.244.1.3", 46210, "10.244.3.9", 50051, checkout, payment,
                      {"ACK": True}, False, direction, node))
lines.append(line("2026-12-03T10:00:05.000000000Z", "10.244.1.10", 51544, "10.244.2.6", 6379, frontend, redis,
                  {"SYN": True}, False, "INGRESS", "kind-worker2", "DROPPED", "POLICY_DENIED",
                  ("boutique", "redis-cart")))
with open(os.path.join(here, "flows.json"), "w") as f:
    f.write("\n".join(lines) + "\n")


def ip(a):
    return bytes(int(x) for x in a.split("."))


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, ip(src), ip(dst))
    h = h[:10] + struct.pack("!H", checksum(h)) + h[12:]
    return h + payload


def l4sum(src, dst, proto, seg):
    return checksum(ip(src) + ip(dst) + struct.pack("!BBH", 0, proto, len(seg)) + seg)


def tcp(src, sport, dst, dport, flags, data=b""):
    seg = struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000 if flags & 0x10 else 0, 5 << 4, flags, 65535, 0, 0) + data
    seg = seg[:16] + struct.pack("!H", l4sum(src, dst, 6, seg)) + seg[18:]
    return ipv4(src, dst, 6, seg)


def udp(src, sport, dst, dport, data):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    seg = seg[:6] + struct.pack("!H", l4sum(src, dst, 17, seg)) + seg[8:]
    return ipv4(src, dst, 17, seg)


def name(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\0"


def dns_answer(asked, chain, addresses):
    m = struct.pack("!HHHHHH", 0x4d2, 0x8180, 1, len(chain) + len(addresses), 0, 0) + name(asked) + struct.pack("!HH", 1, 1)
    owner = asked
    for target in chain:
        m += name(owner) + struct.pack("!HHIH", 5, 1, 60, len(name(target))) + name(target)
        owner = target
    for a in addresses:
        m += name(owner) + struct.pack("!HHIH", 1, 1, 60, 4) + ip(a)
    return m


def client_hello(server):
    sni = server.encode()
    ext = struct.pack("!HHHBH", 0, len(sni) + 5, len(sni) + 3, 0, len(sni)) + sni
    body = b"\x03\x03" + bytes(32) + b"\x00" + struct.pack("!H", 2) + b"\x13\x01" + b"\x01\x00" + struct.pack("!H", len(ext)) + ext
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


frames = []
pay, dns = "10.244.2.4", "10.244.0.2"
frames.append(udp(dns, 53, pay, 40001, dns_answer("api.stripe.com", ["stripe-api.edge.example.net"], ["203.0.113.10", "203.0.113.11"])))
for i, server in enumerate(("203.0.113.10", "203.0.113.11")):
    port = 41000 + i
    frames.append(tcp(pay, port, server, 443, 0x02))
    frames.append(tcp(server, 443, pay, port, 0x12))
    frames.append(tcp(pay, port, server, 443, 0x18, client_hello("api.stripe.com")))
with open(os.path.join(here, "egress.pcap"), "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, p in enumerate(frames):
        frame = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + p
        f.write(struct.pack("<IIII", 1796292000 + i, 0, len(frame), len(frame)) + frame)
