#!/bin/sh
# Pictures of the desktop application on the Online Boutique sample, taken under Xvfb once the
# graph is laid out: docs/screenshots/*.png. Usage: tests/tools/screenshots.sh [path/to/bulkhead]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
app=${1:-$root/build/bin/bulkhead}
out=$root/docs/screenshots
sample=$root/samples/online-boutique
mkdir -p "$out"
# Fresh settings, so a saved window layout does not change the pictures.
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT

shot() {
    name=$1; shift
    shot_of "$sample" "$name" "$@"
}

# shot_of MODEL NAME [ARGS...]: the window at 1600x1000 unless ARGS hold --size.
shot_of() {
    model=$1; name=$2; shift 2
    timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$model" --screenshot "$out/$name.png" "$@"
    echo "wrote docs/screenshots/$name.png"
}

# Models of 5,000 and 20,000 workloads (tests/tools/largemodel.py), generated once per run.
large=$(mktemp -d)
huge=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$large" "$huge"' EXIT
python3 "$root/tests/tools/largemodel.py" "$large" 5000
python3 "$root/tests/tools/largemodel.py" "$huge" 20000

shot overview
shot blast-radius-frontend --select boutique/frontend
shot blast-radius-cartservice --select boutique/cartservice
shot heat --heat
shot inspector-cartservice --select boutique/cartservice
shot design-deny-cart-redis --select boutique/frontend --deny boutique/cartservice,boutique/redis-cart,TCP,6379
# The map at any size (docs/gui.md): the sample at 1024x700, the 5,000-workload model at the zones
# level and inside one namespace, a focus view with the blast radius lit.
shot small-window-frontend --size 1024x700 --select boutique/frontend
shot_of "$large" large-zones --level zones
shot_of "$large" large-zones-1024 --level zones --size 1024x700
shot_of "$large" large-namespaces --level namespaces
shot_of "$large" large-namespaces-1024 --level namespaces --size 1024x700
shot_of "$large" large-namespace --open public/ns00
shot_of "$large" large-namespace-1024 --open public/ns00 --size 1024x700
shot_of "$large" large-group --open "public/ns00/svc00000 – svc00980"
shot_of "$large" large-focus-blast-radius --focus ns07/svc00007 --hops 2
shot_of "$large" large-focus-1024 --focus ns07/svc00007 --hops 2 --size 1024x700
# 20,000 workloads: a namespace of 1,000 opens on groups of at most 250 (docs/gui.md).
shot_of "$huge" huge-namespace-groups --open public/ns00
shot_of "$huge" huge-namespace-groups-1024 --open public/ns00 --size 1024x700
# The Arrow Paths dock (docs/cilium.md "Path decisions") on the HTTP app of tests/tools/httpapp.h:
# /users collapsed by the threshold, /orders by a decision saved in the project.
http=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$large" "$huge" "$http"' EXIT
"$(dirname "$app")/bulkhead-httpapp" "$http"
cat > "$http/app.bulkhead" <<'PROJECT'
formatVersion: 1
inventories: [inventory.yaml]
captures: [http.pcap]
decisions:
  paths:
    - {from: "shop/web", to: "shop/api", port: 8080, path: "/orders", action: "collapse"}
PROJECT
shot_of "$http/app.bulkhead" path-tree --select-edge shop/web,shop/api
shot_of "$http/app.bulkhead" path-tree-1024 --select-edge shop/web,shop/api --size 1024x700
