# The server JVM's options and what FINOTE_JAVA_OPTS may change in them: sourced (bash) by the
# launcher (./finote) and by the container image's entrypoint (scripts/image-entrypoint.sh), so that
# both start the server the same way. See README, "JVM memory and start-up".

# The defaults of `serve` and `dev`. The image sets FINOTE_JVM_DEFAULTS to the same (DeploymentFilesTest).
FINOTE_SERVER_JVM_DEFAULTS="-XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true"

# finote_jvm_defaults DEFAULTS OPERATOR_OPTIONS: prints DEFAULTS without their choice of garbage
# collector when OPERATOR_OPTIONS choose one. For most options the later one on the command line
# wins; two collectors are refused instead ("Multiple garbage collectors selected") and the server
# would not start.
finote_jvm_defaults() {
  local option operator_chooses="" defaults=() operator=() kept=()
  # read -a splits into words without expanding file patterns.
  read -r -a defaults <<<"$1"
  read -r -a operator <<<"$2"
  for option in ${operator[@]+"${operator[@]}"}; do
    case "$option" in -XX:+UseSerialGC|-XX:+UseParallelGC|-XX:+UseG1GC|-XX:+UseZGC|-XX:+UseShenandoahGC|-XX:+UseEpsilonGC) operator_chooses=1 ;; esac
  done
  for option in ${defaults[@]+"${defaults[@]}"}; do
    case "$option" in -XX:+UseSerialGC|-XX:+UseParallelGC|-XX:+UseG1GC|-XX:+UseZGC|-XX:+UseShenandoahGC|-XX:+UseEpsilonGC)
      [ -n "$operator_chooses" ] && continue ;;
    esac
    kept+=("$option")
  done
  printf '%s\n' "${kept[*]+"${kept[*]}"}"
}

# finote_vm_flags OPTIONS: the JVM's own flags among OPTIONS (-X…, -XX:…: heap, collector, compiler),
# those that decide whether an AOT cache can be used; system properties and agents do not.
finote_vm_flags() {
  local option options=() flags=()
  read -r -a options <<<"$1"
  for option in ${options[@]+"${options[@]}"}; do
    case "$option" in -X*) flags+=("$option") ;; esac
  done
  printf '%s\n' "${flags[*]+"${flags[*]}"}"
}

# finote_aot_cache_fits JAVA CACHE JAR OPTIONS…: whether JAVA, started with OPTIONS and JAR as its
# class path, uses the AOT cache CACHE. A cache keeps objects laid out for the heap it was made
# with; with some heap options (a young generation as big as the initial heap, for one: -Xmn64m
# beside the default -Xms32m) the JVM cannot load them and refuses to start ("Unable to use AOT
# cache") instead of going on without the cache. -version starts no application code.
finote_aot_cache_fits() {
  local java=$1 cache=$2 jar=$3
  shift 3
  "$java" -XX:AOTCache="$cache" -Xlog:aot=off -Xlog:cds=off "$@" -cp "$jar" -version >/dev/null 2>&1
}
