"""Cold import time of the Python shim (``import bedrock_hub_access``) against ``import boto3`` alone.

Each sample is a fresh interpreter that times only the import statement; the imports are run side
by side, interleaved, so all see the same machine load. Prints the medians and their ratios: the
package as a function with hub mode off loads it, and with the hub machinery a function with hub
mode on loads as well (``bedrock_hub_access.role_session``).

Run: ``npm run bench:python`` (each locked boto3), or ``python bench/python-import.py [runs]`` in an
environment with boto3.
"""

import statistics
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "python" / "src"
TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def sample(module: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMED.format(module=module)],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return float(out.stdout)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    modules = ("boto3", "bedrock_hub_access", "bedrock_hub_access.role_session")
    for module in modules:  # warm the bytecode caches once, untimed
        sample(module)
    times = {module: [] for module in modules}
    for _ in range(runs):
        for module in modules:
            times[module].append(sample(module))
    import boto3  # noqa: E402 - the version, after the timed runs

    base = statistics.median(times["boto3"])
    parts = [f"import boto3 {base * 1000:.1f} ms"]
    for module in modules[1:]:
        median = statistics.median(times[module])
        paired = statistics.median(s / b for s, b in zip(times[module], times["boto3"]))
        parts.append(f"import {module} {median * 1000:.1f} ms = {median / base:.2f}x (paired {paired:.2f}x)")
    print(f"python {sys.version.split()[0]}, boto3 {boto3.__version__}, median of {runs}: " + "; ".join(parts))


if __name__ == "__main__":
    main()
