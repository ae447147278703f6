#!/usr/bin/env bash
# The GitHub Action's scan step (action.yml): runs `moat scan` with the action's inputs (from
# MOAT_* environment variables) and records the report path and exit code as step outputs, so the
# SARIF upload runs even when there are findings; a later step turns the exit code into failure.
set -uo pipefail
read -r -a paths <<<"${MOAT_PATHS:-.}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
arguments=(scan --no-progress --format "${MOAT_FORMAT:-sarif}" --severity "${MOAT_SEVERITY:-low}"
           --confidence "${MOAT_CONFIDENCE:-low}")
[ -z "${MOAT_CONFIG:-}" ] || arguments+=(--config "$MOAT_CONFIG")
output=${MOAT_OUTPUT:-}
if [ "${MOAT_FORMAT:-sarif}" = github ]; then
  output=""  # workflow commands must reach the log to become annotations
fi
[ -z "$output" ] || arguments+=(--output "$output")
echo "moat ${arguments[*]} ${paths[*]}"
moat "${arguments[@]}" -- "${paths[@]}"
status=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "report=$output" >>"$GITHUB_OUTPUT"
  echo "exit-code=$status" >>"$GITHUB_OUTPUT"
fi
case $status in
  0) echo "moat: no findings" ;;
  1) echo "moat: findings reported${output:+ in $output}" ;;
  *) echo "::error title=moat::moat scan failed (exit $status); its message is above" ;;
esac
exit 0
