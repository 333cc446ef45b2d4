#!/usr/bin/env bash
# PostgreSQL wire benchmark (issue 6, docs/BENCHMARKS.md "PostgreSQL wire"): rows/s streamed to a JDBC
# client for a raw select of every cpu row, and the nine TSBS devops queries through Sundial's PG wire,
# Sundial's HTTP API and QuestDB's PG wire, on the same data.
#
# Starts Sundial (bin/sundial, with its PG listener) and QuestDB (with its PG wire) through peers.sh on
# free 127.0.0.1 ports with fresh data directories, then runs io.sundial.bench.tsbs.PgWireComparison.
# Everything is stopped and removed on exit (KEEP=1 keeps the directory with the server logs).
#
# Environment:
#   PEERS             "questdb" (default) or "" for Sundial alone
#   RUNS, WARMUPS     timed runs (default 7) and warm-ups (default 2) per query type and path
#   RAW_RUNS          timed runs of the raw select (default 3, after one warm-up)
#   QUERIES           comma-separated subset of the query types (default: all nine)
#   HOSTS, HOURS      the data set (default 100 hosts x 28 h = 1,008,000 cpu rows; HOURS >= 13)
#   QUESTDB_VERSION, SUNDIAL_JAVA_OPTS, SKIP_BUILD=1, KEEP=1   as in peers.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
peers="${PEERS-questdb}"
peers_init pg-queries
build_jars

sundial_pg_port="$(free_port)"
SUNDIAL_PG_PORT="$sundial_pg_port" start_peer sundial "$work/sundial"
flags=(-Dsundial.http="$peer_url" -Dsundial.pg="127.0.0.1:$sundial_pg_port")
labels="$peer_label"
for kind in $peers; do
  [ "$kind" = questdb ] || { echo "pg-queries: only questdb speaks PG wire among the peers, not '$kind'" >&2; exit 2; }
  questdb_pg_port="$(free_port)"
  status=0; QUESTDB_PG_PORT="$questdb_pg_port" start_peer questdb "$work/questdb" || status=$?
  if [ "$status" = 3 ]; then continue; elif [ "$status" != 0 ]; then exit "$status"; fi
  flags+=(-Dquestdb.http="$peer_url" -Dquestdb.pg="127.0.0.1:$questdb_pg_port")
  labels="$labels, $peer_label"
done

echo "pg-queries: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, $labels"
bench_java -Xmx2g -Druns="${RUNS:-7}" -Dwarmups="${WARMUPS:-2}" -DrawRuns="${RAW_RUNS:-3}" ${QUERIES:+-Dqueries="$QUERIES"} \
  ${HOSTS:+-Dhosts="$HOSTS"} ${HOURS:+-Dhours="$HOURS"} "${flags[@]}" io.sundial.bench.tsbs.PgWireComparison
