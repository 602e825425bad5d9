"""Peer timing for local Moran's I (LISA) on LSOA crime counts with esda.

What it does
------------
1. y: number of rows of one crime type (default "Violence and sexual offences")
   per `LSOA code` in the given police.uk street CSVs, for every polygon in the
   boundary file (zero where an LSOA has none). Rows with an empty LSOA code or
   an LSOA that is not in the boundary file are ignored (reported).
2. w: libpysal.weights.Queen.from_dataframe(gdf, use_index=False) on the
   boundary polygons read with geopandas (queen = shares at least one vertex;
   observation order = feature order of the boundary file).
3. Timed (time.perf_counter around this call ONLY, median of --repeats):
       esda.moran.Moran_Local(y, w, transformation=T, permutations=P, seed=S)
   with esda's other defaults (n_jobs=1, keep_simulations=True,
   geoda_quads=False). Weights construction is timed only with --time-weights
   (separate record).

Records follow /work/shared/peers/_common.timing_record (op, size, grid,
library, method, times_s, median_s, repeats + extras), printed and appended as
JSON lines to --timings.  size = number of areal units (LSOAs).

Example (one go)::

    /tmp/peers-venv/bin/python lisa_peer.py \
        --boundaries /work/shared/datasets/lsoa2011_boundaries_devon_cornwall/lsoa2011_bsc_devon_cornwall.geojson \
        --crimes /work/shared/datasets/police_uk_devon_cornwall_street_2020-01_to_2020-03 \
        --permutations 999 --seed 12345 --transform R --repeats 3 \
        --out-csv /tmp/bench/dc_lsoa_violence_2020Q1.csv \
        --timings /tmp/bench/hotspot_timings.jsonl

--crimes accepts CSV files and/or folders (all *.csv inside, sorted).
--permutations accepts a comma list (e.g. "0,999"); one record per value.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import os
import statistics
import time
import warnings

import numpy as np
import pandas as pd


# --- identical to /work/shared/peers/_common.py (timing_record, emit) ---
def timing_record(op, size, grid, library, method, times, **extra):
    rec = {
        "op": op,
        "size": size,
        "grid": grid,
        "library": library,
        "method": method,
        "times_s": [round(t, 6) for t in times],
        "median_s": round(statistics.median(times), 6),
        "repeats": len(times),
    }
    rec.update(extra)
    return rec


def emit(rec: dict, timings_path: str | None):
    print(
        f"[time] {rec['op']:<10} n={rec['size']:<9} grid={rec['grid'] or '-':<14} "
        f"{rec['library']:<22} {rec['method']:<28} median={rec['median_s']:.4f}s "
        f"runs={rec['times_s']}"
    )
    if timings_path:
        os.makedirs(os.path.dirname(os.path.abspath(timings_path)), exist_ok=True)
        with open(timings_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, sort_keys=True) + "\n")
# ------------------------------------------------------------------------


def timed(fn, repeats):
    times, result = [], None
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return result, times


def crime_files(specs):
    files = []
    for s in specs:
        files.extend(sorted(glob.glob(os.path.join(s, "*.csv"))) if os.path.isdir(s) else [s])
    if not files:
        raise SystemExit("no crime CSV files found")
    return files


def counts_per_area(files, codes, crime_type):
    df = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False,
                                usecols=["LSOA code", "Crime type"]) for f in files],
                   ignore_index=True)
    sel = df[df["Crime type"] == crime_type]
    has = sel["LSOA code"] != ""
    vc = sel.loc[has, "LSOA code"].value_counts()
    inside = vc.index.isin(codes)
    y = vc.reindex(codes, fill_value=0).to_numpy(dtype=np.int64)
    info = {"rows_total": int(len(df)), "rows_crime_type": int(len(sel)),
            "rows_crime_type_no_lsoa": int((~has).sum()),
            "rows_crime_type_lsoa_outside_boundaries": int(vc[~inside].sum()),
            "rows_counted": int(y.sum())}
    return y, info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--boundaries", required=True, help="polygon file readable by geopandas")
    ap.add_argument("--code-field", default="LSOA11CD", help="area code property in --boundaries")
    ap.add_argument("--crimes", nargs="+", required=True, help="police.uk street CSV files or folders")
    ap.add_argument("--crime-type", default="Violence and sexual offences")
    ap.add_argument("--permutations", default="999", help="comma list, e.g. 999 or 0,999")
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--transform", default="R", help="esda Moran_Local transformation (R, B, ...)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--time-weights", action="store_true",
                    help="also time Queen.from_dataframe (separate record)")
    ap.add_argument("--out-csv", help="write lsoa_code,<y>,queen_neighbours")
    ap.add_argument("--y-name", default="violence", help="column name of y in --out-csv")
    ap.add_argument("--out-lisa", help="write lsoa_code,y,Is,q,p_sim (last run, largest P)")
    ap.add_argument("--summary", help="JSON summary (counts, islands, p_sim stats)")
    ap.add_argument("--timings", help="append timing records (JSON lines)")
    a = ap.parse_args(argv)

    import esda
    import geopandas as gpd
    import libpysal
    from esda.moran import Moran_Local

    has_numba = importlib.util.find_spec("numba") is not None
    print(f"[info] esda {esda.__version__}, libpysal {libpysal.__version__}, numpy {np.__version__}, "
          f"numba installed: {has_numba}")

    gdf = gpd.read_file(a.boundaries)
    codes = gdf[a.code_field].astype(str).tolist()
    if len(set(codes)) != len(codes):
        raise SystemExit("duplicate area codes in boundary file")
    files = crime_files(a.crimes)
    y, cinfo = counts_per_area(files, codes, a.crime_type)
    yv = y.astype(float)

    def build():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return libpysal.weights.Queen.from_dataframe(gdf, use_index=False)

    n = len(codes)
    label_in = f"{os.path.basename(a.boundaries)} + {len(files)} street files"
    if a.time_weights:
        w, tw = timed(build, a.repeats)
        emit(timing_record("lisa", n, None, "libpysal Queen", "from_dataframe (build weights)",
                           tw, input=label_in), a.timings)
    else:
        w = build()
    card = np.array([w.cardinalities[i] for i in w.id_order], dtype=np.int64)
    islands = [codes[i] for i in w.islands]
    print(f"[info] areas={n} {a.crime_type!r} rows counted={cinfo['rows_counted']} "
          f"(no LSOA {cinfo['rows_crime_type_no_lsoa']}, outside boundaries "
          f"{cinfo['rows_crime_type_lsoa_outside_boundaries']}); zero areas={(y == 0).sum()}")
    print(f"[info] queen: links={int(card.sum())} mean neighbours={card.mean():.3f} "
          f"min={card.min()} max={card.max()} islands={len(islands)} {islands}")

    if a.out_csv:
        os.makedirs(os.path.dirname(os.path.abspath(a.out_csv)), exist_ok=True)
        pd.DataFrame({"lsoa_code": codes, a.y_name: y, "queen_neighbours": card}).to_csv(
            a.out_csv, index=False, lineterminator="\n")
        print(f"[info] wrote {a.out_csv}")

    summary = {"input": label_in, "files": [os.path.basename(f) for f in files],
               "crime_type": a.crime_type, "areas": n, **cinfo,
               "queen_links": int(card.sum()), "islands": islands,
               "esda": esda.__version__, "libpysal": libpysal.__version__,
               "numpy": np.__version__, "numba": has_numba, "runs": {}}
    last = None
    for p in [int(s) for s in a.permutations.split(",") if s.strip()]:
        def run():
            return Moran_Local(yv, w, transformation=a.transform, permutations=p, seed=a.seed)
        with warnings.catch_warnings():
            # esda 2.9 crand warns that its default alternative will change
            warnings.simplefilter("ignore")
            lm, t = timed(run, a.repeats)
            lm2 = run() if p else lm   # determinism check (not timed)
        method = f"perms={p}, " + ("numba" if has_numba else "no numba")
        emit(timing_record("lisa", n, None, "esda Moran_Local", method, t,
                           input=label_in, transform=a.transform, seed=a.seed,
                           numba=has_numba, islands=len(islands)), a.timings)
        run_info = {"median_s": statistics.median(t), "times_s": t,
                    "q_counts": {str(k): int((lm.q == k).sum()) for k in (1, 2, 3, 4)}}
        if p:
            run_info.update({
                "p_sim_min": float(lm.p_sim.min()),
                "n_p_sim_le_0.05": int((lm.p_sim <= 0.05).sum()),
                "n_p_sim_le_0.05_by_q": {str(k): int(((lm.p_sim <= 0.05) & (lm.q == k)).sum())
                                        for k in (1, 2, 3, 4)},
                "reproducible_same_seed": bool(np.array_equal(lm.p_sim, lm2.p_sim)),
            })
            print(f"[info] perms={p}: p_sim<=0.05 in {run_info['n_p_sim_le_0.05']} areas; "
                  f"same seed reproducible: {run_info['reproducible_same_seed']}")
        summary["runs"][str(p)] = run_info
        last = (p, lm)

    if a.out_lisa and last is not None:
        p, lm = last
        out = pd.DataFrame({"lsoa_code": codes, "y": y, "Is": lm.Is, "q": lm.q})
        if p:
            out["p_sim"] = lm.p_sim
        out.to_csv(a.out_lisa, index=False, lineterminator="\n", float_format="%.17g")
        print(f"[info] wrote {a.out_lisa}")
    if a.summary:
        with open(a.summary, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=2)
            fh.write("\n")


if __name__ == "__main__":
    main()
