"""`make bench`: run every benchmarks/bench_*.py in turn and print what each measures.

Benchmarks measure; they never fail the build. Each is a script with its own
``main()`` that prints a small table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    only = set(sys.argv[1:])
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"== {name} ==", flush=True)
        subprocess.run([sys.executable, str(script)], check=False)
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
