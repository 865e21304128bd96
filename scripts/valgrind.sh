#!/usr/bin/env bash
# valgrind for the end-to-end benchmark's instruction count (tests/unit/test_bench_smoke.py):
# installed from Debian's packages when missing; the tests fail, not skip, without it.
set -euo pipefail
command -v valgrind >/dev/null 2>&1 && command -v callgrind_control >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null) || true
fi
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind is missing and could not be installed (Debian package valgrind)" >&2
  exit 1
fi
