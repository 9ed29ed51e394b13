#!/usr/bin/env bash
# The container image's entrypoint (deploy/Dockerfile): starts finote's JVM with FINOTE_JVM_DEFAULTS,
# the AOT cache made at `docker build`, then FINOTE_JAVA_OPTS, so that the operator's options win:
#   - a garbage collector chosen in FINOTE_JAVA_OPTS replaces the default one (the JVM refuses two);
#   - when the JVM cannot use the cache with FINOTE_JAVA_OPTS (it would refuse to start), the
#     server starts without the cache, more slowly, and says so.
# The image's root file system may be read-only, so nothing is remembered: with FINOTE_JAVA_OPTS
# set, every start asks the JVM first (`java -version`, a fraction of a second).
set -euo pipefail
app="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=scripts/jvm-options.sh
. "$app/jvm-options.sh"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

read -r -a defaults <<<"$(finote_jvm_defaults "${FINOTE_JVM_DEFAULTS:-}" "${FINOTE_JAVA_OPTS:-}")"
cache=(-XX:AOTCache="$app/finote.aot")
options=$(finote_probe_options "${FINOTE_JAVA_OPTS:-}")
answer=0
# shellcheck disable=SC2086 # the options are words, as FINOTE_JAVA_OPTS is split below
[ -z "$options" ] || finote_aot_cache_fits "$java" "$app/finote.aot" "$app/finote.jar" ${defaults[@]+"${defaults[@]}"} $options || answer=$?
if [ "$answer" -eq 1 ]; then
  finote_warn_cache_refused "$options"
  cache=()
fi
# shellcheck disable=SC2086 # FINOTE_JAVA_OPTS is split into options, as it always was
exec "$java" ${defaults[@]+"${defaults[@]}"} ${cache[@]+"${cache[@]}"} ${FINOTE_JAVA_OPTS:-} -jar "$app/finote.jar" "$@"
