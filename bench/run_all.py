"""Run every benchmark script in bench/ in turn and print their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("bench_*.py"))
    for script in scripts:
        print(f"== {script.name}", flush=True)
        code = subprocess.call([sys.executable, str(script)])
        if code:
            return code
    if not scripts:
        print("no benchmarks yet")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
