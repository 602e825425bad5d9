#!/usr/bin/env python3
"""Writes the compact copies of the 23 Devon & Cornwall police.uk street files, 2016-01 ... 2017-11.

Every row of every published file is kept, with the full published header (12 columns, same names
and order); only columns that no PlaceRisk analysis reads are emptied, and the long Crime ID is
shortened. The result is still a valid police.uk street file: PlaceRiskIO's PoliceStreetLoader
loads the same incidents (month, crime type, force, coordinates, LSOA code and name, duplicate
Crime IDs) from it as from the original. Standard library only; deterministic (same input bytes,
same output bytes).

Usage (from the repository root; SOURCE is the folder with the 23 published files, e.g. the shared
datasets' ``police_uk_devon_cornwall_street_2016-01_to_2017-11``):

    python3 datasets/police_uk_devon_cornwall_street_2016-01_to_2017-11/make_compact.py SOURCE [OUT]

OUT defaults to the folder holding this script. If SOURCE has a ``SHA256SUMS`` file, every source
file is checked against it first.

Per row (columns by header name):

* ``Crime ID`` -- the 64 hex characters are replaced by their first 16 (64 bits). An empty ID
  (all anti-social behaviour rows) stays empty. The script asserts that no two distinct IDs share
  a prefix over the whole 23 months and that the number of rows repeating an earlier ID is the
  same before and after, so PlaceRisk's duplicate Crime ID check finds the same rows. The prefix
  still finds the crime in the published file.
* ``Reported by`` -- emptied. Asserted equal to ``Falls within`` on every row (the loader reads
  only ``Falls within``).
* ``Location`` (the "On or near ..." snap-point text), ``Last outcome category`` (a January-2018
  snapshot, see the source README) and ``Context`` (always empty) -- emptied: only the loader's
  optional free-text columns hold them, and no analysis, map or report reads them.
* ``Month``, ``Falls within``, ``Longitude``, ``Latitude``, ``LSOA code``, ``LSOA name`` and
  ``Crime type`` -- copied character for character (coordinates are not reformatted).

Output: one file per month with the published name ``YYYY-MM-devon-and-cornwall-street.csv``
(the loader discovers ``*-street.csv``), UTF-8 without BOM, LF line endings and a final newline
(as the source files), rows in the source order, fields quoted as RFC 4180 requires (only when
they hold a comma or a double quote, inner quotes doubled; the script asserts no field holds a
line break, which police.uk fields never do). The script prints rows, bytes and SHA-256 per file.

Licence of the data: Contains public sector information licensed under the Open Government
Licence v3.0 (data.police.uk, Home Office; supplied by Devon & Cornwall Police).
"""
import csv
import hashlib
import os
import re
import sys

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
          "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
EMPTIED = ["Reported by", "Location", "Last outcome category", "Context"]
ID_LENGTH = 16
MONTHS = ["%04d-%02d" % (y, m) for y in (2016, 2017) for m in range(1, 13)][:23]  # 2016-01 ... 2017-11
FILE_NAME = "{}-devon-and-cornwall-street.csv"
HEX64 = re.compile(r"[0-9a-f]{64}\Z")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def quoted(field):
    """One field as RFC 4180 writes it: quoted only when it holds a comma or a double quote."""
    if "\r" in field or "\n" in field:
        raise SystemExit("a field holds a line break: %r" % field)
    if "," in field or '"' in field:
        return '"' + field.replace('"', '""') + '"'
    return field


def check_sources(source):
    sums = os.path.join(source, "SHA256SUMS")
    if not os.path.exists(sums):
        return
    with open(sums, encoding="ascii") as f:
        expected = dict(reversed(line.split()) for line in f if line.strip())
    for month in MONTHS:
        name = FILE_NAME.format(month)
        if expected.get(name) != sha256(os.path.join(source, name)):
            raise SystemExit("%s: SHA-256 differs from %s" % (name, sums))


def read_rows(path, month):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows[0] != HEADER:
        raise SystemExit("%s: unexpected header %r" % (path, rows[0]))
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER):
            raise SystemExit("%s:%d: %d fields, expected %d" % (path, i, len(row), len(HEADER)))
        if row[1] != month:
            raise SystemExit("%s:%d: month %r in the %s file" % (path, i, row[1], month))
    return rows[1:]


def main(argv):
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    source = argv[1]
    out = argv[2] if len(argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    check_sources(source)
    col = {name: HEADER.index(name) for name in HEADER}
    months = [(m, read_rows(os.path.join(source, FILE_NAME.format(m)), m)) for m in MONTHS]

    # Crime IDs: the shortened IDs must keep duplicate detection exactly as it was.
    full_ids, short_of = set(), {}
    repeats_full = repeats_short = 0
    seen_short = set()
    for _, rows in months:
        for row in rows:
            cid = row[col["Crime ID"]]
            if row[col["Reported by"]] != row[col["Falls within"]]:
                raise SystemExit("Reported by %r differs from Falls within %r" % (row[col["Reported by"]], row[col["Falls within"]]))
            if not cid:
                continue
            if not HEX64.match(cid):
                raise SystemExit("Crime ID %r is not 64 lower-case hex characters" % cid)
            short = cid[:ID_LENGTH]
            if short_of.setdefault(short, cid) != cid:
                raise SystemExit("Crime IDs %s and %s share their first %d characters" % (short_of[short], cid, ID_LENGTH))
            repeats_full += cid in full_ids
            full_ids.add(cid)
            repeats_short += short in seen_short
            seen_short.add(short)
    assert repeats_full == repeats_short
    print("Crime IDs: %d distinct, no collision in their first %d characters; %d rows repeat an earlier ID (same before and after)"
          % (len(full_ids), ID_LENGTH, repeats_full))

    os.makedirs(out, exist_ok=True)
    total = 0
    for month, rows in months:
        path = os.path.join(out, FILE_NAME.format(month))
        lines = [",".join(quoted(h) for h in HEADER)]
        for row in rows:
            row = list(row)
            row[col["Crime ID"]] = row[col["Crime ID"]][:ID_LENGTH]
            for name in EMPTIED:
                row[col[name]] = ""
            lines.append(",".join(quoted(v) for v in row))
        with open(path, "wb") as f:
            f.write(("\n".join(lines) + "\n").encode("utf-8"))
        total += len(rows)
        print("%s  %7d rows  %9d bytes  %s" % (FILE_NAME.format(month), len(rows), os.path.getsize(path), sha256(path)))
    print("total %d rows" % total)


if __name__ == "__main__":
    main(sys.argv)
