#!/bin/sh
# blast-radius --format json at 10,000 and 30,000 workloads (docs/node-boundary.md's sibling
# contract: the JSON streams, so peak memory does not follow the output's size). Prints, per size
# and policy, the output's size, wall time and peak resident memory (GNU time's %M). Figures only;
# never fails on them.
#
#   tests/bench/blastradiusjson.sh BULKHEAD_CLI DATA_DIR [SIZES...]
set -eu
cli=$1
dir=$2
shift 2
sizes=${*:-10000 30000}
mkdir -p "$dir"
# An empty classic pcap (Ethernet): blast-radius needs a capture; --policy none needs no traffic.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000' >"$dir/empty.pcap"
for n in $sizes; do
    inventory="$dir/inventory-$n.yaml"
    if [ ! -s "$inventory" ]; then
        python3 - "$n" >"$inventory" <<'PY'
import sys
n = int(sys.argv[1])
zones = ["public", "internal", "confidential", "restricted"]
out = ["apiVersion: bulkhead.io/v1alpha1", "kind: Inventory", "clusterNetworks: [10.0.0.0/8]", "workloads:"]
for i in range(n):
    a = 10 << 24 | (i + 1)
    ip = "%d.%d.%d.%d" % (a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255)
    out.append("  - {name: w%d, namespace: ns%d, kind: Deployment, labels: {app: w%d, bulkhead.io/sensitivity: %s}, addresses: [%s]}"
               % (i, i // 100, i, zones[i % 4], ip))
print("\n".join(out))
PY
    fi
    for policy in none intent; do
        bytes=$(/usr/bin/time -o "$dir/time.txt" -f '%e %M' "$cli" blast-radius --inventory "$inventory" \
                    --capture "$dir/empty.pcap" --policy "$policy" --format json 2>/dev/null | wc -c)
        set -- $(tail -1 "$dir/time.txt")
        printf 'blast-radius json  %6d workloads  policy %-6s  %8.1f MB of JSON  %6.1f s  peak %6.0f MB\n' \
            "$n" "$policy" "$(echo "$bytes / 1048576" | bc -l)" "$1" "$(echo "$2 / 1024" | bc -l)"
    done
done
