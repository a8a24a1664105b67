#!/usr/bin/env bash
# Fails, naming each file, when a C++ file of the repository is not formatted as .clang-format says.
# scripts/check-format.sh        check (CI runs it as the ctest test clang_format)
# scripts/check-format.sh --fix  format them in place
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/setup.sh)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc')
((${#files[@]} > 0)) || { echo "no C++ files found under $root" >&2; exit 1; }
if [[ ${1:-} == --fix ]]; then
    clang-format -i "${files[@]}"
    exit 0
fi
bad=0
for f in "${files[@]}"; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "FAIL $f: not formatted (scripts/check-format.sh --fix)"
        bad=$((bad + 1))
    fi
done
echo "$((${#files[@]} - bad)) passed, $bad failed"
((bad == 0))
