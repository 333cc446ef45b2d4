#!/usr/bin/env bash
# Remote-write ingest rate and PromQL query_range latency, Sundial next to VictoriaMetrics and
# Prometheus (with --web.enable-remote-write-receiver) in one run (issue 5, "Benchmarks").
#
# Starts the three servers on free 127.0.0.1 ports with fresh data directories under one temporary
# directory, then runs io.sundial.bench.tsbs.RemoteWriteComparison, which sends the devops cpu set
# (metric per field) as remote write to each and times query_range. Every server is stopped and the
# directory removed on exit (KEEP=1 keeps it, with each server's log).
#
# After the ingest it waits until every system is ready by its own signal (Sundial: its start-up query warm-up
# has ended, sundial_query_warmup_running 0 on /metrics), times the queries over the data as written, calls each
# system's own flush (Sundial /api/v1/admin/flush, VictoriaMetrics /internal/force_flush; Prometheus has none) and
# times them again; with each median it prints the server's CPU ms per query (from /proc/<pid>/stat).
#
# Environment: HOSTS (100), HOURS (6), RUNS (9), WARMUPS (10), WRITERS (2), SHAPE (prometheus: 500 samples
#   a request, one per TimeSeries, as Prometheus 2.42 sends; slices: 10-minute slices), SAMPLES_PER_SEND (500),
#   SUNDIAL_JAVA_OPTS (default -Xmx2g), SUNDIAL_FLAGS (extra `sundial server` flags, e.g. "--fsync interval=100ms"),
#   PEERS (default "victoriametrics prometheus").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
peers="${PEERS:-victoriametrics prometheus}"
peers_init remote-write
build_jars

targets=()
versions=()
pids=()
for kind in sundial $peers; do
  extra=()
  if [ "$kind" = sundial ] && [ -n "${SUNDIAL_FLAGS:-}" ]; then read -r -a extra <<<"$SUNDIAL_FLAGS"; fi
  status=0; start_peer "$kind" "$work/$kind" ${extra[@]+"${extra[@]}"} || status=$?
  if [ "$status" = 3 ]; then continue; elif [ "$status" != 0 ]; then exit "$status"; fi
  targets+=("$kind=$peer_url")
  pids+=("$kind=$peer_pid")
  versions+=("$peer_label")
done

echo "remote-write: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs; $(IFS=,; echo "${versions[*]}")"
bench_java -Xmx2g -Dhosts="${HOSTS:-100}" -Dhours="${HOURS:-6}" -Druns="${RUNS:-9}" -Dwarmups="${WARMUPS:-10}" \
  -Dwriters="${WRITERS:-2}" -Dpids="$(IFS=,; echo "${pids[*]}")" \
  -Dshape="${SHAPE:-prometheus}" -DsamplesPerSend="${SAMPLES_PER_SEND:-500}" io.sundial.bench.tsbs.RemoteWriteComparison "${targets[@]}"
