#!/usr/bin/env bash
# TSBS devops queries over HTTP, Sundial side by side with its peers in one run (issue 3, "Benchmarks").
#
# Starts Sundial (from the built jars, through bin/sundial), InfluxDB 1.x (influxd), VictoriaMetrics
# (victoria-metrics) and QuestDB (the jar from Maven Central, as its own JVM) on free 127.0.0.1 ports
# with fresh data directories under one temporary directory, then runs
# io.sundial.bench.tsbs.QueryComparison, which loads set A into each, runs the nine query types and
# prints the table. Every server is stopped and the directory removed on exit (KEEP=1 keeps it, with
# each server's log).
#
# Environment:
#   PEERS            peers to run, default "influxdb victoriametrics questdb"; a missing one is skipped with the reason
#   QUESTDB_VERSION  QuestDB release to fetch with mvn dependency:get (default 9.3.4; needs Java 17+)
#   RUNS, WARMUPS    timed runs (>= 7, default 9) and warm-ups (default 3) per query type and system
#   QUERIES          comma-separated subset of the query types (default: all nine)
#   HOSTS, HOURS     a smaller data set for a quick try (default set A: 100 hosts, 24 h; HOURS >= 13)
#   SUNDIAL_JAVA_OPTS  JVM flags of the Sundial server (default -Xmx2g)
#   KEEP=1           keep the temporary directory with the servers' data and logs, and each first answer in answers/
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="${PEERS:-influxdb victoriametrics questdb}"
questdb_version="${QUESTDB_VERSION:-9.3.4}"
m2="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"

java25=""
for candidate in "${SUNDIAL_JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then java25="$candidate/bin/java"; break; fi
done
[ -n "$java25" ] || { echo "tsbs-queries: no JDK 25 under /usr/lib/jvm (set SUNDIAL_JAVA_HOME)" >&2; exit 2; }

work="$(mktemp -d /tmp/tsbs-queries.XXXXXX)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "tsbs-queries: kept $work"; else rm -rf "$work"; fi
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
      echo "tsbs-queries: $name exited while starting; last lines of $log:" >&2; tail -20 "$log" >&2; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "tsbs-queries: $name did not answer $url within 120 s; last lines of $log:" >&2; tail -20 "$log" >&2
      return 1
    fi
    sleep 0.2
  done
}

echo "tsbs-queries: building (mvn package, tests skipped)..." >&2
(cd "$root" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl cli,bench -am package) >&2

targets=()
labels=()

port="$(free_port)"
mkdir -p "$work/sundial"
SUNDIAL_JAVA_OPTS="${SUNDIAL_JAVA_OPTS:--Xmx2g}" "$root/bin/sundial" server --data-dir "$work/sundial/data" \
  --http-addr "127.0.0.1:$port" --lp-addr off --pg-addr off >"$work/sundial/server.log" 2>&1 &
pids+=($!)
wait_ready Sundial "http://127.0.0.1:$port/ping" "$!" "$work/sundial/server.log"
targets+=("sundial=http://127.0.0.1:$port")
labels+=("sundial=Sundial $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo)")

for peer in $peers; do
  case "$peer" in
    influxdb)
      if ! command -v influxd >/dev/null; then echo "tsbs-queries: skipping InfluxDB: influxd is not installed (apt-get install influxdb)" >&2; continue; fi
      port="$(free_port)"; rpc_port="$(free_port)"; dir="$work/influxdb"; mkdir -p "$dir"
      cat >"$dir/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
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
      pids+=($!)
      wait_ready InfluxDB "http://127.0.0.1:$port/ping" "$!" "$dir/server.log"
      targets+=("influxdb=http://127.0.0.1:$port")
      labels+=("influxdb=InfluxDB $(influxd version 2>/dev/null | sed -n 's/^InfluxDB v\([^ ]*\).*/\1/p')")
      ;;
    victoriametrics)
      if ! command -v victoria-metrics >/dev/null; then echo "tsbs-queries: skipping VictoriaMetrics: victoria-metrics is not installed (apt-get install victoria-metrics)" >&2; continue; fi
      port="$(free_port)"; dir="$work/victoriametrics"; mkdir -p "$dir"
      # 2016 data needs a retention longer than the default month; the rollup-result cache is off so that
      # every timed run computes its answer, as the other systems do (none of them caches results).
      victoria-metrics -storageDataPath="$dir/data" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y \
        -search.disableCache -loggerLevel=WARN >"$dir/server.log" 2>&1 &
      pids+=($!)
      wait_ready VictoriaMetrics "http://127.0.0.1:$port/health" "$!" "$dir/server.log"
      targets+=("victoriametrics=http://127.0.0.1:$port")
      labels+=("victoriametrics=VictoriaMetrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null | sed 's/+.*//')")
      ;;
    questdb)
      jar="$m2/org/questdb/questdb/$questdb_version/questdb-$questdb_version.jar"
      if [ ! -f "$jar" ]; then
        (cd "$root" && mvn -B -q -ntp dependency:get -Dartifact="org.questdb:questdb:$questdb_version") >&2 || {
          echo "tsbs-queries: skipping QuestDB: mvn dependency:get org.questdb:questdb:$questdb_version failed" >&2; continue; }
      fi
      port="$(free_port)"; dir="$work/questdb"; mkdir -p "$dir/conf"
      cat >"$dir/conf/server.conf" <<EOF
http.bind.to=127.0.0.1:$port
http.min.enabled=false
pg.enabled=false
line.tcp.enabled=false
line.udp.enabled=false
telemetry.enabled=false
EOF
      "$java25" -Xmx1g -p "$jar" -m io.questdb/io.questdb.ServerMain -d "$dir" >"$dir/server.log" 2>&1 &
      pids+=($!)
      wait_ready QuestDB "http://127.0.0.1:$port/exec?query=select%201" "$!" "$dir/server.log"
      targets+=("questdb=http://127.0.0.1:$port")
      labels+=("questdb=QuestDB $questdb_version")
      ;;
    *) echo "tsbs-queries: unknown peer '$peer' (known: influxdb victoriametrics questdb)" >&2; exit 2 ;;
  esac
done

echo "tsbs-queries: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, servers: ${targets[*]}"
"$java25" -Xmx3g -Druns="${RUNS:-9}" -Dwarmups="${WARMUPS:-3}" ${QUERIES:+-Dqueries="$QUERIES"} \
  ${HOSTS:+-Dhosts="$HOSTS"} ${HOURS:+-Dhours="$HOURS"} $( [ "${KEEP:-0}" = 1 ] && echo "-DanswersDir=$work/answers") \
  -Dlabels="$(IFS=,; echo "${labels[*]}")" \
  -cp "$root/bench/target/classes:$root/bench/target/lib/*" io.sundial.bench.tsbs.QueryComparison "${targets[@]}"
