#!/usr/bin/env bash
# The CI cost gate: runs `costreplay check` with the given options, writes the markdown, JUnit and JSON outputs,
# shows the markdown in the job summary, posts or updates one PR/MR comment, and exits with check's exit code
# (0 within budget or warnings only, 1 over budget, 2 usage or input error).
#
#   cost-gate.sh --baseline .costreplay/baseline.json --scenario scenarios/current.yaml --max-increase 5 ...
#
# Environment:
#   COSTREPLAY           the binary (default: costreplay on PATH)
#   COSTREPLAY_OUT       folder for cost-comment.md, cost-junit.xml, cost-diff.json (default .costreplay-out)
#   COSTREPLAY_COMMENT   github, gitlab or none (default: github when GITHUB_TOKEN and PR_NUMBER are set,
#                        gitlab when GITLAB_TOKEN and CI_MERGE_REQUEST_IID are set, else none)
#   GITHUB_STEP_SUMMARY  when set (GitHub Actions), the markdown is appended to it
# A comment that cannot be posted (a fork's read-only token) is a warning, never the verdict.
set -uo pipefail
bin=${COSTREPLAY:-costreplay}
out=${COSTREPLAY_OUT:-.costreplay-out}
mkdir -p "$out"
"$bin" check "$@" --markdown "$out/cost-comment.md" --junit "$out/cost-junit.xml" --json "$out/cost-diff.json"
code=$?
if [ ! -s "$out/cost-comment.md" ]; then
  printf '### CostReplay cost check\n\n`costreplay check` stopped with exit code %s before writing its report; see the job log.\n' \
    "$code" > "$out/cost-comment.md"
fi
[ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$out/cost-comment.md" >> "$GITHUB_STEP_SUMMARY"
where=${COSTREPLAY_COMMENT:-}
if [ -z "$where" ]; then
  if [ -n "${GITHUB_TOKEN:-}" ] && [ -n "${PR_NUMBER:-}" ]; then where=github
  elif [ -n "${GITLAB_TOKEN:-}" ] && [ -n "${CI_MERGE_REQUEST_IID:-}" ]; then where=gitlab
  else where=none; fi
fi
if [ "$where" != none ]; then
  if ! "$(dirname "$0")/sticky-comment.sh" "$where" "$out/cost-comment.md"; then
    echo "warning: the cost comment was not posted (see above); the verdict stands" >&2
    [ -n "${GITHUB_ACTIONS:-}" ] && echo "::warning::CostReplay could not post its pull-request comment"
  fi
fi
exit "$code"
