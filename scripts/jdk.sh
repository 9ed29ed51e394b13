# Sourced by ./finote and .ci/run: find a JDK 21 or newer without the user's help.
# Order: $JAVA_HOME, the java on the PATH, then the usual install locations.
# Sets FINOTE_JAVA_HOME, or prints what to do and returns 1.

finote_java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

finote_find_jdk() {
  local candidates=() dir java_bin major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java_bin=$(command -v java 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$java_bin")")")")
  fi
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* \
             /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(finote_java_major "$dir/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      FINOTE_JAVA_HOME="$dir"
      return 0
    fi
  done
  echo "error: Finote needs a JDK 21 or newer, and none was found (looked at JAVA_HOME, the PATH and /usr/lib/jvm)." >&2
  echo "next:  install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it." >&2
  return 1
}
