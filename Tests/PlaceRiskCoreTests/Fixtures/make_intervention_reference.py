"""Reference numbers for PlaceRisk's difference-in-differences and interrupted time series.

Run with the peers venv (statsmodels 0.15.0, numpy, scipy):
    /tmp/peers-venv/bin/python make_intervention_reference.py
Writes intervention_panel.csv (a seeded NB2 panel: 6 areas x 24 months, area 0 treated from month 14,
calendar month of month 0 = January) and intervention_reference.json (statsmodels' estimates on the
same designs as Sources/PlaceRiskCore/Intervention/{DifferenceInDifferences,InterruptedTimeSeries}.swift).
"""
import json
import numpy as np
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_ljungbox

rng = np.random.default_rng(20261201)
U, T, S = 6, 24, 14
area = rng.uniform(2.0, 3.2, U)
month = 0.15 * np.sin(2 * np.pi * (np.arange(T) % 12 + 1) / 12)
counts = np.zeros((U, T))
for u in range(U):
    for t in range(T):
        mu = np.exp(area[u] + month[t] + 0.01 * t + (-0.25 if (u == 0 and t >= S) else 0.0))
        lam = rng.gamma(1 / 0.05, 0.05 * mu)
        counts[u, t] = rng.poisson(lam)

with open("intervention_panel.csv", "w") as f:
    f.write("area,month,count\n")
    for u in range(U):
        for t in range(T):
            f.write(f"A{u},{t},{int(counts[u, t])}\n")

y = counts.reshape(-1)

def did_design(event):
    cols, names = [], []
    for u in range(1, U):
        cols.append([1.0 if uu == u else 0.0 for uu in range(U) for tt in range(T)]); names.append(f"area_{u}")
    for t in range(1, T):
        cols.append([1.0 if tt == t else 0.0 for uu in range(U) for tt in range(T)]); names.append(f"month_{t}")
    if event:
        for k in range(T):
            if k == S - 1:
                continue
            cols.append([1.0 if (uu == 0 and tt == k) else 0.0 for uu in range(U) for tt in range(T)]); names.append(f"event_{k - S}")
    else:
        cols.append([1.0 if (uu == 0 and tt >= S) else 0.0 for uu in range(U) for tt in range(T)]); names.append("treated_post")
    X = sm.add_constant(np.array(cols).T, has_constant="add")
    return X, ["const"] + names

def summary(res, names):
    ci = np.asarray(res.conf_int())
    return {"names": names, "params": list(map(float, res.params)), "bse": list(map(float, res.bse)),
            "ci_low": list(map(float, ci[:, 0])), "ci_high": list(map(float, ci[:, 1]))}

out = {}
X, names = did_design(False)
pois = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-14)
out["did_poisson"] = summary(pois, names)
out["did_poisson"]["pearson_dispersion"] = float(pois.pearson_chi2 / pois.df_resid)
nb = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(method="newton", maxiter=200, tol=1e-14, disp=0)
out["did_negbin"] = summary(nb, names + ["alpha"])

Xe, ne = did_design(True)
ev = sm.GLM(y, Xe, family=sm.families.Poisson()).fit(tol=1e-14)
lead_idx = [i for i, n in enumerate(ne) if n.startswith("event_") and int(n.split("_")[1]) < -1]
R = np.zeros((len(lead_idx), len(ne)))
for r, i in enumerate(lead_idx):
    R[r, i] = 1
w = ev.wald_test(R, scalar=True, use_f=False)
out["event_poisson"] = summary(ev, ne)
out["event_poisson"]["pretrend_chi2"] = float(w.statistic)
out["event_poisson"]["pretrend_df"] = len(lead_idx)
out["event_poisson"]["pretrend_p"] = float(w.pvalue)

# ITS on area 0: time, level, slope, two harmonic pairs (calendar month m = t % 12 + 1).
t = np.arange(T)
m = t % 12 + 1
Xi = np.column_stack([t, (t >= S).astype(float), np.where(t >= S, t - S, 0.0),
                      np.sin(2 * np.pi * m / 12), np.cos(2 * np.pi * m / 12),
                      np.sin(4 * np.pi * m / 12), np.cos(4 * np.pi * m / 12)])
Xi = sm.add_constant(Xi, has_constant="add")
ni = ["const", "time", "level", "slope", "sin1", "cos1", "sin2", "cos2"]
yi = counts[0]
ip = sm.GLM(yi, Xi, family=sm.families.Poisson()).fit(tol=1e-14)
out["its_poisson"] = summary(ip, ni)
lb = acorr_ljungbox(ip.resid_pearson, lags=[6])
out["its_poisson"]["ljung_box_q"] = float(lb["lb_stat"].iloc[0])
out["its_poisson"]["ljung_box_p"] = float(lb["lb_pvalue"].iloc[0])
inb = sm.NegativeBinomial(yi, Xi, loglike_method="nb2").fit(method="newton", maxiter=200, tol=1e-14, disp=0)
out["its_negbin"] = summary(inb, ni + ["alpha"])
out["versions"] = {"statsmodels": sm.__version__, "numpy": np.__version__}
with open("intervention_reference.json", "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps({k: (v["params"][-1] if isinstance(v, dict) and "params" in v else v) for k, v in out.items()}))
