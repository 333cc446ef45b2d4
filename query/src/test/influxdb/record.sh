#!/usr/bin/env bash
# Records InfluxDB 1.6's answers to the differential corpus.
#
#   apt-get update && apt-get install -y influxdb     # Debian's influxdb 1.6
#   query/src/test/influxdb/record.sh
#
# Starts influxd on free loopback ports with a temporary data directory (reporting and the
# _internal monitor database off), writes resources/influxdiff/data.lp into database "diff",
# runs every query of resources/influxdiff/queries.txt via /query?db=diff&epoch=ns and writes
# resources/influxdiff/answers.jsonl: one line per query, {"query": ..., "answer": <raw JSON>}.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
resources="$here/../resources/influxdiff"
influxd_bin="${INFLUXD:-influxd}"
command -v "$influxd_bin" >/dev/null || { echo "influxd not found: apt-get install -y influxdb" >&2; exit 1; }

python3 "$here/generate_data.py" > "$resources/data.lp"

work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
http_port="$(free_port)"
rpc_port="$(free_port)"
cat > "$work/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$work/meta"
[data]
  dir = "$work/data"
  wal-dir = "$work/wal"
  query-log-enabled = false
[coordinator]
  max-select-point = 0
  max-select-series = 0
  max-select-buckets = 0
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
CONF

"$influxd_bin" run -config "$work/influxdb.conf" > "$work/influxd.log" 2>&1 &
influxd_pid=$!
cleanup() { kill "$influxd_pid" 2>/dev/null || true; wait "$influxd_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

base="http://127.0.0.1:$http_port"
for _ in $(seq 1 100); do
  curl -sf "$base/ping" >/dev/null && break
  sleep 0.2
done
curl -sf "$base/ping" >/dev/null || { cat "$work/influxd.log" >&2; echo "influxd did not start" >&2; exit 1; }

curl -sf -XPOST "$base/query" --data-urlencode "q=CREATE DATABASE diff" >/dev/null
curl -sf -XPOST "$base/write?db=diff&precision=ns" --data-binary @"$resources/data.lp"

python3 - "$base" "$resources/queries.txt" "$resources/answers.jsonl" <<'PY'
import json, sys, urllib.parse, urllib.request
base, corpus, out = sys.argv[1:]
queries = [l.rstrip("\n") for l in open(corpus, encoding="utf-8") if l.strip() and not l.startswith("#")]
with open(out, "w", encoding="utf-8") as f:
    for q in queries:
        url = base + "/query?" + urllib.parse.urlencode({"db": "diff", "epoch": "ns", "q": q})
        try:
            body = urllib.request.urlopen(url).read().decode("utf-8")
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8")
        json.loads(body)  # the answer must be JSON
        f.write('{"query":' + json.dumps(q) + ',"answer":' + body.strip() + "}\n")
print(f"recorded {len(queries)} answers in {out}")
PY
