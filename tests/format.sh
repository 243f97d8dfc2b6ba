#!/bin/sh
# Every C++ source is formatted by .clang-format (docs/testing.md). The tree is formatted with
# clang-format 14 (Debian 12's); other versions format some constructs differently, so with
# another version (or none) the check is skipped and says why.
# Usage: tests/format.sh SOURCE_DIR
set -u
src=${1:?usage: format.sh SOURCE_DIR}
tool=
for candidate in clang-format-14 clang-format; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" --version | grep -q 'version 14\.'; then
        tool=$candidate
        break
    fi
done
if [ -z "$tool" ]; then
    echo "format: skipped, clang-format 14 not found (make deps installs it)"
    exit 77
fi
cd "$src" || exit 2
files=$(find app core ui tests -name '*.cpp' -o -name '*.h' | sort)
bad=0
for f in $files; do
    if ! "$tool" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "format: $f differs from .clang-format (run: $tool -i $f)"
        bad=$((bad + 1))
    fi
done
if [ "$bad" -ne 0 ]; then
    echo "format: $bad file(s) not formatted"
    exit 1
fi
echo "format: $(echo "$files" | wc -l) files formatted"
