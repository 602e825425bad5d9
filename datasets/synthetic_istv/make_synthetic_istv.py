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


# ---------------------------------------------------------------------------------------------------
# SYNTHETIC_istv_devon_cornwall_2016-2017.csv: the same format over the bundled police period
# (2016-01..2017-11) and force (Devon & Cornwall), so that `placerisk triangulate` and the report's
# Sources section have overlapping months to compare. Its own generator, seed 20160101, so the
# Plymouth file above is unchanged. Every row is invented:
#
# * 4,000 assaults. 65 % drawn in proportion to the police.uk "Violence and sexual offences" counts
#   of the bundled street files per LSOA x month (so the two sources broadly agree); 35 % in the
#   night-time economies of four town centres (the 6 LSOAs nearest central Plymouth, Exeter, Torquay
#   and Truro), uniform over the months (so they disagree there, as ED data typically do);
# * times: 55 % on Friday/Saturday 20:00-04:00 in the drawn month, the rest uniform over the month;
#   arrival 10-180 minutes later; 10 % of assault times heaped on the hour;
# * 10 % near repeats (within 100 m and 0-6 days of an earlier row, same month);
# * methods and location types from the shares above; "Home" rows keep their LSOA, no coordinates.
POLICE = os.path.join(HERE, "..", "police_uk_devon_cornwall_street_2016-01_to_2017-11")
OUT2 = os.path.join(HERE, "SYNTHETIC_istv_devon_cornwall_2016-2017.csv")

def devon_cornwall():
    rng2 = random.Random(20160101)
    with open(CENTROIDS, newline="", encoding="utf-8") as f:
        cents = {r["LSOA11CD"]: (float(r["BNG_E"]), float(r["BNG_N"])) for r in csv.DictReader(f)}
    cells = {}
    for name in sorted(os.listdir(POLICE)):
        if not name.endswith("-street.csv"):
            continue
        with open(os.path.join(POLICE, name), newline="", encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                if r["Crime type"] == "Violence and sexual offences" and r["LSOA code"] in cents:
                    k = (r["LSOA code"], r["Month"])
                    cells[k] = cells.get(k, 0) + 1
    keys = sorted(cells)
    weights = [cells[k] for k in keys]
    months = sorted({m for _, m in keys})
    towns = [(247800, 54500), (292000, 92500), (291700, 64200), (182700, 44800)]
    nte = []
    for tx, ty in towns:
        nte += sorted(cents, key=lambda c: (cents[c][0] - tx) ** 2 + (cents[c][1] - ty) ** 2)[:6]

    def pick2(options):
        total = sum(w for _, w in options)
        x = rng2.uniform(0, total)
        for v, w in options:
            x -= w
            if x <= 0:
                return v
        return options[-1][0]

    def time_in(month):
        y, m = int(month[:4]), int(month[5:])
        first = datetime.datetime(y, m, 1)
        nxt = datetime.datetime(y + (m == 12), m % 12 + 1, 1)
        days = (nxt - first).days
        if rng2.random() < 0.55:
            fri_sat = [d for d in range(days) if (first + datetime.timedelta(days=d)).weekday() in (4, 5)]
            d = first + datetime.timedelta(days=rng2.choice(fri_sat))
            t = d + datetime.timedelta(minutes=20 * 60 + rng2.randrange(8 * 60))
            return t if t < nxt else nxt - datetime.timedelta(minutes=1 + rng2.randrange(60))
        return first + datetime.timedelta(minutes=rng2.randrange(days * 24 * 60))

    rows2 = []
    for k in range(4000):
        if rows2 and rng2.random() < 0.10:
            base = rows2[rng2.randrange(len(rows2))]
            t = base["t"] + datetime.timedelta(days=rng2.randrange(7), minutes=rng2.randrange(-120, 120))
            if t.strftime("%Y-%m") != base["t"].strftime("%Y-%m"):
                t = base["t"]
            code, e, n = base["lsoa"], base["e"] + rng2.uniform(-70, 70), base["n"] + rng2.uniform(-70, 70)
        else:
            if rng2.random() < 0.65:
                code, month = rng2.choices(keys, weights=weights)[0]
            else:
                code, month = rng2.choice(nte), rng2.choice(months)
            t = time_in(month)
            e0, n0 = cents[code]
            e, n = e0 + rng2.uniform(-150, 150), n0 + rng2.uniform(-150, 150)
        rows2.append({"t": t, "lsoa": code, "e": e, "n": n, "place": pick2(places), "method": pick2(methods)})
    rows2.sort(key=lambda r: (r["t"], r["lsoa"]))
    with open(OUT2, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["site_code", "arrival_date_time", "assault_date_time", "assault_method", "assault_method_other",
                    "assault_location_type", "assault_location_description", "lsoa_code", "easting", "northing"])
        for r in rows2:
            t = r["t"]
            told = t.replace(minute=0) if rng2.random() < 0.10 else t
            arrival = t + datetime.timedelta(minutes=rng2.randrange(10, 181))
            home = r["place"] == "Home"
            w.writerow(["SYN02", arrival.strftime("%Y-%m-%d %H:%M"), told.strftime("%Y-%m-%d %H:%M"), r["method"],
                        "synthetic" if r["method"] == "Other" else "", r["place"], "synthetic", r["lsoa"],
                        "" if home else "%.0f" % r["e"], "" if home else "%.0f" % r["n"]])
    print("wrote", OUT2, len(rows2), "rows")

devon_cornwall()
