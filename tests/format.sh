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
# One run over every file; --dry-run names each file and line that differs.
if ! "$tool" --dry-run --Werror $files 2>"${TMPDIR:-/tmp}/bulkhead-format.$$"; then
    grep -o '^[^:]*\.\(cpp\|h\)' "${TMPDIR:-/tmp}/bulkhead-format.$$" | sort -u \
        | sed "s|^|format: |; s|\$| differs from .clang-format (run: $tool -i FILE)|"
    rm -f "${TMPDIR:-/tmp}/bulkhead-format.$$"
    exit 1
fi
rm -f "${TMPDIR:-/tmp}/bulkhead-format.$$"
echo "format: $(echo "$files" | wc -l) files formatted"
