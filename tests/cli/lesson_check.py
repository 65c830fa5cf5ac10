#!/usr/bin/env python3
"""tests/cli/lesson_check.py — checks that a lesson quotes the numbers its runs produced.

Usage: lesson_check.py CAPSIM SRCDIR LESSON.json TABLE.txt [OVERRIDE...]

LESSON.json is `capsim lesson TOPIC --format json [OVERRIDES]`, TABLE.txt the same lesson as a
table. Independently of capsim's lesson code, this script:
  1. re-runs every run of the lesson with `capsim run FILE --set ... --format json` and every
     sweep with `capsim sweep FILE --set ... --vary ... --format json`, and checks that the
     results the lesson embeds are those;
  2. evaluates every placeholder's expression itself (its own parser, below) on those
     independent results, the scenario's settings (`capsim validate`) and the pricing table
     (read with PyYAML), and checks the value the lesson used equals it;
  3. checks the text the lesson printed for each value is that value in its format (to the
     digits shown) and appears in the printed answer;
  4. allows a gap (a pricing rate the table lacks) only when the table really lacks the key.
Prints one line per problem and exits 1 if there is any.
"""
import json
import math
import os
import re
import subprocess
import sys

capsim, src, lesson_json, table_txt = sys.argv[1:5]
extra = sys.argv[5:]  # the overrides given to the lesson (-r 1 ...), given to every re-run too
problems = []


def problem(msg):
    problems.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run_json(args):
    out = subprocess.run([capsim] + args + ["--format", "json", "-q"] + extra,
                         capture_output=True, text=True)
    if out.returncode != 0:
        problem("capsim %s exited %d: %s" % (" ".join(args), out.returncode, out.stderr))
        return None
    return json.loads(out.stdout)


# ---------------------------------------------------------------- units (the scenario format's)

DUR = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
SIZE = {"KB": 1 / 1024, "MB": 1.0, "GB": 1024.0, "TB": 1024.0 * 1024}
PER = {"s": 1.0, "second": 1.0, "min": 60.0, "minute": 60.0, "h": 3600.0, "hour": 3600.0,
       "d": 86400.0, "day": 86400.0}


def base_value(text):
    """A value of the format in base units: seconds, MB, per second, or a plain number."""
    t = str(text).strip()
    m = re.fullmatch(r"(-?[0-9.e+-]+)/([0-9.]*)([a-z]+)", t)
    if m:
        per = float(m.group(2)) if m.group(2) else 1.0
        return float(m.group(1)) / (per * PER[m.group(3)])
    m = re.fullmatch(r"(-?[0-9.e+-]+)([a-zA-Z]+)", t)
    if m:
        unit = m.group(2)
        if unit in DUR:
            return float(m.group(1)) * DUR[unit]
        if unit in SIZE:
            return float(m.group(1)) * SIZE[unit]
        raise ValueError("unit of " + t)
    return float(t)


# ---------------------------------------------------------------- expressions

TOKEN = re.compile(r"\s*(?:(?P<num>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|"
                   r"(?P<name>[A-Za-z](?:[A-Za-z0-9_.\-]|\[[^\]]*\])*)|(?P<op>[-+*/(),]))")


def tokenize(expr):
    pos, out = 0, []
    while pos < len(expr):
        if expr[pos:].strip() == "":
            break
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError("cannot read %r at %d" % (expr, pos))
        pos = m.end()
        if m.group("num"):
            out.append(("num", float(m.group("num"))))
        elif m.group("name"):
            name = m.group("name")
            # a name never ends with '-' or '.' (capsim reads "a.b -c" as a.b minus c)
            while name[-1] in "-.":
                name = name[:-1]
                pos -= 1
            out.append(("name", name))
        else:
            out.append(("op", m.group("op")))
    return out


class Expr:
    def __init__(self, expr, ctx):
        self.toks, self.i, self.ctx = tokenize(expr), 0, ctx

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def value(self):
        v = self.sum()
        if self.i != len(self.toks):
            raise ValueError("trailing tokens")
        return v

    def sum(self):
        v = self.product()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            w = self.product()
            v = arith(v, w, op)
        return v

    def product(self):
        v = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            w = self.factor()
            v = arith(v, w, op)
        return v

    def factor(self):
        kind, val = self.take()
        if kind == "num":
            return val
        if (kind, val) == ("op", "("):
            v = self.sum()
            self.take()
            return v
        if (kind, val) == ("op", "-"):
            return arith(0.0, self.factor(), "-")
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = []
                while True:
                    args.append(self.take()[1])
                    if self.take() == ("op", ")"):
                        break
                return self.ctx.call(val, args)
            return self.ctx.ref(val)
        raise ValueError("unexpected %r" % (val,))


class Gap(Exception):
    pass


def arith(a, b, op):
    if isinstance(a, str) or isinstance(b, str):
        raise ValueError("arithmetic on a text")
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b if b != 0 else (math.nan if a == 0 else math.copysign(math.inf, a))


def dig(obj, path):
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj:
            raise KeyError(path)
        obj = obj[key]
    return obj


def metric(doc, path):
    """PLATFORM.PATH in a run's JSON (or a sweep point's)."""
    if path in ("comparison.cheapest", "comparison.fastest"):
        v = doc["comparison"][path.split(".")[1]]
        return v if v is not None else "none"
    plat, rest = path.split(".", 1)
    sec = doc["workload"] if plat == "workload" else doc["platforms"][plat]
    if rest.startswith("ci95."):
        v = sec.get("ci95", {}).get(rest[5:])
    else:
        v = dig(sec, rest)
    return math.nan if v is None else float(v)


def pricing_number(table_file, key):
    import yaml  # PyYAML: the only reader of the table here
    with open(table_file) as f:
        node = yaml.safe_load(f)
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if part.startswith("["):
            i = int(part[1:-1])
            if not isinstance(node, list) or i >= len(node):
                raise Gap(key)
            node = node[i]
        else:
            if not isinstance(node, dict) or part not in node:
                raise Gap(key)
            node = node[part]
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        raise Gap(key)
    return float(node)


class Context:
    def __init__(self, part, runs, sweep, table_file):
        self.part, self.runs, self.sweep, self.table = part, runs, sweep, table_file

    def ref(self, name):
        if name.startswith("pricing."):
            return pricing_number(self.table, name[8:])
        m = re.fullmatch(r"sweep\[([^\]]*)\]\.(.*)", name)
        if m:
            return self.point_metric(m.group(1), m.group(2))
        run, path = name.split(".", 1)
        doc, settings = self.runs[run]
        if path in ("horizon_s", "warmup_s", "replications", "seed"):
            return float(doc[path])
        if path.startswith("scenario."):
            return base_value(dig(settings, path[9:]))
        return metric(doc, path)

    def point(self, value):
        keys = [v["key"] for v in self.sweep["vary"]]
        for p in self.sweep["points"]:
            if ",".join(p["values"][k] for k in keys) == value:
                return p
        raise KeyError("no sweep point " + value)

    def point_metric(self, value, path):
        return metric(self.point(value), path)

    def call(self, fn, args):
        key = self.sweep["vary"][0]["key"]
        pts = sorted(self.sweep["points"], key=lambda p: base_value(p["values"][key]))
        xs = [base_value(p["values"][key]) for p in pts]
        ys = [metric(p, args[0]) for p in pts]
        if fn in ("min", "max", "argmin", "argmax"):
            best = None
            for k, y in enumerate(ys):
                if math.isnan(y):
                    continue
                if best is None or (y < ys[best] if fn.endswith("min") else y > ys[best]):
                    best = k
            if fn.startswith("arg"):
                return pts[best]["values"][key] if best is not None else "n/a"
            return ys[best] if best is not None else math.nan
        zs = [metric(p, args[1]) for p in pts]
        for k in range(len(pts)):
            d = ys[k] - zs[k]
            if d == 0:
                return xs[k]
            if k + 1 < len(pts):
                e = ys[k + 1] - zs[k + 1]
                if (d < 0 < e) or (d > 0 > e):
                    return xs[k] + (xs[k + 1] - xs[k]) * d / (d - e)
        return math.nan


# ---------------------------------------------------------------- printed text against value

def shown(text, fmt):
    """The number a text shows, in the value's unit, and half the step of its last digit."""
    t = text.replace(",", "").strip()
    scale = 1.0
    if fmt == "usd":
        t = t.lstrip("$")
    elif fmt == "%":
        t, scale = t.rstrip("% ").strip(), 0.01
    elif fmt == "ms":
        t, scale = t[:-3].strip(), 1e-3
    elif fmt == "x":
        t = t.rstrip("x")
    elif fmt == "s":
        for unit, mult in ((" min", 60.0), (" h", 3600.0), (" s", 1.0)):
            if t.endswith(unit):
                t, scale = t[: -len(unit)], mult
                break
    elif fmt == "axis" or re.search(r"[a-zA-Z/]", t):
        v = base_value(t)
        return v, abs(v) * 0.006  # three significant digits
    m = re.fullmatch(r"-?(\d*)\.?(\d*)(?:e([-+]\d+))?", t)
    if not m:
        raise ValueError("not a number: %r" % text)
    decimals = len(m.group(2))
    exp = int(m.group(3)) if m.group(3) else 0
    return float(t) * scale, 0.5 * 10 ** (exp - decimals) * scale * 1.000001


def squash(s):
    return re.sub(r"\s+", " ", s)


def main():
    with open(lesson_json) as f:
        lesson = json.load(f)
    with open(table_txt) as f:
        table = squash(f.read())
    table_dir = os.environ.get("CAPSIM_PRICING_DIR") or os.path.join(src, "models", "pricing")
    checked = 0
    for part in lesson["parts"]:
        file = part["file"]
        runs = {}
        for run in part["runs"]:
            sets = sum((["--set", s] for s in run["set"]), [])
            doc = run_json(["run", file] + sets)
            if doc is None:
                continue
            if doc["platforms"] != run["results"]["platforms"] or \
               doc["workload"] != run["results"]["workload"]:
                problem("%s: run %s: the lesson's results differ from capsim run's" %
                        (file, run["name"]))
            settings = subprocess.run([capsim, "validate", file] + sets + extra,
                                      capture_output=True, text=True).stdout
            import yaml
            runs[run["name"]] = (doc, yaml.safe_load(settings))
        sweep = None
        if "sweep" in part:
            sw = part["sweep"]
            args = ["sweep", file] + sum((["--set", s] for s in sw["set"]), []) + \
                sum((["--vary", v] for v in sw["vary"]), []) + (["--zip"] if sw["zip"] else [])
            sweep = run_json(args)
            if sweep is not None and sweep["points"] != sw["results"]["points"]:
                problem("%s: the lesson's sweep differs from capsim sweep's" % file)
        table_name = "aws-us-east-1"
        for run in runs.values():
            table_name = run[1].get("pricing", {}).get("table", table_name)
        ctx = Context(part, runs, sweep, os.path.join(table_dir, table_name + ".yaml"))
        answer = squash(part["answer"] or "")
        for v in part["values"]:
            where = "%s: {%s}" % (file, v["expr"])
            checked += 1
            try:
                expected = Expr(v["expr"], ctx).value()
            except Gap as g:
                if "gap" not in v:
                    problem("%s: the table lacks %s, but the lesson shows no gap" % (where, g))
                continue
            except Exception as e:  # noqa: BLE001 - any failure is a finding
                problem("%s: cannot evaluate independently: %r" % (where, e))
                continue
            if "gap" in v:
                problem("%s: a gap, but the pricing table has the rate" % where)
                continue
            if squash(v["text"]) not in answer or squash(v["text"]) not in table:
                problem("%s: %r is not in the printed answer" % (where, v["text"]))
            if isinstance(expected, str):
                if v["value"] != expected or v["text"] != expected:
                    problem("%s: %r, expected %r" % (where, v["value"], expected))
                continue
            if math.isnan(expected) or math.isinf(expected):
                if v["value"] is not None or v["text"] != "n/a":
                    problem("%s: %r, expected n/a" % (where, v["value"]))
                continue
            got = v["value"]
            if got is None or abs(got - expected) > 1e-9 * max(1.0, abs(expected)):
                problem("%s: value %r, but the runs give %r" % (where, got, expected))
                continue
            try:
                number, half_step = shown(v["text"], v["format"])
            except Exception as e:  # noqa: BLE001
                problem("%s: text %r: %r" % (where, v["text"], e))
                continue
            if abs(number - expected) > half_step + 1e-12 * abs(expected):
                problem("%s: text %r does not show %r" % (where, v["text"], expected))
    print("%d values checked, %d problems" % (checked, len(problems)))
    sys.exit(1 if problems else 0)


main()
