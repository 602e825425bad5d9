#!/usr/bin/env bash
# One benchmark against its peer in N interleaved pairs (the peer, then PlaceRisk, N times) on one file:
# the median of the pairs' ratios is steadier than one compare.sh run on a VM whose speed drifts by the minute.
#
#   bash Benchmarks/series.sh timeofday [N]   pandas read_csv + to_datetime + groupby vs `timeofday` (1M ISTV rows)
#   bash Benchmarks/series.sh kde [N]         KDEpy FFTKDE vs the exact quartic (1M points, r = 1500 m, 200 x 150 x 400 m)
#   (N defaults to 10; each side is a median of REPEATS runs)
#
# Environment as compare.sh: PEERS_PY, SHARED, BENCH_DIR (inputs made there when missing), REPEATS (default 5).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY=${PEERS_PY:-/tmp/peers-venv/bin/python}
SHARED=${SHARED:-$ROOT/../shared}
D=${BENCH_DIR:-/tmp/placerisk-bench}
R=${REPEATS:-5}
SUITE=${1:?usage: bash Benchmarks/series.sh timeofday|kde [N]}
N=${2:-10}
mkdir -p "$D"
cd "$ROOT"
swift build -c release --product placerisk-bench >/dev/null
BENCH="$ROOT/.build/release/placerisk-bench"
median() { python3 -c "import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])['median_s'])"; }
case $SUITE in
  timeofday)
    F="$D/istv_1m.csv"
    [[ -s $F ]] || $PY Benchmarks/peers/timeofday_peer.py --file "$F" --make 1000000 --repeats 1 >/dev/null
    peer() { $PY Benchmarks/peers/timeofday_peer.py --file "$F" --repeats "$R" | median; }
    ours() { "$BENCH" timeofday --file "$F" --schema istv --repeats "$R" | median; }
    PEER=pandas ;;
  kde)
    F="$D/points_n1m.csv" GRID=350000,370000,400,200,150
    [[ -s $F ]] || (cd "$SHARED/peers" && $PY synth.py --n 1000000 --seed 20240601 --points-out "$F" >/dev/null)
    peer() {
      local t; t=$(mktemp)
      $PY "$SHARED/peers/kde.py" "$F" --grid $GRID --bandwidth 1500 --kernel quartic --methods kdepy --repeats "$R" --timings "$t" >/dev/null
      median < "$t"; rm -f "$t"
    }
    ours() { "$BENCH" kde --points "$F" --grid $GRID --bandwidth 1500 --kernel quartic --repeats "$R" | median; }
    PEER=KDEpy ;;
  *) echo "usage: bash Benchmarks/series.sh timeofday|kde [N]" >&2; exit 64 ;;
esac
OUT=$(mktemp)
echo "== $SUITE: $PEER, then PlaceRisk, $N times (load: $(cut -d' ' -f1-3 /proc/loadavg))"
for i in $(seq 1 "$N"); do
  p=$(peer); q=$(ours)
  echo "$p $q" | tee -a "$OUT" | awk '{ printf "pair %d: '"$PEER"' %.4f s, PlaceRisk %.4f s, %.2fx\n", '"$i"', $1, $2, $1 / $2 }'
done
python3 - "$OUT" "$PEER" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
r = [p / q for p, q in rows]
print("median ratio %.2fx (min %.2fx, max %.2fx) over %d pairs; %s median %.4f s, PlaceRisk median %.4f s"
      % (statistics.median(r), min(r), max(r), len(r), sys.argv[2], statistics.median(p for p, _ in rows), statistics.median(q for _, q in rows)))
PY
rm -f "$OUT"
