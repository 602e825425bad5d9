#!/usr/bin/env python3
"""Writes SYNTHETIC_istv_plymouth_2024.csv: a made-up ISTV-format file (NOT real patient data).

Emergency-department ISTV records are never public, so PlaceRisk ships this synthetic file so that
`--schema istv` runs out of the box. Every row is invented by this script:

* seed 20240101 (random.Random), Python 3 standard library only; the same seed writes the same file;
* 600 assaults in 2024 presenting at one invented ED site code `SYN01`, placed at the centroids of
  Plymouth's LSOAs (datasets/lsoa2011_boundaries_devon_cornwall/lsoa2011_bsc_devon_cornwall_centroids.csv)
  plus up to 150 m of uniform jitter; one city-centre LSOA in three draws (night-time economy);
* assault times: 55 % on Friday/Saturday 20:00-04:00, the rest uniform over the week; arrival at the
  ED 10-180 minutes later; 10 % of assault times missing minutes (written hh:00, as patients guess);
* 15 % of rows are "near repeats": a copy of an earlier row's place (within 100 m) 0-6 days later;
* assault method and location type from fixed made-up shares; 12 % of rows at "Home" have their
  easting/northing blank (kept by LSOA, never drawn as points);
* assault_location_description is a placeholder text ("synthetic"), never a real place.

Columns: site_code, arrival_date_time, assault_date_time, assault_method, assault_method_other,
assault_location_type, assault_location_description, lsoa_code, easting, northing (the last three
stand for the geocoding a partnership adds; the ISTV minimum data set has no coordinates).
"""
import csv, os, random, datetime

HERE = os.path.dirname(os.path.abspath(__file__))
CENTROIDS = os.path.join(HERE, "..", "lsoa2011_boundaries_devon_cornwall", "lsoa2011_bsc_devon_cornwall_centroids.csv")
OUT = os.path.join(HERE, "SYNTHETIC_istv_plymouth_2024.csv")

rng = random.Random(20240101)
with open(CENTROIDS, newline="", encoding="utf-8") as f:
    lsoas = [(r["LSOA11CD"], float(r["BNG_E"]), float(r["BNG_N"])) for r in csv.DictReader(f) if r["LSOA11NM"].startswith("Plymouth")]
lsoas.sort()
# The "city centre": the 8 LSOAs nearest a point near Plymouth's centre (247800 E, 54500 N).
centre = sorted(lsoas, key=lambda l: (l[1] - 247800) ** 2 + (l[2] - 54500) ** 2)[:8]

methods = [("Body part (hands/feet)", 50), ("Knife or other sharp object", 12), ("Glass or bottle", 10),
           ("Blunt object", 10), ("Other", 8), ("Unknown", 10)]
places = [("Street", 38), ("Pub, bar or club", 22), ("Home", 12), ("Other public place", 14),
          ("Public transport", 5), ("School or college", 3), ("Workplace", 6)]

def pick(options):
    total = sum(w for _, w in options)
    x = rng.uniform(0, total)
    for v, w in options:
        x -= w
        if x <= 0:
            return v
    return options[-1][0]

start = datetime.datetime(2024, 1, 1)
def random_time():
    if rng.random() < 0.55:
        # A Friday or Saturday night 20:00-04:00.
        while True:
            d = start + datetime.timedelta(days=rng.randrange(366))
            if d.weekday() in (4, 5) and d.year == 2024:
                return d + datetime.timedelta(minutes=20 * 60 + rng.randrange(8 * 60))
    return start + datetime.timedelta(minutes=rng.randrange(366 * 24 * 60))

rows = []
for k in range(600):
    if rows and rng.random() < 0.15:
        base = rows[rng.randrange(len(rows))]
        t = base["t"] + datetime.timedelta(days=rng.randrange(7), minutes=rng.randrange(-120, 120))
        code, e, n = base["lsoa"], base["e"] + rng.uniform(-70, 70), base["n"] + rng.uniform(-70, 70)
    else:
        t = random_time()
        code, e0, n0 = rng.choice(centre) if rng.random() < 1 / 3 else rng.choice(lsoas)
        e, n = e0 + rng.uniform(-150, 150), n0 + rng.uniform(-150, 150)
    if t.year != 2024:
        t = t.replace(year=2024)
    place = pick(places)
    rows.append({"t": t, "lsoa": code, "e": e, "n": n, "place": place, "method": pick(methods)})

rows.sort(key=lambda r: r["t"])
with open(OUT, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["site_code", "arrival_date_time", "assault_date_time", "assault_method", "assault_method_other",
                "assault_location_type", "assault_location_description", "lsoa_code", "easting", "northing"])
    for r in rows:
        t = r["t"]
        told = t.replace(minute=0) if rng.random() < 0.10 else t
        arrival = t + datetime.timedelta(minutes=rng.randrange(10, 181))
        home = r["place"] == "Home"
        w.writerow(["SYN01", arrival.strftime("%Y-%m-%d %H:%M"), told.strftime("%Y-%m-%d %H:%M"), r["method"],
                    "synthetic" if r["method"] == "Other" else "", r["place"], "synthetic", r["lsoa"],
                    "" if home else "%.0f" % r["e"], "" if home else "%.0f" % r["n"]])
print("wrote", OUT, len(rows), "rows")
