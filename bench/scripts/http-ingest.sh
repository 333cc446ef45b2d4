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
#   SUNDIAL_JAVA_OPTS  JVM flags of the Sundial server (default "launcher": bin/sundial's own defaults, as a user
#                      runs it, so the peak RSS is the one users get; -Xmx2g or any flags to override)
#   CHART            PNG to write (default docs/benchmarks/http-ingest.png); RESULTS keeps the TSV rows there too
#   KEEP=1           keep the temporary directory with the servers' logs
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
sets="${SETS:-A B}"
peers="${PEERS-influxdb victoriametrics questdb}"
peers_init http-ingest
export SUNDIAL_JAVA_OPTS="${SUNDIAL_JAVA_OPTS-launcher}"
chart="${CHART:-$peers_root/docs/benchmarks/http-ingest.png}"
results="${RESULTS:-$work/results.tsv}"
build_jars

echo "http-ingest: $(date -u +%FT%TZ), load before $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
for set in $sets; do
  for kind in ${SYSTEMS:-sundial $peers}; do
    dir="$work/$set-$kind"
    status=0; start_peer "$kind" "$dir" || status=$?
    if [ "$status" = 3 ]; then continue; elif [ "$status" != 0 ]; then exit "$status"; fi
    echo "http-ingest: set $set, $peer_label at $peer_url, load $(cut -d' ' -f1-3 /proc/loadavg)"
    bench_java -Xmx3g -Dset="$set" -Dclients="${CLIENTS:-4}" -DlinesPerBody="${LINES_PER_BODY:-5000}" \
      -Dpid="$peer_pid" -DdataDirs="$peer_data_dirs" -Dlabel="$peer_label" -Dresults="$results" \
      io.sundial.bench.tsbs.IngestComparison "$kind=$peer_url"
    stop_peer "$peer_pid"
    # QuestDB keeps blocks allocated ahead while it runs and releases them on shutdown, so the bytes in
    # use after the stop are reported as well.
    echo "http-ingest: set $set, $peer_label: $(du -s -B1 -c ${peer_data_dirs//,/ } | tail -1 | cut -f1) bytes in use after stop"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$dir/data" "$dir/wal" "$dir/db"
  done
done
echo "http-ingest: $(date -u +%FT%TZ), load after $(cut -d' ' -f1-3 /proc/loadavg)"
bench_java io.sundial.bench.tsbs.IngestChart "$results" "$chart"
echo "http-ingest: results (set, system, values, seconds, peak RSS bytes, disk bytes):"
cat "$results"
