"""Cold start: the first scan after ``pip install`` against the next ones, and the install's size.

A newcomer's first scan is the one that counts most and is measured least.
This script installs syndicate into a new virtualenv (from this checkout,
``pip install .``; pip's wheel cache makes that a minute or two, not a
download), then runs ``syndicate scan sample_corpus/`` in a new process,
each into a new database: the first run is the cold one (nothing compiled or
cached by syndicate yet; the OS may still cache files the install wrote),
the others are warm. Reports each run's seconds, cold / median warm (the
goal is at most 2), and the size of the installed packages, largest first.

Data: ``sample_corpus/`` of this repository; nothing from ``../shared``.
Time: about 2-4 minutes on 2 cores, mostly the install.

Run::

    python benchmarks/cold_start.py [--warm 3] [--venv DIR] [--extract fast]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def install(venv: Path) -> tuple[Path, float]:
    """A new virtualenv with syndicate installed from this checkout; returns its python and the seconds taken."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)], check=True)
    return python, time.perf_counter() - start


def timed_scan(python: Path, db: Path, mode: str) -> float:
    """One ``syndicate scan`` of the sample corpus in a new process, end to end."""
    start = time.perf_counter()
    subprocess.run([str(python), "-m", "syndicate", "scan", str(ROOT / "sample_corpus"), "--db", str(db),
                    "--extract", mode, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=3, help="warm scans after the cold one")
    parser.add_argument("--venv", type=Path, help="where to make the virtualenv [default: a temporary folder]")
    parser.add_argument("--extract", default="fast", choices=["fast", "precise"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="syndicate-cold-") as tmp:
        venv = args.venv or Path(tmp) / "venv"
        python, install_s = install(venv)
        runs = [timed_scan(python, Path(tmp) / f"run{i}.duckdb", args.extract) for i in range(1 + args.warm)]
        site = next((venv / "lib").glob("python3*/site-packages"))
        packages = sorted(((_size(p), p.name) for p in site.iterdir() if p.is_dir() and not p.name.endswith(
            (".dist-info", "__pycache__"))), reverse=True)
        total = _size(site)
    cold, warm = runs[0], statistics.median(runs[1:])
    print(f"install into a new virtualenv: {install_s:.1f} s; site-packages {total / 2**20:.0f} MiB")
    print("    largest: " + ", ".join(f"{name} {size / 2**20:.0f} MiB" for size, name in packages[:8]))
    print(f"scan sample_corpus/ (--extract {args.extract}), new process each, new database each:")
    print(f"    first after install {cold:.2f} s; then " + ", ".join(f"{t:.2f}" for t in runs[1:]) + " s")
    print(f"    cold / median warm = {cold / warm:.2f} (goal <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
