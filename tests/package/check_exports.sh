#!/usr/bin/env bash
# The shared library exports exactly the functions the public headers
# declare (CDX_API): no module helper, no unprefixed name, none missing.
#   check_exports.sh LIBCLAUSEDEX.so INCLUDE_DIR
set -euo pipefail
lib=$1 inc=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort -u)
# declarations: lines of the headers that start with CDX_API; generate.h is
# libclausedex_gen's and serve.h libclausedex_serve's, not this library's
declared=$(grep -h '^CDX_API' "$inc"/clausedex/*.h --exclude=generate.h --exclude=serve.h |
           grep -oE '\bcdx_[a-z0-9_]+\(' | tr -d '(' | sort -u)
unmarked=$(grep -hE '^[a-z][^(;/]*\bcdx_[a-z0-9_]+\(' "$inc"/clausedex/*.h | grep -v '^CDX_API' | grep -v '^typedef' || true)
status=0
if [[ -n $unmarked ]]; then
  echo "declared without CDX_API (hidden in the shared library):"; echo "$unmarked"; status=1
fi
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
if [[ -n $extra ]]; then echo "exported but not public:"; echo "$extra"; status=1; fi
if [[ -n $missing ]]; then echo "public but not exported:"; echo "$missing"; status=1; fi
echo "$(echo "$exported" | wc -l) symbols exported, $(echo "$declared" | wc -l) public functions"
exit $status
