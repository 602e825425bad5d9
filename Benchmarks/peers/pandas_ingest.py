"""Peer timing for police.uk street-CSV ingest with pandas.

Timed methods (wall clock, time.perf_counter, median of --repeats; file
reading INCLUDED, since reading the files is what ingest means):

* "pandas.read_csv alone":            pandas.read_csv of every file (default
                                       options) + pandas.concat of the frames.
* "read_csv + groupby LSOA x month":  the same, then
                                       df.groupby(["LSOA code", "Month"]).size().

Records follow the schema of /work/shared/peers/baselines.jsonl
(_common.timing_record: op, size, grid, library, method, times_s, median_s,
repeats, plus input), printed and appended as JSON lines to --timings.

Example::

    python pandas_ingest.py --files /tmp/bench/police_1m --repeats 3 \
        --timings /tmp/bench/timings.jsonl
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import time

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
        with open(timings_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, sort_keys=True) + "\n")
# ------------------------------------------------------------------------


def expand(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files.extend(sorted(glob.glob(os.path.join(p, "*.csv"))))
        else:
            files.append(p)
    if not files:
        raise SystemExit("no CSV files found")
    return files


def read_all(files):
    return pd.concat([pd.read_csv(f) for f in files], ignore_index=True)


def timed(fn, repeats):
    times, result = [], None
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return result, times


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", nargs="+", required=True, metavar="DIR_OR_FILES")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--timings", help="append timing records (JSON lines)")
    a = ap.parse_args(argv)

    files = expand(a.files)
    if len(a.files) == 1 and os.path.isdir(a.files[0]):
        base = os.path.basename(os.path.normpath(a.files[0]))
    else:
        base = f"{len(files)} files"

    df, t = timed(lambda: read_all(files), a.repeats)
    n = len(df)
    emit(timing_record("ingest", n, None, "pandas read_csv", "pandas.read_csv alone", t,
                       input=base), a.timings)
    del df

    def read_group():
        d = read_all(files)
        return len(d), d.groupby(["LSOA code", "Month"]).size()

    (n2, g), t = timed(read_group, a.repeats)
    assert n2 == n
    emit(timing_record("ingest", n, None, "pandas read_csv", "read_csv + groupby LSOA x month",
                       t, input=base), a.timings)
    print(f"[info] files={len(files)} rows={n} lsoa_month_groups={len(g)} "
          f"pandas={pd.__version__}")


if __name__ == "__main__":
    main()
