#!/usr/bin/env bash
# The generated man page and completion (tools/gen_cli_docs.py) against the
# command: every option of every command is in clausedex.1, and the bash
# completion completes commands, options, option values and search filters.
#   completion.sh CLAUSEDEX DIR_WITH_GENERATED_FILES
set -euo pipefail
export LC_ALL=C.UTF-8 # the order of sort
cli=$1 dir=$2
fail=0
cmds=$("$cli" --help | awk '/^Commands:/ {on=1; next} on && /^  / {print $1} on && !/^  / {on=0}')
for c in $cmds; do
  while IFS=$'\t' read -r name _ _ _; do
    grep -qF -- "\\-\\-${name//-/\\-}" "$dir/clausedex.1" || { echo "clausedex.1 lacks $c --$name"; fail=1; }
  done < <("$cli" "$c" --list-options)
done
# shellcheck disable=SC1091
source "$dir/clausedex.bash"
complete_words() { # the words typed so far, the last being completed
  COMP_WORDS=(clausedex "$@"); COMP_CWORD=$#; COMPREPLY=()
  _clausedex
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
expect() { # WANT WORDS...
  local want=$1; shift
  local got; got=$(complete_words "$@")
  [[ $got == "$want" ]] || { echo "completing '$*': got '$got', want '$want'"; fail=1; }
}
expect "search serve " se
expect "--color --context --count " search --co
expect "--color=always --color=auto --color=never " search --color=
expect "markdown md " diff --format m
expect "status:draft status:final status:征求意见稿 status:送审稿 " search 以旧换新 status:
expect "jurisdiction: " search jur
expect "--index " stats --ind
expect "similar " help si
if command -v zsh >/dev/null; then zsh -n "$dir/_clausedex" || { echo "_clausedex: zsh syntax"; fail=1; }; fi
if command -v man >/dev/null; then
  out=$(MANWIDTH=80 man -l "$dir/clausedex.1" 2>&1) || { echo "man -l failed: $out"; fail=1; }
  grep -q "files-with-matches" <<<"$out" || { echo "man page renders without search -l"; fail=1; }
fi
[[ $fail == 0 ]] && echo "man page and completion: ok"
exit $fail
