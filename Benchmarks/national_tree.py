"""Writes a national police.uk archive tree for the scale benchmark (Benchmarks/national.sh):
the 41 files of the real all-forces month 2022-01 copied under MONTHS distinct months from 2008-01
on, each copy's Month field rewritten to its month (`,2022-01,` -> `,YYYY-MM,`), as
TREE/YYYY-MM/YYYY-MM-<force>-street.csv. Usage: python3 national_tree.py SRC TREE MONTHS"""
import glob, os, sys

src, tree, months = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = [(os.path.basename(f)[len("2022-01-"):-len("-street.csv")], open(f, "rb").read())
         for f in sorted(glob.glob(src + "/*-street.csv"))]
for k in range(months):
    ym = "%04d-%02d" % (2008 + k // 12, k % 12 + 1)
    os.makedirs(f"{tree}/{ym}", exist_ok=True)
    for force, data in files:
        with open(f"{tree}/{ym}/{ym}-{force}-street.csv", "wb") as fh:
            fh.write(data.replace(b",2022-01,", (",%s," % ym).encode()))
open(f"{tree}/.done", "w").close()
