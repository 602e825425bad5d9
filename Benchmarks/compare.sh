#!/usr/bin/env bash
# Runs the peers (numpy, pandas) and placerisk-bench on the same files, in one run, on this machine,
# and prints the speed ratios. Machines are noisy: compare ratios from one run, not absolute times.
#
#   bash Benchmarks/compare.sh [--skip-10m] [--only bin,ingest,kde,gistar,lisa,logit,corr,report,timeofday,stream]
#
# Needs the peers' Python environment (../shared/peers/README.md):
#   python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install -r ../shared/peers/requirements.txt
# Environment: PEERS_PY (default /tmp/peers-venv/bin/python), SHARED (default ../shared),
#              BENCH_DIR (default /tmp/placerisk-bench), REPEATS (default 3), REPORT_REPEATS (default 1),
#              CORR_PROFILE (set: add the corr-profile records, where a pair's time goes).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY=${PEERS_PY:-/tmp/peers-venv/bin/python}
SHARED=${SHARED:-$ROOT/../shared}
D=${BENCH_DIR:-/tmp/placerisk-bench}
R=${REPEATS:-3}
GRID=350000,370000,400,200,150
T=$D/timings.jsonl
mkdir -p "$D"
: > "$T"

cd "$ROOT"
swift build -c release --product placerisk-bench >/dev/null
BENCH=$ROOT/.build/release/placerisk-bench

SIZES="1m 10m"
ONLY=bin,ingest,kde,gistar,lisa,logit,corr,report,timeofday,stream
while [[ $# -gt 0 ]]; do
  case $1 in
    --skip-10m) SIZES="1m" ;;
    --only) ONLY=$2; shift ;;
    *) echo "usage: bash Benchmarks/compare.sh [--skip-10m] [--only SUITE,...]" >&2; exit 64 ;;
  esac
  shift
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }
# The 1M-point file feeds bin, kde and gistar.
if want bin || want kde || want gistar; then
  [[ -s $D/points_n1m.csv ]] || (cd "$SHARED/peers" && $PY synth.py --n 1000000 --seed 20240601 --points-out "$D/points_n1m.csv" >/dev/null)
fi
want bin || SIZES=""
for N in $SIZES; do
  n=$([[ $N == 1m ]] && echo 1000000 || echo 10000000)
  [[ -s $D/points_n$N.csv ]] || (cd "$SHARED/peers" && $PY synth.py --n $n --seed 20240601 --points-out "$D/points_n$N.csv" >/dev/null)
  echo "== bin $N points: numpy, then PlaceRisk"
  $PY "$SHARED/peers/bin.py" "$D/points_n$N.csv" --grid $GRID --repeats $R --timings "$T"
  "$BENCH" bin --points "$D/points_n$N.csv" --grid $GRID --repeats $R | tee -a "$T"
  "$BENCH" bin --points "$D/points_n$N.csv" --grid $GRID --repeats $R --weighted | grep weighted, | tee -a "$T"
done

if want ingest; then
echo "== ingest ~1M police.uk rows (12 copies of the 8 shared Devon & Cornwall files of 2018-10..2019-02 and 2020-01..03)"
# (Named folders: a glob over every Devon & Cornwall folder took 31 months, 4.2M rows, once 2016-01..2017-11 was shared.)
if [[ ! -d $D/police_1m || $(ls "$D/police_1m" | wc -l) -ne 96 ]]; then
  rm -rf "$D/police_1m"; mkdir -p "$D/police_1m"
  for k in $(seq -w 1 12); do
    for f in "$SHARED"/datasets/police_uk_devon_cornwall_street_2018-10_to_2019-02/*-street.csv \
             "$SHARED"/datasets/police_uk_devon_cornwall_street_2020-01_to_2020-03/*-street.csv; do
      cp "$f" "$D/police_1m/copy$k-$(basename "$f")"
    done
  done
fi
$PY "$ROOT/Benchmarks/peers/pandas_ingest.py" --files "$D/police_1m" --repeats $R --timings "$T"
"$BENCH" ingest --files "$D/police_1m" --repeats $R | tee -a "$T"
fi

if want kde; then
echo "== kde, 1M points, 200x150 cells of 400 m, h = 1500 m: KDEpy / numpy, then PlaceRisk (exact)"
$PY "$SHARED/peers/kde.py" "$D/points_n1m.csv" --grid $GRID --bandwidth 1500 --kernel quartic --methods kdepy --repeats $R --timings "$T"
$PY "$SHARED/peers/kde.py" "$D/points_n1m.csv" --grid $GRID --bandwidth 1500 --kernel gaussian --methods separable,kdepy --repeats $R --timings "$T"
for K in quartic gaussian; do
  "$BENCH" kde --points "$D/points_n1m.csv" --grid $GRID --bandwidth 1500 --kernel $K --repeats $R | tee -a "$T"
done
# The opt-in binned Gaussian (density --method binned): its stated maximum error and the measured one.
"$BENCH" kde --points "$D/points_n1m.csv" --grid $GRID --bandwidth 1500 --kernel gaussian --method binned --repeats $R | tee -a "$T"
fi

if want gistar; then
echo "== gistar, 1M points binned to 800x600 cells of 100 m, band 250 m: numpy stencil / esda, then PlaceRisk"
$PY "$SHARED/peers/gistar.py" "$D/points_n1m.csv" --grid 350000,370000,100,800,600 --band 250 --methods numpy,graph --repeats $R --timings "$T"
"$BENCH" gistar --points "$D/points_n1m.csv" --grid 350000,370000,100,800,600 --band 250 --repeats $R | tee -a "$T"
fi

if want lisa; then
echo "== lisa, 999 permutations, violence counts on the 1,034 Devon & Cornwall LSOAs (queen)"
$PY "$ROOT/Benchmarks/peers/lisa_peer.py" --boundaries "$ROOT/datasets/lsoa2011_boundaries_devon_cornwall/lsoa2011_bsc_devon_cornwall.geojson" \
  --crimes "$ROOT/datasets/police_uk_devon_cornwall_street_2020-01_to_2020-03" --permutations 999 --seed 12345 --transform R \
  --repeats $R --out-csv "$D/dc_lsoa_violence_2020Q1.csv" --timings "$T"
"$BENCH" lisa --values "$D/dc_lsoa_violence_2020Q1.csv" --column violence \
  --boundaries "$ROOT/datasets/lsoa2011_boundaries_devon_cornwall/lsoa2011_bsc_devon_cornwall.geojson" --permutations 999 --repeats $R | tee -a "$T"
fi

# The 1M-area table feeds logit and corr.
if want logit || want corr; then
  [[ -s $D/areas_n1m_1000x1000.csv ]] || (cd "$SHARED/peers" && $PY synth.py --n 1000000 --seed 20240601 \
    --areas-out "$D/areas_n1m_1000x1000.csv" --area-grid 1000x1000 --truth-out "$D/truth_n1m_1000x1000.json" >/dev/null)
fi

if want logit; then
echo "== logistic regression, 1M synthetic areas x 4 features and 400 areas: statsmodels / scikit-learn, then PlaceRisk"
FEATS=dom_income,dom_crime,dom_living_env,rate_z
for A in "$D/areas_n1m_1000x1000.csv" "$SHARED/peers/oracles/areas_n10k_20x20.csv"; do
  $PY "$SHARED/peers/logit.py" "$A" --outcome outcome --features $FEATS --repeats $R --timings "$T" --out "$D/logit_$(basename "$A" .csv).json"
  "$BENCH" logit --table "$A" --outcome outcome --features $FEATS --repeats $R | tee -a "$T"
done
fi

if want corr; then
echo "== corr, 1M synthetic areas: rate vs 9 columns (7 domains, imd_score, imd_decile): scipy.stats, then PlaceRisk, same file"
YS=dom_income,dom_employment,dom_education,dom_health,dom_crime,dom_barriers,dom_living_env,imd_score,imd_decile
$PY "$SHARED/peers/corr.py" "$D/areas_n1m_1000x1000.csv" --x rate --y $YS --repeats $R --timings "$T" \
  --out "$D/corr_areas_n1m_1000x1000.json"
"$BENCH" corr --table "$D/areas_n1m_1000x1000.csv" --x rate --y $YS --repeats $R \
  --peer "$D/corr_areas_n1m_1000x1000.json" ${CORR_PROFILE:+--profile} | tee -a "$T"
fi

if want report; then
echo "== report: the whole 'placerisk report' on >= 1M police.uk rows (98 months from 2017-01, each a seeded 34 % sample of the bundled 2020-01..03 rows)"
"$BENCH" report --rows 1000000 --work "$D/report" --repeats ${REPORT_REPEATS:-1} | tee -a "$T"
fi

if want timeofday; then
echo "== timeofday: 1M synthetic ISTV-format rows -> 24 x 7 table (pandas read_csv + to_datetime + groupby, then PlaceRisk)"
$PY "$ROOT/Benchmarks/peers/timeofday_peer.py" --file "$D/istv_1m.csv" --make 1000000 --repeats $R --timings "$T"
"$BENCH" timeofday --file "$D/istv_1m.csv" --schema istv --repeats $R | tee -a "$T"
# The general path (one CSVReader, one thread: the chunked loader's oracle) on the same file, for the profile.
"$BENCH" timeofday --file "$D/istv_1m.csv" --schema istv --repeats $R --sequential | tee -a "$T"
fi

if want stream; then
echo "== stream: the 1M-row police.uk file of Benchmarks/national.sh (the all-forces month 2022-01 three times) -> LSOA x month x type"
ONE=${ONE_FILE:-/tmp/placerisk-national/one/2022-01/2022-01-national-street.csv}
if [[ ! -s $ONE ]]; then
  SRC=$SHARED/datasets/police_uk_all_forces_street_2022-01
  mkdir -p "$(dirname "$ONE")"
  head -1 "$SRC/2022-01-avon-and-somerset-street.csv" > "$ONE"
  for k in 1 2 3; do for f in "$SRC"/*-street.csv; do tail -n +2 "$f"; done; done >> "$ONE"
fi
$PY - "$ONE" $R <<'PYEOF'
import sys, time, statistics, warnings, pandas as pd
warnings.simplefilter("ignore")
for infer in (False, True):
    pd.set_option("future.infer_string", infer)
    ts = []
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter(); df = pd.read_csv(sys.argv[1]); ts.append(time.perf_counter() - t)
    print(f"pandas {pd.__version__} read_csv (infer_string={infer}) {len(df)} rows: median {statistics.median(ts):.3f} s {[round(x, 3) for x in ts]}")
PYEOF
"$BENCH" stream --files "$(dirname "$(dirname "$ONE")")" --repeats $R | tee -a "$T"
fi

echo "== ratios (peer median / PlaceRisk median, same run)"
$PY "$ROOT/Benchmarks/ratios.py" "$T"
