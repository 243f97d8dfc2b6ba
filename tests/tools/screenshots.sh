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
    timeout 120 xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$sample" --screenshot "$out/$name.png" "$@"
    echo "wrote docs/screenshots/$name.png"
}

shot overview
shot blast-radius-frontend --select boutique/frontend
shot blast-radius-cartservice --select boutique/cartservice
shot heat --heat
shot inspector-cartservice --select boutique/cartservice
shot design-deny-cart-redis --select boutique/frontend --deny boutique/cartservice,boutique/redis-cart,TCP,6379
