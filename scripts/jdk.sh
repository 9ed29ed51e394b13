# Sourced by ./finote and .ci/run: find a JDK 21 or newer without the user's help.
# Order: $JAVA_HOME, the java on the PATH, then the usual install locations.
# Sets FINOTE_JAVA_HOME (and FINOTE_JAVA_MAJOR, its major version), or prints what to do and returns 1.

finote_java_major() { # prints the major version of the java binary $1, or nothing
  # A JDK's `release` file names its version: reading it costs nothing, where asking the JVM
  # costs a start of it (0.1-0.3 s on every launch). Without the file, the JVM is asked.
  local release major
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\)[."].*/\1/p' "$release" | head -n 1)
    [ "$major" = 1 ] && major=8 # 1.8.0_…: Java 8
    [ -n "$major" ] && { echo "$major"; return 0; }
  fi
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
      FINOTE_JAVA_MAJOR="$major"
      return 0
    fi
  done
  echo "error: Finote needs a JDK 21 or newer, and none was found (looked at JAVA_HOME, the PATH and /usr/lib/jvm)." >&2
  echo "next:  install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it." >&2
  return 1
}
