#!/bin/sh
# Golden files: bulkhead-cli's table, JSON, CSV and YAML outputs on the Online Boutique sample,
# compared byte for byte with tests/golden/expected/ (docs/testing.md).
#
#   tests/golden/golden.sh build/bin/bulkhead-cli            compare (the ctest test `golden`)
#   tests/golden/golden.sh build/bin/bulkhead-cli --update   rewrite expected/ (`make golden`)
#
# Each case leaves NAME (standard output, or the file the command writes) and NAME.stderr
# (standard error and the exit status). The commands run in a scratch folder that links the
# sample and the inputs, so every path in the outputs is relative and the same on any machine.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 BULKHEAD-CLI [--update]" >&2
    exit 2
fi
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mode=${2:-compare}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$root/samples" "$work/samples"
ln -s "$here/inputs" "$work/inputs"
mkdir "$work/actual"
cd "$work"

S=samples/online-boutique
EVIDENCE="--inventory $S/inventory.yaml --capture $S/node1.pcapng --capture $S/node2.pcap"
ZONES="--zones $S/zones.yaml"

# run NAME ARGS...: standard output to actual/NAME, standard error and exit status to NAME.stderr
run() {
    name=$1
    shift
    status=0
    "$cli" "$@" >"actual/$name" 2>"actual/$name.stderr" || status=$?
    echo "[exit $status]" >>"actual/$name.stderr"
}

# keep NAME FILE: a file the last command wrote becomes actual/NAME
keep() {
    mv "$2" "actual/$1"
}

# shellcheck disable=SC2086 # the option strings are split on purpose
{
run generate.yaml generate $EVIDENCE $ZONES
run generate-files.txt generate $EVIDENCE $ZONES --output policies.yaml --report report.json \
    --guardrails guardrails.yaml
keep generate-policies.yaml policies.yaml
keep generate-report.json report.json
keep generate-guardrails.yaml guardrails.yaml
run generate-zone.yaml generate $EVIDENCE $ZONES --granularity zone
run generate-explain.yaml generate $EVIDENCE $ZONES --explain

run flows.txt flows $EVIDENCE
run flows.json flows $EVIDENCE --format json
run flows.csv flows $EVIDENCE --format csv

run check.txt check $EVIDENCE --policies inputs/policies.yaml
run check.json check $EVIDENCE --policies inputs/policies.yaml --format json
run check-cilium.txt check $EVIDENCE --policies inputs/cilium-policies.yaml
run check-explain.txt check $EVIDENCE --policies inputs/policies.yaml \
    --explain boutique/frontend boutique/cartservice TCP/7070

run blast-radius.txt blast-radius $EVIDENCE $ZONES
run blast-radius.json blast-radius $EVIDENCE $ZONES --format json
run blast-radius-frontend.json blast-radius $EVIDENCE $ZONES --workload boutique/frontend --format json
run blast-radius-policies.txt blast-radius $EVIDENCE $ZONES --policies inputs/policies.yaml
}

if [ "$mode" = --update ]; then
    rm -rf "$here/expected"
    cp -R actual "$here/expected"
    echo "golden: wrote $(ls actual | wc -l) files to $here/expected (review them with git diff)"
    exit 0
fi
if diff -ru "$here/expected" actual; then
    echo "golden: $(ls actual | wc -l) files identical"
else
    echo "golden: the outputs above differ from tests/golden/expected; if the change is meant," \
         "run 'make golden' (or $0 CLI --update) and commit the new files" >&2
    exit 1
fi
