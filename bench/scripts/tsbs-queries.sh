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
#   PEERS            peers to run, default "influxdb victoriametrics questdb"; a missing one is skipped with the reason;
#                    "sundial-cold" adds a second Sundial with its start-up query warm-up off (--query-warmup off)
#   QUESTDB_VERSION  QuestDB release to fetch with mvn dependency:get (default 9.3.4; needs Java 17+)
#   RUNS, WARMUPS    timed runs (>= 7, default 9) and warm-ups (default 3) per query type and system
#   CLIENT           what sends the queries: blocking (default; one keep-alive socket per server) or jdk
#                    (java.net.http.HttpClient, a few ms of its own per request)
#   QUERIES          comma-separated subset of the query types (default: all nine)
#   HOSTS, HOURS     a smaller data set for a quick try (default set A: 100 hosts, 24 h; HOURS >= 13)
#   SUNDIAL_JAVA_OPTS  JVM flags of the Sundial server (default -Xmx2g)
#   KEEP=1           keep the temporary directory with the servers' data and logs, and each first answer in answers/
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
peers="${PEERS:-influxdb victoriametrics questdb}"
peers_init tsbs-queries
build_jars

targets=()
labels=()
for kind in sundial $peers; do
  status=0; start_peer "$kind" "$work/$kind" || status=$?
  if [ "$status" = 3 ]; then continue; elif [ "$status" != 0 ]; then exit "$status"; fi
  targets+=("$kind=$peer_url")
  labels+=("$kind=$peer_label")
done

echo "tsbs-queries: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, servers: ${targets[*]}"
bench_java -Xmx3g -Druns="${RUNS:-9}" -Dwarmups="${WARMUPS:-3}" ${QUERIES:+-Dqueries="$QUERIES"} \
  ${CLIENT:+-Dclient="$CLIENT"} \
  ${HOSTS:+-Dhosts="$HOSTS"} ${HOURS:+-Dhours="$HOURS"} $( [ "${KEEP:-0}" = 1 ] && echo "-DanswersDir=$work/answers") \
  -Dlabels="$(IFS=,; echo "${labels[*]}")" io.sundial.bench.tsbs.QueryComparison "${targets[@]}"
