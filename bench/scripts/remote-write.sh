#!/usr/bin/env bash
# Remote-write ingest rate and PromQL query_range latency, Sundial next to VictoriaMetrics and
# Prometheus (with --web.enable-remote-write-receiver) in one run (issue 5, "Benchmarks").
#
# Starts the three servers on free 127.0.0.1 ports with fresh data directories under one temporary
# directory, then runs io.sundial.bench.tsbs.RemoteWriteComparison, which sends the devops cpu set
# (metric per field) as remote write to each and times query_range. Every server is stopped and the
# directory removed on exit (KEEP=1 keeps it, with each server's log).
#
# Environment: HOSTS (100), HOURS (6), RUNS (7), WARMUPS (2), WRITERS (2),
#   SUNDIAL_JAVA_OPTS (default -Xmx2g), PEERS (default "victoriametrics prometheus").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="${PEERS:-victoriametrics prometheus}"

java25=""
for candidate in "${SUNDIAL_JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then java25="$candidate/bin/java"; break; fi
done
[ -n "$java25" ] || { echo "remote-write: no JDK 25 under /usr/lib/jvm (set SUNDIAL_JAVA_HOME)" >&2; exit 2; }

work="$(mktemp -d /tmp/remote-write.XXXXXX)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "remote-write: kept $work"; else rm -rf "$work"; fi
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
      echo "remote-write: $name exited while starting; last lines of $log:" >&2; tail -20 "$log" >&2; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "remote-write: $name did not answer $url within 120 s; last lines of $log:" >&2; tail -20 "$log" >&2; return 1
    fi
    sleep 0.2
  done
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "remote-write: building (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl cli,bench -am package) >&2
fi

targets=()
port="$(free_port)"
mkdir -p "$work/sundial"
SUNDIAL_JAVA_OPTS="${SUNDIAL_JAVA_OPTS:--Xmx2g}" "$root/bin/sundial" server --data-dir "$work/sundial/data" \
  --http-addr "127.0.0.1:$port" --lp-addr off >"$work/sundial/server.log" 2>&1 &
pids+=($!)
wait_ready Sundial "http://127.0.0.1:$port/ping" "$!" "$work/sundial/server.log"
targets+=("sundial=http://127.0.0.1:$port")

for peer in $peers; do
  case "$peer" in
    victoriametrics)
      if ! command -v victoria-metrics >/dev/null; then echo "remote-write: skipping VictoriaMetrics: not installed (apt-get install victoria-metrics)" >&2; continue; fi
      port="$(free_port)"; dir="$work/victoriametrics"; mkdir -p "$dir"
      victoria-metrics -storageDataPath="$dir/data" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y \
        -search.disableCache -loggerLevel=WARN >"$dir/server.log" 2>&1 &
      pids+=($!)
      wait_ready VictoriaMetrics "http://127.0.0.1:$port/health" "$!" "$dir/server.log"
      targets+=("victoriametrics=http://127.0.0.1:$port")
      ;;
    prometheus)
      if ! command -v prometheus >/dev/null; then echo "remote-write: skipping Prometheus: not installed (apt-get install prometheus)" >&2; continue; fi
      port="$(free_port)"; dir="$work/prometheus"; mkdir -p "$dir"
      printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$dir/prometheus.yml"
      prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" --web.listen-address="127.0.0.1:$port" \
        --web.enable-remote-write-receiver --log.level=warn >"$dir/server.log" 2>&1 &
      pids+=($!)
      wait_ready Prometheus "http://127.0.0.1:$port/-/ready" "$!" "$dir/server.log"
      targets+=("prometheus=http://127.0.0.1:$port")
      ;;
    *) echo "remote-write: unknown peer '$peer' (known: victoriametrics prometheus)" >&2; exit 2 ;;
  esac
done

echo "remote-write: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs; Sundial $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo), VictoriaMetrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null || echo '?'), Prometheus $(dpkg-query -W -f='${Version}' prometheus 2>/dev/null || echo '?')"
"$java25" -Xmx2g -Dhosts="${HOSTS:-100}" -Dhours="${HOURS:-6}" -Druns="${RUNS:-7}" -Dwarmups="${WARMUPS:-2}" \
  -Dwriters="${WRITERS:-2}" -cp "$root/bench/target/classes:$root/bench/target/lib/*" \
  io.sundial.bench.tsbs.RemoteWriteComparison "${targets[@]}"
