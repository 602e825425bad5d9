"""Peer timing for the 24 x 7 hour-of-week table of a dated source (pandas).

1. --make N: writes N synthetic ISTV-format rows (seed 20240601, stdlib random; the columns of
   PlaceRisk's `istv` schema, date-times 'YYYY-MM-DD HH:MM' spread over 2023-2024) to --file.
2. Timed (time.perf_counter around this ONLY, median of --repeats):
       d = pd.read_csv(file)
       t = pd.to_datetime(d['assault_date_time'], format='%Y-%m-%d %H:%M')
       table = d.groupby([t.dt.day_of_week, t.dt.hour]).size()
   i.e. the same file read whole, its date-times parsed and counted by weekday x hour (local clock,
   as written). PlaceRisk's timing (placerisk-bench timeofday) reads the file through the istv
   schema (every row validated, BST handled, text columns coded) and builds the aoristic table.
Prints one JSON line per run in the peers' timing_record schema and appends it to --timings.
"""
import argparse, json, random, time, datetime, statistics, os

ap = argparse.ArgumentParser()
ap.add_argument("--file", required=True)
ap.add_argument("--make", type=int)
ap.add_argument("--repeats", type=int, default=3)
ap.add_argument("--timings")
a = ap.parse_args()

if a.make and not os.path.exists(a.file):
    rng = random.Random(20240601)
    methods = ["Body part (hands/feet)", "Knife or other sharp object", "Glass or bottle", "Blunt object", "Other"]
    places = ["Street", "Pub, bar or club", "Home", "Other public place", "Public transport"]
    base = datetime.datetime(2023, 1, 1)
    with open(a.file, "w") as f:
        f.write("site_code,arrival_date_time,assault_date_time,assault_method,assault_method_other,assault_location_type,assault_location_description,lsoa_code,easting,northing\n")
        for k in range(a.make):
            t = base + datetime.timedelta(minutes=rng.randrange(730 * 1440))
            arr = t + datetime.timedelta(minutes=rng.randrange(10, 180))
            place = rng.choice(places)
            e, n = ("", "") if place == "Home" else ("%d" % rng.randrange(240000, 260000), "%d" % rng.randrange(50000, 70000))
            f.write("SYN%02d,%s,%s,%s,,\"%s\",synthetic,E0101%04d,%s,%s\n" % (rng.randrange(10), arr.strftime("%Y-%m-%d %H:%M"),
                    t.strftime("%Y-%m-%d %H:%M"), rng.choice(methods), place, rng.randrange(5000), e, n))

import pandas as pd
times = []
for _ in range(a.repeats + 1):
    t0 = time.perf_counter()
    d = pd.read_csv(a.file)
    t = pd.to_datetime(d["assault_date_time"], format="%Y-%m-%d %H:%M")
    table = d.groupby([t.dt.day_of_week, t.dt.hour]).size()
    times.append(time.perf_counter() - t0)
times = times[1:]
rec = {"op": "timeofday", "size": int(len(d)), "grid": "24x7", "library": "pandas " + pd.__version__,
       "method": "read_csv + to_datetime + groupby(day_of_week, hour).size()", "times_s": times,
       "median_s": statistics.median(times), "repeats": a.repeats, "input": os.path.basename(a.file),
       "total": int(table.sum())}
print(json.dumps(rec))
if a.timings:
    with open(a.timings, "a") as f: f.write(json.dumps(rec) + "\n")
