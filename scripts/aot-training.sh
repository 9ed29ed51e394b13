# Sourced by ./finote and run by the container image's build (deploy/Dockerfile): the training start
# that makes the server's JVM AOT cache (JDK 25). The server runs with the caller's command (a
# `serve` on PORT=0 whose database cannot be reached, with -XX:AOTCacheOutput), answers one
# request of each kind a real start sees first, so that the classes of serving are cached as well
# as those of starting, and is then ended with SIGTERM: the JVM writes the cache as it exits.
# Bash only (its /dev/tcp speaks HTTP): the JRE image has no curl.

# One request to the training server; prints its status line. In a subshell of its own: a
# connection that fails ends only that subshell.
finote_training_request() ( # port method path [ascii JSON body]
  status="" body="${4:-}"
  if exec 6<>"/dev/tcp/127.0.0.1/$1"; then
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n%s' \
      "$2" "$3" "${#body}" "$body" >&6
    IFS= read -r -t 10 status <&6 || true
    while IFS= read -r -t 10 line <&6; do :; done # the whole answer, so the server never writes to a closed socket
  fi
  printf 'training request %s %s: %s\n' "$2" "$3" "${status%$'\r'}"
) 2>/dev/null

# finote_aot_training CACHE LOG COMMAND…: true when COMMAND (which writes CACHE) served the requests
# and wrote it. The server's output and the requests' statuses go to LOG. Never leaves it running.
finote_aot_training() {
  local output="$1" log="$2" pid port="" i request
  shift 2
  : >"$log"
  "$@" </dev/null >>"$log" 2>&1 7>&- &
  pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null' EXIT
  for ((i = 0; i < 1200; i++)); do # up to about 2 minutes on a slow machine
    port=$(sed -n 's/.*Tomcat started on port \([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -n "$port" ]; then
    for request in "GET /healthz" "GET /readyz" "GET /" "GET /assets/app.js" "GET /api/auth/me" "GET /api/notes?limit=50" \
        "GET /metrics" "POST /api/auth/login" "POST /api/auth/register"; do
      case "$request" in
        POST*) finote_training_request "$port" ${request} '{"username":"training","password":"training-password"}' ;;
        *) finote_training_request "$port" ${request} ;;
      esac >>"$log"
    done
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true # ended by SIGTERM: its status says so
  trap - EXIT
  [ -n "$port" ] && [ -s "$output" ]
}
