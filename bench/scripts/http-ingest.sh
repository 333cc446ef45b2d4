#!/usr/bin/env bash
# Line-protocol ingest over HTTP, Sundial and its peers one after another in one run (issue 4, "Benchmarks").
#
# For each data set and each system: starts the system alone on a free 127.0.0.1 port with a fresh
# data directory (Sundial through bin/sundial, InfluxDB 1.x `influxd`, VictoriaMetrics
# `victoria-metrics`, QuestDB from its Maven Central jar), runs io.sundial.bench.tsbs.IngestComparison
# (4 keep-alive clients POST pre-rendered 5,000-line bodies; values/s to all rows queryable, peak RSS
# from VmHWM, bytes on disk per value after the system's flush/merge), stops it and removes its data.
# Then io.sundial.bench.tsbs.IngestChart draws the results as a PNG. One system at a time, so peak RSS
# and the CPUs belong to the one measured.
#
# Environment:
#   SETS             data sets, default "A B"
#   PEERS            peers to run, default "influxdb victoriametrics questdb" (empty: Sundial only); a missing one is skipped
#   SYSTEMS          systems to run in this order, default "sundial $PEERS" (e.g. to finish a run that was cut short)
#   QUESTDB_VERSION  QuestDB release to fetch with mvn dependency:get (default 9.3.4; needs Java 17+)
#   CLIENTS, LINES_PER_BODY  concurrent clients (4) and lines per request body (5000)
#   SUNDIAL_JAVA_OPTS  JVM flags of the Sundial server (default -Xmx2g)
#   CHART            PNG to write (default docs/benchmarks/http-ingest.png); RESULTS keeps the TSV rows there too
#   KEEP=1           keep the temporary directory with the servers' logs
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sets="${SETS:-A B}"
peers="${PEERS-influxdb victoriametrics questdb}"
questdb_version="${QUESTDB_VERSION:-9.3.4}"
m2="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"
chart="${CHART:-$root/docs/benchmarks/http-ingest.png}"

java25=""
for candidate in "${SUNDIAL_JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then java25="$candidate/bin/java"; break; fi
done
[ -n "$java25" ] || { echo "http-ingest: no JDK 25 under /usr/lib/jvm (set SUNDIAL_JAVA_HOME)" >&2; exit 2; }

work="$(mktemp -d /tmp/http-ingest.XXXXXX)"
results="${RESULTS:-$work/results.tsv}"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  if [ "${KEEP:-0}" = 1 ]; then echo "http-ingest: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_ready NAME URL PID LOG: polls URL until it answers 2xx; fails with the log's tail if the process
# exits or 120 s pass.
wait_ready() {
  local name="$1" url="$2" pid="$3" log="$4" deadline=$((SECONDS + 120))
  until curl -sf -o /dev/null "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "http-ingest: $name exited while starting; last lines of $log:" >&2; tail -20 "$log" >&2; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "http-ingest: $name did not answer $url within 120 s; last lines of $log:" >&2; tail -20 "$log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# start_system KIND DIR: starts one system with its data under DIR; sets server_pid, url, data_dirs, label.
# Returns 3 when the system is not installed (the caller skips it).
start_system() {
  local kind="$1" dir="$2" port
  port="$(free_port)"; mkdir -p "$dir"
  case "$kind" in
    sundial)
      SUNDIAL_JAVA_OPTS="${SUNDIAL_JAVA_OPTS:--Xmx2g}" "$root/bin/sundial" server --data-dir "$dir/data" \
        --http-addr "127.0.0.1:$port" --lp-addr off --pg-addr off >"$dir/server.log" 2>&1 &
      server_pid=$!  # bin/sundial execs java, so this is the JVM's pid
      wait_ready Sundial "http://127.0.0.1:$port/ping" "$server_pid" "$dir/server.log"
      data_dirs="$dir/data"
      label="Sundial $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo)"
      ;;
    influxdb)
      if ! command -v influxd >/dev/null; then echo "http-ingest: skipping InfluxDB: influxd is not installed (apt-get install influxdb)" >&2; return 3; fi
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
      server_pid=$!
      wait_ready InfluxDB "http://127.0.0.1:$port/ping" "$server_pid" "$dir/server.log"
      data_dirs="$dir/data,$dir/wal"
      label="InfluxDB $(influxd version 2>/dev/null | sed -n 's/^InfluxDB v\([^ ]*\).*/\1/p')"
      ;;
    victoriametrics)
      if ! command -v victoria-metrics >/dev/null; then echo "http-ingest: skipping VictoriaMetrics: victoria-metrics is not installed (apt-get install victoria-metrics)" >&2; return 3; fi
      # 2016 data needs a retention longer than the default month.
      victoria-metrics -storageDataPath="$dir/data" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y \
        -loggerLevel=WARN >"$dir/server.log" 2>&1 &
      server_pid=$!
      wait_ready VictoriaMetrics "http://127.0.0.1:$port/health" "$server_pid" "$dir/server.log"
      data_dirs="$dir/data"
      label="VictoriaMetrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null | sed 's/+.*//')"
      ;;
    questdb)
      local jar="$m2/org/questdb/questdb/$questdb_version/questdb-$questdb_version.jar"
      if [ ! -f "$jar" ]; then
        (cd "$root" && mvn -B -q -ntp dependency:get -Dartifact="org.questdb:questdb:$questdb_version") >&2 || {
          echo "http-ingest: skipping QuestDB: mvn dependency:get org.questdb:questdb:$questdb_version failed" >&2; return 3; }
      fi
      mkdir -p "$dir/conf"
      cat >"$dir/conf/server.conf" <<EOF
http.bind.to=127.0.0.1:$port
http.min.enabled=false
pg.enabled=false
line.tcp.enabled=false
line.udp.enabled=false
telemetry.enabled=false
EOF
      "$java25" -Xmx1g -p "$jar" -m io.questdb/io.questdb.ServerMain -d "$dir" >"$dir/server.log" 2>&1 &
      server_pid=$!
      wait_ready QuestDB "http://127.0.0.1:$port/exec?query=select%201" "$server_pid" "$dir/server.log"
      data_dirs="$dir/db"
      label="QuestDB $questdb_version"
      ;;
    *) echo "http-ingest: unknown system '$kind' (known: sundial influxdb victoriametrics questdb)" >&2; exit 2 ;;
  esac
  url="http://127.0.0.1:$port"
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "http-ingest: building (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl cli,bench -am package) >&2
fi

echo "http-ingest: $(date -u +%FT%TZ), load before $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
for set in $sets; do
  for kind in ${SYSTEMS:-sundial $peers}; do
    dir="$work/$set-$kind"
    status=0; start_system "$kind" "$dir" || status=$?
    if [ "$status" = 3 ]; then continue; elif [ "$status" != 0 ]; then exit "$status"; fi
    echo "http-ingest: set $set, $label at $url, load $(cut -d' ' -f1-3 /proc/loadavg)"
    "$java25" -Xmx3g -Dset="$set" -Dclients="${CLIENTS:-4}" -DlinesPerBody="${LINES_PER_BODY:-5000}" \
      -Dpid="$server_pid" -DdataDirs="$data_dirs" -Dlabel="$label" -Dresults="$results" \
      -cp "$root/bench/target/classes:$root/bench/target/lib/*" io.sundial.bench.tsbs.IngestComparison "$kind=$url"
    stop_server
    # QuestDB keeps blocks allocated ahead while it runs and releases them on shutdown, so the bytes in
    # use after the stop are reported as well.
    echo "http-ingest: set $set, $label: $(du -s -B1 -c ${data_dirs//,/ } | tail -1 | cut -f1) bytes in use after stop"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$dir/data" "$dir/wal" "$dir/db"
  done
done
echo "http-ingest: $(date -u +%FT%TZ), load after $(cut -d' ' -f1-3 /proc/loadavg)"
"$java25" -cp "$root/bench/target/classes:$root/bench/target/lib/*" io.sundial.bench.tsbs.IngestChart "$results" "$chart"
echo "http-ingest: results (set, system, values, seconds, peak RSS bytes, disk bytes):"
cat "$results"
