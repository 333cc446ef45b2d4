# Starting and stopping Sundial and its peers for the comparison scripts; sourced, not run.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
#   peers_init tsbs-queries          # message prefix; finds JDK 25 ($java25), makes $work, traps EXIT
#   start_peer sundial "$work/sundial" [extra sundial server flags...]
#   echo "$peer_url $peer_pid $peer_label $peer_data_dirs"
#   stop_peer "$peer_pid"            # or leave it: every started server is stopped on exit
#
# start_peer returns 3 when the system is not installed (the caller skips it, the reason is printed).
# Environment read here:
#   QUESTDB_VERSION    QuestDB release fetched with mvn dependency:get (default 9.3.4; needs Java 17+)
#   QUESTDB_PG_PORT    when set, QuestDB also serves PostgreSQL wire on 127.0.0.1:$QUESTDB_PG_PORT
#   SUNDIAL_PG_PORT    when set, Sundial also serves PostgreSQL wire on 127.0.0.1:$SUNDIAL_PG_PORT
#   SUNDIAL_JAVA_OPTS  JVM flags of the Sundial server (default -Xmx2g; SUNDIAL_JAVA_OPTS=launcher: bin/sundial's own defaults)
#   SUNDIAL_JAVA_HOME  a JDK 25 to use instead of the one found under /usr/lib/jvm
#   KEEP=1             keep $work (data and server logs) on exit

peers_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers_m2="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"
peer_pids=()

# peers_init NAME: sets $peers_name (message prefix), $java25 and $work, and stops everything on exit.
peers_init() {
  peers_name="$1"
  java25=""
  local candidate
  for candidate in "${SUNDIAL_JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then java25="$candidate/bin/java"; break; fi
  done
  [ -n "$java25" ] || { echo "$peers_name: no JDK 25 under /usr/lib/jvm (set SUNDIAL_JAVA_HOME)" >&2; exit 2; }
  work="$(mktemp -d "/tmp/$peers_name.XXXXXX")"
  trap peers_cleanup EXIT
}

peers_cleanup() {
  local pid
  for pid in "${peer_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${peer_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "$peers_name: kept $work"; else rm -rf "$work"; fi
}

# build_jars: the Sundial launcher's jars and the bench harnesses (tests skipped); SKIP_BUILD=1 skips it.
build_jars() {
  if [ "${SKIP_BUILD:-0}" = 1 ]; then return 0; fi
  echo "$peers_name: building (mvn package, tests skipped)..." >&2
  (cd "$peers_root" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl cli,bench -am package) >&2
}

# bench_java [java flags...] MAIN [args...]: runs a bench class with the built classpath.
bench_java() {
  "$java25" -cp "$peers_root/bench/target/classes:$peers_root/bench/target/lib/*" "$@"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_ready NAME URL PID LOG: polls URL until it answers 2xx; fails with the log's tail if the process
# exits or 120 s pass. (The peers signal readiness only through their HTTP answers.)
wait_ready() {
  local name="$1" url="$2" pid="$3" log="$4" deadline=$((SECONDS + 120))
  until curl -sf -o /dev/null "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$peers_name: $name exited while starting; last lines of $log:" >&2; tail -20 "$log" >&2; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$peers_name: $name did not answer $url within 120 s; last lines of $log:" >&2; tail -20 "$log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# stop_peer PID: stops one server started by start_peer and waits for it to exit.
stop_peer() {
  local pid="$1" kept=() other
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for other in "${peer_pids[@]}"; do [ "$other" = "$pid" ] || kept+=("$other"); done
  peer_pids=("${kept[@]}")
}

# start_peer KIND DIR [sundial flags...]: starts sundial, influxdb, victoriametrics, questdb or prometheus
# alone on a free 127.0.0.1 port with its data under DIR; sets peer_pid, peer_url, peer_label and
# peer_data_dirs (comma-separated directories holding its data). Returns 3 when KIND is not installed.
start_peer() {
  local kind="$1" dir="$2" port
  shift 2
  port="$(free_port)"; mkdir -p "$dir"
  case "$kind" in
    sundial-cold)
      # Sundial without its start-up query warm-up, as a second column beside the default one.
      start_peer sundial "$dir" --query-warmup off "$@" || return
      port="${peer_url##*:}" # the inner call's port: peer_url is set again below
      peer_label="$peer_label (query warm-up off)"
      ;;
    sundial)
      # bin/sundial execs java, so the pid is the JVM's. "launcher" leaves the JVM flags to bin/sundial.
      local -a launcher_env=(SUNDIAL_JAVA_OPTS="${SUNDIAL_JAVA_OPTS:--Xmx2g}")
      [ "${SUNDIAL_JAVA_OPTS:-}" = launcher ] && launcher_env=(-u SUNDIAL_JAVA_OPTS)
      env "${launcher_env[@]}" "$peers_root/bin/sundial" server --data-dir "$dir/data" \
        --http-addr "127.0.0.1:$port" --lp-addr off --pg-addr "${SUNDIAL_PG_PORT:+127.0.0.1:}${SUNDIAL_PG_PORT:-off}" "$@" \
        >"$dir/server.log" 2>&1 &
      peer_pid=$!
      peer_pids+=("$peer_pid")
      wait_ready Sundial "http://127.0.0.1:$port/ping" "$peer_pid" "$dir/server.log"
      peer_data_dirs="$dir/data"
      peer_label="Sundial $(git -C "$peers_root" rev-parse --short HEAD 2>/dev/null || echo)"
      ;;
    influxdb)
      if ! command -v influxd >/dev/null; then echo "$peers_name: skipping InfluxDB: influxd is not installed (apt-get install influxdb)" >&2; return 3; fi
      local rpc_port; rpc_port="$(free_port)"
      cat >"$dir/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  wal-fsync-delay = "0s"
  index-version = "inmem"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$port"
  log-enabled = false
  max-body-size = 0
[ifql]
  enabled = false
[continuous_queries]
  enabled = false
[logging]
  level = "warn"
EOF
      influxd run -config "$dir/influxdb.conf" >"$dir/server.log" 2>&1 &
      peer_pid=$!
      peer_pids+=("$peer_pid")
      wait_ready InfluxDB "http://127.0.0.1:$port/ping" "$peer_pid" "$dir/server.log"
      peer_data_dirs="$dir/data,$dir/wal"
      peer_label="InfluxDB $(influxd version 2>/dev/null | sed -n 's/^InfluxDB v\([^ ]*\).*/\1/p')"
      ;;
    victoriametrics)
      if ! command -v victoria-metrics >/dev/null; then echo "$peers_name: skipping VictoriaMetrics: victoria-metrics is not installed (apt-get install victoria-metrics)" >&2; return 3; fi
      # 2016 data needs a retention longer than the default month; the rollup-result cache is off so that
      # every timed query computes its answer, as the other systems do (none of them caches results).
      victoria-metrics -storageDataPath="$dir/data" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y \
        -search.disableCache -loggerLevel=WARN >"$dir/server.log" 2>&1 &
      peer_pid=$!
      peer_pids+=("$peer_pid")
      wait_ready VictoriaMetrics "http://127.0.0.1:$port/health" "$peer_pid" "$dir/server.log"
      peer_data_dirs="$dir/data"
      peer_label="VictoriaMetrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null | sed 's/+.*//')"
      ;;
    questdb)
      local version="${QUESTDB_VERSION:-9.3.4}"
      local jar="$peers_m2/org/questdb/questdb/$version/questdb-$version.jar"
      if [ ! -f "$jar" ]; then
        (cd "$peers_root" && mvn -B -q -ntp dependency:get -Dartifact="org.questdb:questdb:$version") >&2 || {
          echo "$peers_name: skipping QuestDB: mvn dependency:get org.questdb:questdb:$version failed" >&2; return 3; }
      fi
      mkdir -p "$dir/conf"
      {
        echo "http.bind.to=127.0.0.1:$port"
        echo "http.min.enabled=false"
        if [ -n "${QUESTDB_PG_PORT:-}" ]; then
          echo "pg.enabled=true"
          echo "pg.net.bind.to=127.0.0.1:$QUESTDB_PG_PORT"
        else
          echo "pg.enabled=false"
        fi
        echo "line.tcp.enabled=false"
        echo "line.udp.enabled=false"
        echo "telemetry.enabled=false"
      } >"$dir/conf/server.conf"
      "$java25" -Xmx1g -p "$jar" -m io.questdb/io.questdb.ServerMain -d "$dir" >"$dir/server.log" 2>&1 &
      peer_pid=$!
      peer_pids+=("$peer_pid")
      wait_ready QuestDB "http://127.0.0.1:$port/exec?query=select%201" "$peer_pid" "$dir/server.log"
      peer_data_dirs="$dir/db"
      peer_label="QuestDB $version"
      ;;
    prometheus)
      if ! command -v prometheus >/dev/null; then echo "$peers_name: skipping Prometheus: prometheus is not installed (apt-get install prometheus)" >&2; return 3; fi
      printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$dir/prometheus.yml"
      prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" --web.listen-address="127.0.0.1:$port" \
        --web.enable-remote-write-receiver --log.level=warn >"$dir/server.log" 2>&1 &
      peer_pid=$!
      peer_pids+=("$peer_pid")
      wait_ready Prometheus "http://127.0.0.1:$port/-/ready" "$peer_pid" "$dir/server.log"
      peer_data_dirs="$dir/data"
      peer_label="Prometheus $(dpkg-query -W -f='${Version}' prometheus 2>/dev/null | sed 's/+.*//')"
      ;;
    *) echo "$peers_name: unknown system '$kind' (known: sundial influxdb victoriametrics questdb prometheus)" >&2; exit 2 ;;
  esac
  peer_url="http://127.0.0.1:$port"
}
