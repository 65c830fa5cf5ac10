#!/usr/bin/env python3
"""scripts/coldstart_cdf.py — the distribution over functions of the cold-start ratio, from the
JSON of an account run (`capsim run X --format json`, X with `functions:` or
`functions_from_trace:`), as in docs/azure-trace.md.

Prints: how many functions, the account's pooled ratio, the CDF over functions (the share of
functions whose cold-start ratio is <= x, at several x), the median and other quantiles, the share
of functions whose every invocation was cold, and the same by invocation count (bands of a power
of ten). Every function counts once, whatever its invocations; a function with no invocation is
left out (it has no ratio).

With --trace FILE.csv (the Azure per-minute invocations file the run replayed) and --keep-alive
MINUTES, it also gives the same figures for a simple model computed from the trace alone, as a
cross-check of the simulation: per function, at one-minute resolution, the first minute with
invocations is one cold start, and so is every later minute with invocations that follows at
least MINUTES minutes without any; every other invocation is warm (one environment, no
concurrency). capsim differs from it on purpose: arrivals fall at random within their minute, an
environment lives for the keep-alive after its last invocation ends, and invocations that overlap
need more environments (each one cold).

Usage:
  capsim run scenarios/azure-per-function.yaml --format json > pf.json
  scripts/coldstart_cdf.py pf.json [--trace "$CAPSIM_AZURE_TRACE/invocations.csv" --keep-alive 10]
  scripts/coldstart_cdf.py pf.json --markdown     # the tables as Markdown
Python 3 standard library only.
"""
import argparse
import csv
import json
import math
import sys

THRESHOLDS = [0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]
QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9]


def quantile(sorted_values, q):
    """The q-quantile of sorted values, interpolated linearly (numpy's default, type 7)."""
    if not sorted_values:
        return float("nan")
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def band(n):
    """The invocation-count band of n: 1, 2-10, 11-100, 101-1,000, ..."""
    if n <= 1:
        return (1, 1)
    k = math.ceil(math.log10(n))
    while 10 ** k < n:  # float rounding of log10
        k += 1
    while k > 1 and 10 ** (k - 1) >= n:
        k -= 1
    return (10 ** (k - 1) + 1, 10 ** k)


def band_label(b):
    lo, hi = b
    return f"{lo:,}" if lo == hi else f"{lo:,}-{hi:,}"


def summarize(rows):
    """rows: (invocations, cold_starts) per function. Returns a dict of the figures."""
    rows = [(n, c) for n, c in rows if n > 0]
    ratios = sorted(c / n for n, c in rows)
    total_n = sum(n for n, _ in rows)
    total_c = sum(c for _, c in rows)
    out = {
        "functions": len(rows),
        "invocations": total_n,
        "cold_starts": total_c,
        "pooled_ratio": total_c / total_n if total_n else float("nan"),
        "mean_of_ratios": sum(ratios) / len(ratios) if ratios else float("nan"),
        "cdf": [(x, sum(r <= x + 1e-12 for r in ratios) / len(ratios)) for x in THRESHOLDS],
        "quantiles": [(q, quantile(ratios, q)) for q in QUANTILES],
        "all_cold": sum(c >= n for n, c in rows) / len(rows) if rows else float("nan"),
        "bands": [],
    }
    for b in sorted({band(n) for n, _ in rows}):
        sub = [(n, c) for n, c in rows if band(n) == b]
        r = sorted(c / n for n, c in sub)
        out["bands"].append({
            "band": band_label(b),
            "functions": len(sub),
            "share_of_functions": len(sub) / len(rows),
            "median": quantile(r, 0.5),
            "p90": quantile(r, 0.9),
            "all_cold": sum(c >= n for n, c in sub) / len(sub),
            "cold_starts": sum(c for _, c in sub),
            "share_of_cold_starts": sum(c for _, c in sub) / total_c if total_c else float("nan"),
        })
    return out


def from_json(path):
    with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as f:
        doc = json.load(f)
    lam = doc.get("platforms", {}).get("lambda")
    if not lam or "functions" not in lam:
        sys.exit(f"{path}: no platforms.lambda.functions: run a scenario with functions: or "
                 "functions_from_trace: with --format json")
    rows = {name: (fn["invocations"], fn["cold_starts"]) for name, fn in lam["functions"].items()}
    return rows, lam


def from_trace(path, keep_alive_min):
    """The one-minute model of the docstring, per row; named as capsim names the functions."""
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        first = header.index("HashFunction") + 2  # HashOwner, HashApp, HashFunction, Trigger
        for rec in reader:
            counts = [int(float(v)) for v in rec[first:]]
            n = sum(counts)
            if n == 0:
                continue
            cold, idle = 0, None  # idle: minutes without invocations since the last active one
            for c in counts:
                if c > 0:
                    if idle is None or idle >= keep_alive_min:
                        cold += 1
                    idle = 0
                elif idle is not None:
                    idle += 1
            name = "f" + rec[header.index("HashFunction")][:12]
            rows[name] = (n, cold)
    return rows


def pct(v):
    return "n/a" if v != v else f"{100 * v:.1f} %"


def ratio_pct(v):
    if v != v:
        return "n/a"
    return f"{100 * v:.3g} %" if v < 0.01 else f"{100 * v:.1f} %"


def print_text(title, s):
    print(f"{title}")
    print(f"  functions {s['functions']}, invocations {s['invocations']:,}, "
          f"cold starts {s['cold_starts']:,} (pooled ratio {ratio_pct(s['pooled_ratio'])}, "
          f"mean of the functions' ratios {ratio_pct(s['mean_of_ratios'])})")
    print("  share of functions with cold-start ratio <= x:")
    for x, share in s["cdf"]:
        print(f"    x = {ratio_pct(x):>8}  {pct(share):>8}")
    print("  quantiles over functions: " +
          ", ".join(f"p{int(100 * q)} {ratio_pct(v)}" for q, v in s["quantiles"]))
    print(f"  every invocation cold: {pct(s['all_cold'])} of the functions")
    print("  by invocations in the run:")
    print(f"    {'invocations':>16} {'functions':>10} {'median':>8} {'p90':>8} "
          f"{'all cold':>9} {'of cold starts':>15}")
    for b in s["bands"]:
        print(f"    {b['band']:>16} {b['functions']:>10} {ratio_pct(b['median']):>8} "
              f"{ratio_pct(b['p90']):>8} {pct(b['all_cold']):>9} "
              f"{pct(b['share_of_cold_starts']):>15}")


def print_markdown(title, s):
    print(f"**{title}**: {s['functions']} functions, {s['invocations']:,} invocations, "
          f"{s['cold_starts']:,} cold starts (pooled ratio {ratio_pct(s['pooled_ratio'])}; mean "
          f"of the functions' ratios {ratio_pct(s['mean_of_ratios'])}); every invocation cold "
          f"for {pct(s['all_cold'])} of the functions; "
          + ", ".join(f"p{int(100 * q)} {ratio_pct(v)}" for q, v in s["quantiles"]) + ".\n")
    print("| cold-start ratio x | " + " | ".join(ratio_pct(x) for x, _ in s["cdf"]) + " |")
    print("| --- | " + " | ".join("---:" for _ in s["cdf"]) + " |")
    print("| functions with ratio <= x | " + " | ".join(pct(v) for _, v in s["cdf"]) + " |\n")
    print("| invocations in 8 h | functions | median ratio | p90 ratio | all cold | "
          "share of the cold starts |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for b in s["bands"]:
        print(f"| {b['band']} | {b['functions']} | {ratio_pct(b['median'])} | "
              f"{ratio_pct(b['p90'])} | {pct(b['all_cold'])} | "
              f"{pct(b['share_of_cold_starts'])} |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", help="capsim run --format json output of an account ('-': stdin)")
    ap.add_argument("--trace", help="the per-minute invocations.csv, for the one-minute model")
    ap.add_argument("--keep-alive", type=float, default=10, help="minutes, for --trace (10)")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    a = ap.parse_args()

    sim, lam = from_json(a.json)
    show = print_markdown if a.markdown else print_text
    show("capsim", summarize(sim.values()))
    if a.trace:
        model = from_trace(a.trace, a.keep_alive)
        show(f"one-minute model, {a.keep_alive:g}-minute keep-alive", summarize(model.values()))
        common = sorted(set(sim) & set(model))
        if len(common) != len(sim) or len(common) != len(model):
            print(f"note: {len(sim)} functions in the run, {len(model)} in the trace, "
                  f"{len(common)} in both")
        diffs = sorted(sim[k][1] / sim[k][0] - model[k][1] / model[k][0]
                       for k in common if sim[k][0] > 0)
        same_n = sum(sim[k][0] == model[k][0] for k in common)
        print(f"per function, capsim's ratio minus the model's: median "
              f"{100 * quantile(diffs, 0.5):+.2f} points, p10 {100 * quantile(diffs, 0.1):+.2f}, "
              f"p90 {100 * quantile(diffs, 0.9):+.2f}; within 1 point for "
              f"{pct(sum(abs(d) <= 0.01 for d in diffs) / len(diffs))} of the functions; "
              f"same invocation count for {same_n} of {len(common)}")


if __name__ == "__main__":
    main()
