#!/usr/bin/env bash
# The alerts of two runs over the same tenant, compared: which alerts (kind, vault, principal,
# first seen, count) only one run raised, and which both raised but with other numbers or
# reasons. Prints "same" when both runs gave the same alerts but for their ids and the order
# they came in (which depend on arrival: README "One timeline from many sources").
#
# Usage: scripts/alert-diff.sh A.alerts.jsonl B.alerts.jsonl
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 A.alerts.jsonl B.alerts.jsonl" >&2; exit 2; }
jq -rn --slurpfile a "$1" --slurpfile b "$2" '
    def key: [.kind, (.vault // "" | ascii_downcase), (.principalId // ""), .firstSeen[0:16]] | join(" ");
    def body: del(.id, .evidence) ;
    def index($alerts): reduce $alerts[] as $alert ({}; .[$alert | key] += [$alert | body]);
    index($a) as $left | index($b) as $right
    | ([$left | keys[] | select($right[.] == null)] | map("only in A: \(.)  (\($left[.][0].count) calls: \($left[.][0].reasons[0] // "" | .[0:160]))"))
    + ([$right | keys[] | select($left[.] == null)] | map("only in B: \(.)  (\($right[.][0].count) calls: \($right[.][0].reasons[0] // "" | .[0:160]))"))
    + ([$left | keys[] | select($right[.] != null and $right[.] != $left[.])] | map("differs:   \(.)  A \($left[.][0].count), B \($right[.][0].count)"))
    | if length == 0 then "same" else .[] end'
