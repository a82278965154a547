"""The scaling curve (issue 22 #2): ``make bench-curve`` runs the benchmark at 10,000, 100,000 and 300,000 cadres
(one process; no pages, no second worker) and writes ``bench/curve.json``: for each scale the seconds per 1,000
cadres of the promotion review, the roster and its export, and the ratio of the largest scale's per-cadre cost to
the smallest's (target: within 1.3×). Not part of ``make test``: it takes about an hour on this machine.

    python bench/curve.py [--scales 10000,100000,300000]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("review_seconds_per_1000", "roster_seconds_per_1000", "export_seconds_per_1000")
LIMIT = 1.3


def run_scale(scale):
    output = ROOT / "bench" / f"results-{scale}.json"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--scale", str(scale), "--no-workers"]
    command += ["--only", "roster,export,review", "--repeats", "1", "--output", str(output)]
    subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 - our own script
    return json.loads(output.read_text())


def curve(runs):
    """{scale: {key: seconds per 1000}} and, per key, the largest scale's value over the smallest's."""
    points = {scale: {key: result.get(key) for key in KEYS} for scale, result in sorted(runs.items())}
    smallest, largest = min(points), max(points)
    ratios = {}
    for key in KEYS:
        low, high = points[smallest][key], points[largest][key]
        ratios[key] = round(high / low, 2) if low and high else None
    return {"points": points, "ratios": ratios, "limit": LIMIT, "met": all(r is not None and r <= LIMIT for r in ratios.values())}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10000,100000,300000")
    args = parser.parse_args(argv)
    runs = {int(scale): run_scale(int(scale)) for scale in args.scales.split(",")}
    result = curve(runs)
    (ROOT / "bench" / "curve.json").write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    print(f"{'cadres':>8} " + " ".join(f"{key:>26}" for key in KEYS))
    for scale, point in result["points"].items():
        print(f"{scale:>8} " + " ".join(f"{point[key]!s:>26}" for key in KEYS))
    print(f"{'ratio':>8} " + " ".join(f"{result['ratios'][key]!s:>26}" for key in KEYS) + f"   (limit {LIMIT})")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
