"""Cold import time of the Python shim (``import bedrock_hub_access``) against ``import boto3`` alone.

Each sample is a fresh interpreter that times only the import statement; the two are run side by
side, interleaved, so both see the same machine load. Prints the medians and their ratio.

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
    for module in ("boto3", "bedrock_hub_access"):  # warm the bytecode caches once, untimed
        sample(module)
    boto3_times, shim_times, ratios = [], [], []
    for _ in range(runs):
        b = sample("boto3")
        s = sample("bedrock_hub_access")
        boto3_times.append(b)
        shim_times.append(s)
        ratios.append(s / b)
    import boto3  # noqa: E402 - the version, after the timed runs

    b_med, s_med = statistics.median(boto3_times), statistics.median(shim_times)
    print(
        f"python {sys.version.split()[0]}, boto3 {boto3.__version__}: "
        f"import boto3 {b_med * 1000:.1f} ms, import bedrock_hub_access {s_med * 1000:.1f} ms (median of {runs}); "
        f"ratio {s_med / b_med:.2f}x (median of paired ratios {statistics.median(ratios):.2f}x)"
    )


if __name__ == "__main__":
    main()
