# The server JVM's options and what FINOTE_JAVA_OPTS may change in them: sourced (bash) by the
# launcher (./finote) and by the container image's entrypoint (scripts/image-entrypoint.sh), so that
# both start the server the same way. See README, "JVM memory and start-up".
# FINOTE_JAVA_OPTS is split into options at spaces, tabs and line breaks (a YAML block can hold one
# option per line), as the command line that runs the JVM splits it.

# The defaults of `serve` and `dev`. The image sets FINOTE_JVM_DEFAULTS to the same (DeploymentFilesTest).
FINOTE_SERVER_JVM_DEFAULTS="-XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true"

# finote_chooses_collector OPTION: whether OPTION chooses the garbage collector.
finote_chooses_collector() {
  case "$1" in -XX:+UseSerialGC|-XX:+UseParallelGC|-XX:+UseG1GC|-XX:+UseZGC|-XX:+UseShenandoahGC|-XX:+UseEpsilonGC) return 0 ;; esac
  return 1
}

# finote_jvm_defaults DEFAULTS OPERATOR_OPTIONS: prints DEFAULTS without their choice of garbage
# collector when OPERATOR_OPTIONS choose one. For most options the later one on the command line
# wins; two collectors are refused instead ("Multiple garbage collectors selected") and the server
# would not start.
finote_jvm_defaults() {
  local option operator_chooses="" defaults=() operator=() kept=()
  # read -a splits into words without expanding file patterns; it reads one line, hence the newlines turned into spaces.
  read -r -a defaults <<<"${1//[$'\t\r\n']/ }"
  read -r -a operator <<<"${2//[$'\t\r\n']/ }"
  for option in ${operator[@]+"${operator[@]}"}; do
    finote_chooses_collector "$option" && operator_chooses=1
  done
  for option in ${defaults[@]+"${defaults[@]}"}; do
    [ -n "$operator_chooses" ] && finote_chooses_collector "$option" && continue
    kept+=("$option")
  done
  printf '%s\n' "${kept[*]+"${kept[*]}"}"
}

# finote_probe_options OPTIONS: the options among OPTIONS to ask the JVM about the AOT cache with:
# all but those that act as soon as a JVM starts (agents and the debugger, which could wait for a
# connection; logs and flight recordings, which would write the operator's files).
finote_probe_options() {
  local option options=() kept=()
  read -r -a options <<<"${1//[$'\t\r\n']/ }"
  for option in ${options[@]+"${options[@]}"}; do
    case "$option" in
      -javaagent:*|-agentlib:*|-agentpath:*|-Xrun*|-Xdebug|-Xlog*|-XX:StartFlightRecording*|-XX:+FlightRecorder) ;;
      *) kept+=("$option") ;;
    esac
  done
  printf '%s\n' "${kept[*]+"${kept[*]}"}"
}

# finote_aot_cache_fits JAVA CACHE JAR OPTIONS…: whether JAVA, started with OPTIONS and JAR as its
# class path, can use the AOT cache CACHE: 0 yes, 1 it refuses the cache, 2 it refuses the options
# themselves (the start then reports that in the JVM's words). A cache keeps objects laid out for
# the heap it was made with; with some heap options (a young generation as big as the initial
# heap, for one: -Xmn64m beside the default -Xms32m) the JVM cannot load them and refuses to start
# ("Unable to use AOT cache") instead of going on without the cache. -version runs no application code.
finote_aot_cache_fits() {
  local java=$1 cache=$2 jar=$3 output
  shift 3
  if output=$("$java" -XX:AOTCache="$cache" -Xlog:aot=off -Xlog:cds=off "$@" -cp "$jar" -version 2>&1); then
    return 0
  fi
  case "$output" in *"AOT cache"*) return 1 ;; esac
  return 2
}

# finote_warn_cache_refused OPTIONS: says, at every start, that the server starts without the cache.
finote_warn_cache_refused() {
  echo "warning: the JVM cannot use finote's start-up cache with FINOTE_JAVA_OPTS ($1); the server starts without it, more slowly." >&2
}
