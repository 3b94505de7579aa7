"""scipy/numpy computing the same per-feature drift statistics as Benchtop, on the same file, timed.

Usage: /usr/bin/python3 tests/bench/drift_scipy.py FILE.csv  -> one JSON line (timings and results)
Loading the file is not timed (as in Benchtop, where parsing is timed apart).
"""
import json, sys, time
import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

path = sys.argv[1]
with open(path) as f:
    header = f.readline().strip().split(",")
raw = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=str)
n = raw.shape[0]
half = n // 2
numeric = ["delay", "distance", "time", "log_distance", "abs_delay", "delay_per_100mi", "time_sin"]
categorical = ["delay_class", "hour", "distance_band"]
cols = {h: raw[:, i] for i, h in enumerate(header)}
num = {h: cols[h].astype(np.float64) for h in numeric}


def psi(rc, cc):
    r = np.maximum(rc / rc.sum(), 1e-4)
    c = np.maximum(cc / cc.sum(), 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


t0 = time.perf_counter()
out = {}
for h in numeric:
    a, b = num[h][:half], num[h][half:]
    ks = stats.ks_2samp(a, b)
    e = []
    for k in range(1, 10):
        q = float(np.quantile(a, k / 10))
        if not e or q > e[-1]:
            e.append(q)
    rc = np.bincount(np.searchsorted(e, a, side="right"), minlength=len(e) + 1)
    cc = np.bincount(np.searchsorted(e, b, side="right"), minlength=len(e) + 1)
    w = stats.wasserstein_distance(a, b)
    for x in (a, b):  # descriptive statistics of both sides, as Benchtop's report has them
        _ = [np.mean(x), np.median(x), np.var(x, ddof=1), np.quantile(x, [0.05, 0.25, 0.75, 0.95]), np.min(x), np.max(x), stats.skew(x), stats.kurtosis(x)]
    out[h] = {"statistic": float(ks.statistic), "p": float(ks.pvalue), "psi": psi(rc, cc), "js": float(jensenshannon(rc / rc.sum(), cc / cc.sum(), base=2)), "wasserstein": float(w)}
for h in categorical:
    a, b = cols[h][:half], cols[h][half:]
    ua, ca = np.unique(a, return_counts=True)
    ub, cb = np.unique(b, return_counts=True)
    cats = sorted(set(ua) | set(ub))
    da, db = dict(zip(ua, ca)), dict(zip(ub, cb))
    rc = np.array([da.get(c, 0) for c in cats], dtype=float)
    cc = np.array([db.get(c, 0) for c in cats], dtype=float)
    c2, p, dof, _ = stats.chi2_contingency(np.array([rc, cc]), correction=False)
    out[h] = {"statistic": float(c2), "p": float(p), "psi": psi(rc, cc), "js": float(jensenshannon(rc / rc.sum(), cc / cc.sum(), base=2))}
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "rows": int(n), "features": out}))
