"""Speed ratios from one timings JSONL (peers' schema): peer median / PlaceRisk median.

    python3 Benchmarks/ratios.py /tmp/placerisk-bench/timings.jsonl
"""
import json
import sys

recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]


def med(op, size, lib, method_prefix):
    for r in recs:
        if r.get("weights_loaded"):
            continue
        if r["op"] == op and r["size"] == size and r["library"].startswith(lib) and r["method"].startswith(method_prefix):
            return r["median_s"], r
    return None, None


print(f"| op | n | PlaceRisk method | PlaceRisk s | peer | peer s | ratio |")
print(f"|---|---|---|---|---|---|---|")
for size in sorted({r["size"] for r in recs if r["op"] == "bin"}):
    ours, rec = med("bin", size, "PlaceRisk", "counts, fused floor+count, 2")
    if ours is None:
        ours, rec = med("bin", size, "PlaceRisk", "counts, fused")
    h, _ = med("bin", size, "numpy histogram2d", "counts")
    fl, _ = med("bin", size, "numpy", "floor -> flat index")
    bc, _ = med("bin", size, "numpy bincount", "counts")
    if ours and h:
        print(f"| bin | {size:,} | {rec['method']} | {ours:.4f} | numpy.histogram2d | {h:.4f} | **{h / ours:.1f}x** |")
    if ours and fl and bc:
        print(f"| bin | {size:,} | {rec['method']} | {ours:.4f} | numpy floor + bincount | {fl + bc:.4f} | **{(fl + bc) / ours:.1f}x** |")
    w, _ = med("bin", size, "PlaceRisk", "weighted, fused")
    hw, _ = med("bin", size, "numpy histogram2d", "weighted")
    if w and hw:
        print(f"| bin | {size:,} | weighted sums, fused | {w:.4f} | numpy.histogram2d weighted | {hw:.4f} | **{hw / w:.1f}x** |")
    if rec and "peak_rss_mb" in rec:
        print(f"| memory | {size:,} | peak RSS {rec['peak_rss_mb']} MB | | raw x,y bytes | {rec['coordinate_mb']:.1f} MB | {rec['peak_rss_mb'] / rec['coordinate_mb']:.2f}x of raw |")
for size in sorted({r["size"] for r in recs if r["op"] == "ingest"}):
    p, _ = med("ingest", size, "pandas", "pandas.read_csv alone")
    pg, _ = med("ingest", size, "pandas", "read_csv + groupby")
    for suffix in ["(columns for counting)", "(all columns kept)"]:
        ours, rec = med("ingest", size, "PlaceRisk", "parse + project + aggregate lsoa,month " + suffix)
        if ours and p:
            print(f"| ingest | {size:,} | {rec['method']} | {ours:.3f} | pandas.read_csv alone | {p:.3f} | **{p / ours:.1f}x** |")
        if ours and pg:
            print(f"| ingest | {size:,} | {rec['method']} | {ours:.3f} | read_csv + groupby | {pg:.3f} | **{pg / ours:.1f}x** |")

def find(op, lib, method_part):
    for r in recs:
        if r["op"] == op and r["library"].startswith(lib) and method_part in r["method"]:
            return r
    return None


for kernel, peer_lib, peer_method in [("quartic", "KDEpy", "kdepy quartic h=1500"), ("gaussian", "KDEpy", "kdepy gaussian h=1500"),
                                      ("gaussian", "numpy (BLAS)", "separable gaussian h=1500")]:
    ours, peer = find("kde", "PlaceRisk", f"{kernel} h=1500"), find("kde", peer_lib, peer_method)
    if ours and peer:
        print(f"| kde | {ours['size']:,} | {ours['method']} (exact) | {ours['median_s']:.4f} | {peer_lib} {peer_method} | "
              f"{peer['median_s']:.4f} | **{peer['median_s'] / ours['median_s']:.1f}x** |")
ours, peer = find("kde", "PlaceRisk", "binned gaussian"), find("kde", "KDEpy", "kdepy gaussian h=1500")
if ours and peer:
    print(f"| kde | {ours['size']:,} | binned gaussian (stated max error {ours['maximum_error_relative_to_peak']:.1%} of the peak, "
          f"measured {ours['measured_max_abs_error_vs_exact_relative_to_peak']:.2%}) | {ours['median_s']:.4f} | KDEpy kdepy gaussian h=1500 | "
          f"{peer['median_s']:.4f} | **{peer['median_s'] / ours['median_s']:.1f}x** |")
ours = find("gistar", "PlaceRisk", "stencil")
for lib, part in [("numpy", "stencil"), ("esda G_Local", "graph")]:
    peer = find("gistar", lib, part)
    if ours and peer:
        print(f"| gistar | {ours['size']:,} ({ours['grid']}) | {ours['method']} | {ours['median_s']:.4f} | {lib} {peer['method']} | "
              f"{peer['median_s']:.4f} | **{peer['median_s'] / ours['median_s']:.1f}x** |")
ours, peer = find("lisa", "PlaceRisk", "perms=999"), find("lisa", "esda", "perms=999")
if ours and peer:
    print(f"| lisa | {ours['size']:,} LSOAs | {ours['method']} | {ours['median_s']:.4f} | esda Moran_Local {peer['method']} | "
          f"{peer['median_s']:.4f} | **{peer['median_s'] / ours['median_s']:.1f}x** |")

for size in sorted({r["size"] for r in recs if r["op"] == "logit"}):
    ours = next((r for r in recs if r["op"] == "logit" and r["size"] == size and r["library"] == "PlaceRisk"), None)
    for lib, part in [("statsmodels Logit", "newton"), ("scikit-learn", "C=inf"), ("scikit-learn", "C=1")]:
        peer = next((r for r in recs if r["op"] == "logit" and r["size"] == size and r["library"] == lib and part in r["method"]), None)
        if ours and peer:
            print(f"| logit | {size:,} rows x {ours.get('features', 4)} | {ours['method']} | {ours['median_s']:.4f} | {lib} {peer['method']} | "
                  f"{peer['median_s']:.4f} | **{peer['median_s'] / ours['median_s']:.1f}x** |")

for ours_part, peer_lib in [("pearson", "scipy pearsonr"), ("spearman", "scipy spearmanr"), ("kendall", "scipy kendalltau")]:
    for size in sorted({r["size"] for r in recs if r["op"] == "corr"}):
        peer = next((r for r in recs if r["op"] == "corr" and r["size"] == size and r["library"] == peer_lib), None)
        # Both of PlaceRisk's records: the pairs one call after another, and one x against all columns
        # (x ranked or sorted once, the pairs over the cores: what DomainCorrelation.run does).
        for ours in [r for r in recs if r["op"] == "corr" and r["size"] == size and r["library"] == "PlaceRisk"
                     and r["method"].startswith(ours_part)]:
            if not peer:
                continue
            agree = ""
            if "max_abs_diff_stat_vs_scipy" in ours:
                agree = f" (max abs diff vs scipy: stat {ours['max_abs_diff_stat_vs_scipy']:.1e}, p {ours['max_abs_diff_p_vs_scipy']:.1e})"
            # On a shared machine the fastest repeat is the least disturbed one: its ratio is shown too.
            best = min(peer["times_s"]) / min(ours["times_s"])
            workers = ours.get("workers", 1)
            print(f"| corr | {size:,} rows x {ours.get('pairs', '?')} pairs | {ours['method']}{agree}, {workers} worker{'s' if workers != 1 else ''} | {ours['median_s']:.4f} | "
                  f"{peer_lib} | {peer['median_s']:.4f} | **{peer['median_s'] / ours['median_s']:.1f}x** (fastest runs: {best:.1f}x) |")

for r in recs:
    if r["op"] == "report" and r["library"] == "PlaceRisk":
        print(f"| report | {r['size']:,} rows, {r.get('months', '?')} months | {r['method']} | {r['median_s']:.2f} | "
              f"peak RSS {r.get('peak_rss_mb', '?')} MB | | |")

ours, peer = find("timeofday", "PlaceRisk", "DatedIncidentLoader"), find("timeofday", "pandas", "read_csv")
if ours and peer:
    print(f"| timeofday | {ours['size']:,} rows | {ours['method']} | {ours['median_s']:.3f} | pandas {peer['method']} | "
          f"{peer['median_s']:.3f} | **{peer['median_s'] / ours['median_s']:.2f}x** |")

fast, general = find("stream", "PlaceRisk", "fast path"), find("stream", "PlaceRisk", "general path")
if fast and general:
    print(f"| stream | {fast['size']:,} rows | LSOA x month x type, fast path, peak RSS {fast.get('peak_rss_mb', '?')} MB | {fast['median_s']:.3f} | "
          f"PlaceRisk's general CSVReader path | {general['median_s']:.3f} | **{general['median_s'] / fast['median_s']:.1f}x** |")
