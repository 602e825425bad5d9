#!/usr/bin/env bash
# The national-scale run of issue 15: the real all-forces month (41 forces, 348,212 rows) replicated
# under distinct months into a police.uk archive tree in /tmp (never the repository), then streamed
# by `placerisk aggregate --partition-by force,month` (LSOA x month x crime type) with peak RSS, and
# the 1M-row single-file run against pandas.read_csv on the same file.
#   bash Benchmarks/national.sh [MONTHS]      (default 172 months = 59.9M rows; needs ~13 GB in /tmp)
#   ONLY_ONE=1 bash Benchmarks/national.sh     (the 1M-row runs only)
#   NATIONAL_RUNS=3 bash Benchmarks/national.sh (three national runs, each beside a 1M-row run)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
MONTHS=${1:-172}
SRC=${SHARED:-../shared}/datasets/police_uk_all_forces_street_2022-01
D=${BENCH_DIR:-/tmp/placerisk-national}
PY=${PY:-/tmp/peers-venv/bin/python}
mkdir -p "$D"
swift build -c release --product placerisk >/dev/null
BIN="$(swift build -c release --show-bin-path)/placerisk"

# 1M rows in one file: the month's 41 files three times over (one header).
ONE="$D/one/2022-01/2022-01-national-street.csv"
if [[ ! -s $ONE ]]; then
  mkdir -p "$(dirname "$ONE")"
  head -1 "$SRC/2022-01-avon-and-somerset-street.csv" > "$ONE"
  for k in 1 2 3; do for f in "$SRC"/*-street.csv; do tail -n +2 "$f"; done; done >> "$ONE"
fi
# The national tree: month k gets every force's file with its Month field rewritten.
TREE="$D/tree$MONTHS"
if [[ ${ONLY_ONE:-} != 1 && ! -f $TREE/.done ]]; then
  rm -rf "$TREE"
  python3 Benchmarks/national_tree.py "$SRC" "$TREE" "$MONTHS"
fi
cat "$ONE" > /dev/null; # warm the page cache as pandas and PlaceRisk both get it

# Interleaved rounds, so that every ratio compares runs of the same minutes: pandas (object columns),
# pandas (pyarrow-backed str), then PlaceRisk's partitioned and plain runs.
ROUNDS=${ROUNDS:-5}
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  for infer in False True; do
    $PY - "$ONE" "$infer" <<'PYEOF'
import sys, time, warnings, pandas as pd
warnings.simplefilter("ignore")
pd.set_option("future.infer_string", sys.argv[2] == "True")
t = time.perf_counter(); df = pd.read_csv(sys.argv[1]); t = time.perf_counter() - t
print(f"pandas {pd.__version__} read_csv (infer_string={sys.argv[2]}) {len(df)} rows: {t:.3f} s")
PYEOF
  done
  rm -rf "$D/out-one"
  /usr/bin/time -f "partition-by force: peak RSS %M KB, wall %e s" "$BIN" aggregate "$D/one" --by lsoa,month,crime_type --partition-by force --out "$D/out-one" 2>&1 | grep -E "Time:|peak RSS"
  /usr/bin/time -f "plain aggregate: peak RSS %M KB, wall %e s" "$BIN" aggregate "$D/one" --by lsoa,month,crime_type --study-area all --out "$D/plain.csv" --quiet 2>&1 | tail -1
done
echo "== 1M rows, one file: StreamingAggregation fast path vs the general CSVReader path (placerisk-bench stream)"
swift build -c release --product placerisk-bench >/dev/null
"$(swift build -c release --show-bin-path)/placerisk-bench" stream --files "$D/one" --repeats 3
[[ ${ONLY_ONE:-} == 1 ]] && exit 0
echo "== national: $MONTHS months x 41 forces, NATIONAL_RUNS=${NATIONAL_RUNS:-1} run(s), each beside a 1M-row run"
# Each run writes a fresh folder, and the folders are removed only after the last run: on ext4, files
# created just after thousands were deleted make the allocator skip the recently freed inodes
# (`recently_deleted` in the kernel's profile), which would charge the previous run's clean-up to this one.
rm -rf "$D"/out-national*
for k in $(seq 1 "${NATIONAL_RUNS:-1}"); do
  rm -rf "$D/out-one"
  "$BIN" aggregate "$D/one" --by lsoa,month,crime_type --partition-by force --out "$D/out-one" 2>&1 | grep -E "Time:" | sed 's/^/1M-row file: /'
  sync
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "peak RSS %M KB, wall %e s" "$BIN" aggregate "$TREE" --by lsoa,month,crime_type --partition-by force,month --out "$D/out-national-$k" 2>&1 | grep -E "read |used|Time:|peak RSS|Wrote"
  echo "output: $(du -sm "$D/out-national-$k" | cut -f1) MB"
done
rm -rf "$D"/out-national*
