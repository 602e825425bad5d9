#!/usr/bin/env bash
# timeofday against pandas in N interleaved pairs (the peer, then PlaceRisk, N times), on one file: the
# median of the pairs' ratios is steadier than one compare.sh run on a VM whose speed drifts by the minute.
#
#   bash Benchmarks/timeofday_series.sh [N]        (default 10; each side a median of REPEATS runs)
#
# Environment as compare.sh: PEERS_PY, BENCH_DIR (istv_1m.csv is made there when missing), REPEATS (default 5).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY=${PEERS_PY:-/tmp/peers-venv/bin/python}
D=${BENCH_DIR:-/tmp/placerisk-bench}
R=${REPEATS:-5}
N=${1:-10}
mkdir -p "$D"
cd "$ROOT"
swift build -c release --product placerisk-bench >/dev/null
BENCH="$ROOT/.build/release/placerisk-bench"
F="$D/istv_1m.csv"
[[ -s $F ]] || $PY Benchmarks/peers/timeofday_peer.py --file "$F" --make 1000000 --repeats 1 >/dev/null
median() { python3 -c "import json,sys; print(json.loads(sys.stdin.read())['median_s'])"; }
OUT=$(mktemp)
for i in $(seq 1 "$N"); do
  p=$($PY Benchmarks/peers/timeofday_peer.py --file "$F" --repeats "$R" | median)
  q=$("$BENCH" timeofday --file "$F" --schema istv --repeats "$R" | median)
  echo "$p $q" | tee -a "$OUT" | awk '{ printf "pair %d: pandas %.4f s, PlaceRisk %.4f s, %.2fx\n", '"$i"', $1, $2, $1 / $2 }'
done
python3 - "$OUT" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
r = [p / q for p, q in rows]
print("median ratio %.2fx (min %.2fx, max %.2fx) over %d pairs; pandas median %.4f s, PlaceRisk median %.4f s"
      % (statistics.median(r), min(r), max(r), len(r), statistics.median(p for p, _ in rows), statistics.median(q for _, q in rows)))
PY
rm -f "$OUT"
