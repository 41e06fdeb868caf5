#!/usr/bin/env bash
# Posts a file as ONE pull-request (GitHub) or merge-request (GitLab) comment, and updates that same comment on
# later runs: comments are listed page by page, the first whose body holds the marker is edited (PATCH / PUT),
# otherwise a new one is posted (POST).
#
#   sticky-comment.sh github BODY.md   needs GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), PR_NUMBER;
#                                      GITHUB_API_URL (default https://api.github.com)
#   sticky-comment.sh gitlab BODY.md   needs GITLAB_TOKEN (api scope), CI_PROJECT_ID, CI_MERGE_REQUEST_IID;
#                                      CI_API_V4_URL (default https://gitlab.com/api/v4)
#   COSTREPLAY_COMMENT_MARKER          default <!-- costreplay-cost-check -->
#
# Prints "created ID" or "updated ID". Exit codes: 0 done, 2 usage or missing setting, 3 the API refused or failed
# (a fork's read-only token, say); the message names the HTTP status and the API's answer.
set -euo pipefail
provider=${1:-}
body_file=${2:-}
marker=${COSTREPLAY_COMMENT_MARKER:-<!-- costreplay-cost-check -->}
fail() { echo "sticky-comment: $2" >&2; exit "$1"; }
[ -n "$provider" ] && [ -n "$body_file" ] || fail 2 "usage: sticky-comment.sh github|gitlab BODY.md"
[ -r "$body_file" ] || fail 2 "cannot read $body_file"
command -v jq >/dev/null || fail 2 "needs jq"
command -v curl >/dev/null || fail 2 "needs curl"
need() { [ -n "${!1:-}" ] || fail 2 "$1 is not set"; }

case "$provider" in
  github)
    need GITHUB_TOKEN; need GITHUB_REPOSITORY; need PR_NUMBER
    api=${GITHUB_API_URL:-https://api.github.com}
    auth=("Authorization: Bearer $GITHUB_TOKEN" "Accept: application/vnd.github+json" "X-GitHub-Api-Version: 2022-11-28")
    list="$api/repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments"
    edit_method=PATCH; edit_base="$api/repos/$GITHUB_REPOSITORY/issues/comments"
    ;;
  gitlab)
    need GITLAB_TOKEN; need CI_PROJECT_ID; need CI_MERGE_REQUEST_IID
    api=${CI_API_V4_URL:-https://gitlab.com/api/v4}
    auth=("PRIVATE-TOKEN: $GITLAB_TOKEN")
    list="$api/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
    edit_method=PUT; edit_base="$list"
    ;;
  *) fail 2 "unknown provider '$provider' (github or gitlab)" ;;
esac

headers=()
for h in "${auth[@]}"; do headers+=(-H "$h"); done
response=$(mktemp)
trap 'rm -f "$response"' EXIT

# call METHOD URL [JSON]: the body lands in $response, the HTTP status is printed.
call() {
  local data=()
  [ $# -ge 3 ] && data=(-H "Content-Type: application/json" --data-binary "$3")
  curl -sS --max-time 30 -o "$response" -w '%{http_code}' -X "$1" "${headers[@]}" "${data[@]}" "$2" \
    || fail 3 "$1 $2: no answer (curl exit $?)"
}
check() {
  case "$1" in 2??) ;; *) fail 3 "$2 answered HTTP $1: $(head -c 300 "$response")" ;; esac
}

existing=""
for page in $(seq 1 100); do
  status=$(call GET "$list?per_page=100&page=$page")
  check "$status" "GET $list"
  existing=$(jq -r --arg m "$marker" '[.[] | select((.body // "") | contains($m))][0].id // empty' "$response")
  [ -n "$existing" ] && break
  [ "$(jq 'length' "$response")" -lt 100 ] && break
done

payload=$( { printf '%s\n' "$marker"; cat "$body_file"; } | jq -Rs '{body: .}')
if [ -n "$existing" ]; then
  status=$(call "$edit_method" "$edit_base/$existing" "$payload")
  check "$status" "$edit_method $edit_base/$existing"
  echo "updated $existing"
else
  status=$(call POST "$list" "$payload")
  check "$status" "POST $list"
  echo "created $(jq -r '.id' "$response")"
fi
