#!/usr/bin/env python3
"""Builds datasets/imd2019/imd2019_england_lsoa.csv: one compact row per English LSOA (2011 codes).

Every value is taken from a published file, nothing is estimated. Standard library only.

Usage (from the repository root; SHARED is the folder holding the source datasets):

    python3 datasets/imd2019/make_imd2019_england_lsoa.py SHARED [OUT]

Sources (folders of SHARED; their README gives the origin and licence of each file):

* ``imd2019_england_lsoa/File_2_-_IoD2019_Domains_of_Deprivation.csv`` -- MHCLG English Indices of
  Deprivation 2019, File 2: LSOA code and name, 2019 district code and name, IMD rank and decile,
  rank and decile of the seven domains. OGL v3.0.
* ``imd2019_england_lsoa/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv`` -- File 1, only to
  check that its IMD rank and decile equal File 2's.
* ``imd2019_england_lsoa/File_6_-_IoD2019_Population_Denominators.csv`` -- File 6: total
  population mid-2015 excluding prisoners (the IoD 2019 denominator). OGL v3.0.
* ``imd2019_england_lsoa/imd2019_score_lsoa.csv`` -- IMD score, 3 dp (NHSRpopulation, built from
  MHCLG File 7). OGL v3.0 data.
* ``imd2019_england_lsoa/imd2019_income_employment_scores_lsoa.csv`` -- Income and Employment
  domain scores in percent, 1 dp (mySociety composite_uk_imd, from File 7); written here as rates
  (percent / 100, 3 dp), File 7's unit -- exactly what ``imd2019_devon_cornwall_merged.csv`` holds.
* ``ons_lsoa11_msoa11_lad11_lookup/lsoa11_msoa11_lad11_ew.csv`` -- ONS LSOA 2011 -> MSOA 2011
  lookup (the MSOA code). OGL v3.0.
* ``hcl_msoa_names/MSOA-Names-1.20.csv`` -- House of Commons Library MSOA names 1.20 for 2011
  MSOAs (``msoa11hclnm``). Open Parliament Licence.

Output: LF line endings, no BOM, a final newline, plain numbers (no thousands separators), fields
quoted only when they hold a comma (csv.QUOTE_MINIMAL), rows in File 2's order (by LSOA code).
Columns (header names are read by PlaceRiskIO's ``IMDCompactTable``):

    lsoa_code, lsoa_name, la_code, la_name, msoa_code, msoa_name,
    imd_score, imd_rank, imd_decile,
    income_score, income_rank, employment_score, employment_rank,
    education_rank, health_rank, crime_rank, barriers_rank, living_environment_rank,
    total_population

The seven domain deciles are left out to keep the file under 5 MB: each equals ceil(10 * rank /
32,844) for all 32,844 LSOAs and seven domains (asserted below against File 2), and the loader
derives them so. The IMD decile is kept (it follows the same rule, also asserted).

Not included because no source was found: the scores of the Education, Health, Crime, Barriers and
Living Environment domains (only their ranks and deciles are published in Files 1-6), and the
File 6 age-group denominators (no loader reads them).

Licences: English Indices of Deprivation 2019, MHCLG, Open Government Licence v3.0; Source: Office
for National Statistics licensed under the Open Government Licence v3.0; MSOA names (c) House of
Commons Library, Open Parliament Licence.
"""
import csv
import os
import sys

DOMAINS = [  # (official name in File 2 headers, short name)
    ("Income", "income"),
    ("Employment", "employment"),
    ("Education, Skills and Training", "education"),
    ("Health Deprivation and Disability", "health"),
    ("Crime", "crime"),
    ("Barriers to Housing and Services", "barriers"),
    ("Living Environment", "living_environment"),
]
IMD = "Index of Multiple Deprivation (IMD)"
N_LSOA = 32844

HEADER = ["lsoa_code", "lsoa_name", "la_code", "la_name", "msoa_code", "msoa_name",
          "imd_score", "imd_rank", "imd_decile"]
for _, s in DOMAINS:
    if s in ("income", "employment"):
        HEADER.append(s + "_score")
    HEADER.append(s + "_rank")
HEADER.append("total_population")


def decile_of_rank(rank):
    """The IoD 2019 decile of a rank: ceil(10 * rank / 32,844) (decile 1 = ranks 1 ... 3,284)."""
    return -(-10 * rank // N_LSOA)


def read(path):
    """Rows of a CSV as dicts (BOM dropped, CRLF handled, quoted thousands kept as text)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def integer(text):
    """A whole number written with or without thousands separators ("29,199")."""
    return int(text.replace(",", ""))


def rate(percent_text):
    """Percent (1 dp) -> rate, 3 dp, trailing zeros dropped: "43.5" -> "0.435", "10.0" -> "0.1"."""
    s = "%.3f" % (float(percent_text) / 100)
    s = s.rstrip("0").rstrip(".")
    return s if s else "0"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    shared = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "imd2019_england_lsoa.csv")
    imd = os.path.join(shared, "imd2019_england_lsoa")
    f2 = read(os.path.join(imd, "File_2_-_IoD2019_Domains_of_Deprivation.csv"))
    f1 = {r["LSOA code (2011)"]: r for r in read(os.path.join(imd, "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"))}
    f6 = {r["LSOA code (2011)"]: r for r in read(os.path.join(imd, "File_6_-_IoD2019_Population_Denominators.csv"))}
    score = {r["lsoa_code"]: r for r in read(os.path.join(imd, "imd2019_score_lsoa.csv"))}
    ie = {r["lsoa"]: r for r in read(os.path.join(imd, "imd2019_income_employment_scores_lsoa.csv"))}
    lookup = {r["LSOA11CD"]: r for r in read(os.path.join(shared, "ons_lsoa11_msoa11_lad11_lookup", "lsoa11_msoa11_lad11_ew.csv"))}
    hcl = {r["msoa11cd"]: r for r in read(os.path.join(shared, "hcl_msoa_names", "MSOA-Names-1.20.csv"))}

    assert len(f2) == N_LSOA and len({r["LSOA code (2011)"] for r in f2}) == N_LSOA
    rows = []
    for r in f2:
        code, name = r["LSOA code (2011)"], r["LSOA name (2011)"]
        la_code, la_name = r["Local Authority District code (2019)"], r["Local Authority District name (2019)"]
        imd_rank = integer(r[IMD + " Rank (where 1 is most deprived)"])
        imd_decile = integer(r[IMD + " Decile (where 1 is most deprived 10% of LSOAs)"])
        assert imd_decile == decile_of_rank(imd_rank), code
        # Cross-checks: every source agrees on what it shares with File 2.
        assert integer(f1[code][IMD + " Rank"]) == imd_rank and integer(f1[code][IMD + " Decile"]) == imd_decile, code
        assert f6[code]["LSOA name (2011)"] == name and f6[code]["Local Authority District code (2019)"] == la_code, code
        s = score[code]
        assert (s["lsoa_year"], s["la_year"], s["imd_year"]) == ("2011", "2019", "2019"), code
        assert s["lsoa_name"] == name and s["la_code"] == la_code and s["la_name"] == la_name, code
        assert integer(s["imd_decile"]) == imd_decile, code
        assert abs(float(ie[code]["overall_local_score"]) - float(s["imd_score"])) < 5e-4, code
        m = lookup[code]
        assert m["LSOA11NM"] == name, code
        msoa = m["MSOA11CD"]
        assert hcl[msoa]["msoa11nm"] == m["MSOA11NM"], msoa
        row = [code, name, la_code, la_name, msoa, hcl[msoa]["msoa11hclnm"], s["imd_score"], imd_rank, imd_decile]
        for official, short in DOMAINS:
            if short in ("income", "employment"):
                row.append(rate(ie[code][short + "_score"]))
            rank = integer(r[official + " Rank (where 1 is most deprived)"])
            # Domain deciles are not written: they follow from the rank (checked on every row).
            assert integer(r[official + " Decile (where 1 is most deprived 10% of LSOAs)"]) == decile_of_rank(rank), (code, short)
            row.append(rank)
        row.append(integer(f6[code]["Total population: mid 2015 (excluding prisoners)"]))
        rows.append(row)

    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print("%s: %d LSOAs, %d columns, %d bytes" % (out, len(rows), len(HEADER), os.path.getsize(out)))


if __name__ == "__main__":
    main()
