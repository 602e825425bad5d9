#!/usr/bin/env bash
# The partition round trip: PlaceRisk writes Parquet partitions (its own writer), DuckDB and pyarrow
# read them in a fresh venv, and schemas, row counts and GROUP BY ... SUM totals must equal
# PlaceRisk's own CSV of the same run and its in-memory aggregate. Usage: bash .ci/parquet-roundtrip.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
VENV=/tmp/placerisk-parquet-venv
if ! "$VENV/bin/python" -c "import duckdb, pyarrow" >/dev/null 2>&1; then
  python3 -m venv "$VENV" 2>/dev/null || { apt-get install -y python3-venv >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y python3-venv >/dev/null 2>&1; }; python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q duckdb pyarrow
fi
swift build >/dev/null
BIN="$(swift build --show-bin-path)/placerisk"
OUT=$(mktemp -d /tmp/placerisk-parquet-XXXXXX)
trap 'rm -rf "$OUT"' EXIT
DATA=datasets/police_uk_devon_cornwall_street_2020-01_to_2020-03
printf 'crime_type,weight\nViolence and sexual offences,7\nBurglary,3.5\nRobbery,12.25\n' > "$OUT/weights.csv"
"$BIN" aggregate "$DATA" --by lsoa,month,crime_type --partition-by force,month --format parquet --weights "$OUT/weights.csv" --out "$OUT/pq" --quiet
"$BIN" aggregate "$DATA" --by lsoa,month,crime_type --partition-by force,month --format csv --weights "$OUT/weights.csv" --out "$OUT/csv" --quiet
"$BIN" aggregate "$DATA" --by lsoa,month,crime_type --study-area all --out "$OUT/inmemory.csv" --quiet
"$BIN" merge "$OUT/pq" --out "$OUT/merged.parquet" --quiet
"$BIN" aggregate "$DATA" --by cell,month --grid 80000,0,1000,300,200 --partition-by year --out "$OUT/cells" --quiet
"$VENV/bin/python" - "$OUT" <<'PY'
import sys, glob, duckdb, pyarrow as pa, pyarrow.parquet as pq, pyarrow.dataset as ds, csv
out = sys.argv[1]
failed = 0
def check(name, ok, detail=""):
    global failed
    print(("ok   " if ok else "FAIL ") + name + (": " + detail if detail and not ok else ""))
    failed += 0 if ok else 1
want = pa.schema([pa.field("lsoa_code", pa.string(), False), pa.field("month", pa.string(), False),
                  pa.field("crime_type", pa.string(), False), pa.field("n", pa.int64(), False),
                  pa.field("sum_w", pa.float64(), False), pa.field("sum_w2", pa.float64(), False)])
parts = sorted(glob.glob(f"{out}/pq/**/part-*.parquet", recursive=True))
check("three force-month parts", len(parts) == 3, str(parts))
for p in parts:
    s = pq.read_schema(p).remove_metadata()
    check(f"pyarrow schema of {p.split('/pq/')[1]}", s.equals(want), str(s))
    md = pq.ParquetFile(p).metadata
    for i in range(md.num_columns):
        st = md.row_group(0).column(i).statistics
        check(f"statistics of {md.schema.column(i).name}", st is not None and st.has_min_max and st.null_count == 0)
    # The counts and sums hold few distinct values: PlaceRisk dictionary-encodes them (as pyarrow's default does).
    enc = {md.schema.column(i).name: md.row_group(0).column(i).encodings for i in range(md.num_columns)}
    check("n, sum_w, sum_w2 dictionary-encoded", all("RLE_DICTIONARY" in enc[c] for c in ("n", "sum_w", "sum_w2")), str(enc))
# pyarrow: the Hive dataset; DuckDB: the same folder with hive_partitioning.
t = ds.dataset(f"{out}/pq", format="parquet", partitioning="hive", ignore_prefixes=["_"]).to_table()
con = duckdb.connect()
q = f"read_parquet('{out}/pq/**/*.parquet', hive_partitioning=true)"
qc = f"read_csv('{out}/csv/**/*.csv', hive_partitioning=true, header=true)"
n_csv = con.execute(f"select count(*) from {qc}").fetchone()[0]
check("row counts: pyarrow = DuckDB = PlaceRisk CSV", t.num_rows == con.execute(f"select count(*) from {q}").fetchone()[0] == n_csv, f"{t.num_rows} {n_csv}")
schema = con.execute(f"describe select * from {q}").fetchall()
check("DuckDB types", [(r[0], r[1]) for r in schema][:6] == [("lsoa_code", "VARCHAR"), ("month", "VARCHAR"), ("crime_type", "VARCHAR"),
      ("n", "BIGINT"), ("sum_w", "DOUBLE"), ("sum_w2", "DOUBLE")], str(schema))
g_pq = con.execute(f"select month, crime_type, sum(n), sum(sum_w), sum(sum_w2) from {q} group by all order by all").fetchall()
g_csv = con.execute(f"select month, crime_type, sum(n), sum(sum_w), sum(sum_w2) from {qc} group by all order by all").fetchall()
check("GROUP BY month, crime_type SUM: Parquet = PlaceRisk CSV", g_pq == g_csv, f"{g_pq[:3]} vs {g_csv[:3]}")
g_mem = con.execute(f"select month, crime_type, sum(count) from read_csv('{out}/inmemory.csv', header=true) group by all order by all").fetchall()
check("GROUP BY SUM(n) = the in-memory aggregate", [r[:3] for r in g_pq] == g_mem)
w = {"Violence and sexual offences": 7, "Burglary": 3.5, "Robbery": 12.25}
check("sum_w = n x weight", all(abs(r[3] - r[2] * w.get(r[1], 0)) < 1e-9 and abs(r[4] - r[2] * w.get(r[1], 0) ** 2) < 1e-9 for r in g_pq))
py = t.group_by(["month", "crime_type"]).aggregate([("n", "sum")]).sort_by([("month", "ascending"), ("crime_type", "ascending")]).to_pylist()
check("pyarrow GROUP BY SUM(n) = DuckDB", [(r["month"], r["crime_type"], r["n_sum"]) for r in py] == [r[:3] for r in g_pq])
m = con.execute(f"select lsoa_code, month, crime_type, n from '{out}/merged.parquet' except select lsoa_code, month, crime_type, sum(n) from {q} group by all").fetchall()
check("merge = DuckDB's GROUP BY of the parts", m == [] and con.execute(f"select count(*) from '{out}/merged.parquet'").fetchone()[0] == n_csv)
c = con.execute(f"select count(*), sum(n) from read_parquet('{out}/cells/**/*.parquet', hive_partitioning=true)").fetchone()
d = con.execute(f"describe select * from read_parquet('{out}/cells/**/*.parquet')").fetchall()
check("cell partitions: cell_id BIGINT, rows", d[0][:2] == ("cell_id", "BIGINT") and c[0] > 0 and c[1] > 0, str(d[0]))
print(f"parquet round trip: {failed} failed")
sys.exit(1 if failed else 0)
PY
echo "parquet round trip OK"
