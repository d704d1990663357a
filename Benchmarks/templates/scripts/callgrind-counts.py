#!/usr/bin/env python3
"""Per-render call counts from two callgrind outputs (N1 and N2 renders).

    callgrind-counts.py cg.10 cg.110 [renders-between=100]

Prints mallocs and retain/release calls per render: calls to swift_retain, swift_release,
swift_bridgeObjectRetain, swift_bridgeObjectRelease (and their _n forms) made by compiled code.
Calls the runtime makes itself (swift_bridgeObjectRetain calling swift_retain) are not counted
again. Then the callers making most of them.
"""
import collections
import re
import sys

REFCOUNT = re.compile(r"swift_(bridgeObject)?(retain|release|Retain|Release)(_n)?$")


def load(path):
    names, calls = {}, collections.Counter()
    fn = cfn = None

    def name(v):
        m = re.match(r"\((\d+)\)(?: (.*))?", v)
        if not m:
            return v
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), m.group(1))

    for line in open(path, errors="replace"):
        if line.startswith("fn="):
            fn = name(line[3:].strip())
        elif line.startswith("cfn="):
            cfn = name(line[4:].strip())
        elif line.startswith("calls=") and cfn:
            calls[(fn.split("'")[0], cfn.split("'")[0])] += int(line[6:].split()[0])
    return calls


a, b = load(sys.argv[1]), load(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
diff = {k: (b[k] - a.get(k, 0)) / n for k in b}
mallocs = sum(v for (f, c), v in diff.items() if c == "malloc")
refcount = {k: v for k, v in diff.items() if REFCOUNT.match(k[1]) and not k[0].startswith("swift_") and v > 0}
print(f"mallocs / render: {mallocs:.0f}")
print(f"retain/release calls / render: {sum(refcount.values()):.0f}")
by_caller = collections.Counter()
for (f, _), v in refcount.items():
    by_caller[f] += v
for f, v in by_caller.most_common(12):
    print(f"  {v:7.0f}  {f[:110]}")
