#!/usr/bin/env python3
"""Speed of `switchrole prompt` inside a session (issue 11's benchmark), against a hello-world
process: a `fn main() { println!("hello") }` built here with `rustc -O`.

The two commands run alternately, pair by pair, in the same environment (SWITCHROLE,
SWITCHROLE_EXPIRES, SWITCHROLE_COLOR set, as in a session); each run's CPU time (user +
system, from wait4's rusage) and wall time are taken, and the report gives the medians and
the median of the per-pair ratios (steadier than a ratio of medians on a shared machine).
Target: within 1.3x of hello world. Uses the release binary (`cargo build --release`).

Usage: python3 benches/prompt_speed.py [--pairs N]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "switchrole"
TARGET_RATIO = 1.3


def hello_world(dir: Path) -> Path:
    source = dir / "hello.rs"
    source.write_text('fn main() {\n    println!("hello");\n}\n')
    binary = dir / "hello"
    subprocess.run(["rustc", "-O", "-o", str(binary), str(source)], check=True)
    return binary


def one_run(argv: list, env: dict) -> tuple:
    """(cpu seconds, wall seconds) of one run, its output thrown away."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    ])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv} failed")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> int:
    pairs = 400
    if "--pairs" in sys.argv:
        pairs = int(sys.argv[sys.argv.index("--pairs") + 1])
    if not BIN.exists():
        sys.exit("build the release binary first: cargo build --release")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SWITCHROLE": "Acme prod",
        "SWITCHROLE_EXPIRES": str(int(time.time()) + 2520),
        "SWITCHROLE_COLOR": "#f2b0a9",
        "COLORTERM": "truecolor",
    }
    with tempfile.TemporaryDirectory() as tmp:
        hello = hello_world(Path(tmp))
        commands = {
            "hello world": [str(hello)],
            "switchrole prompt": [str(BIN), "prompt"],
            "switchrole prompt --format ansi": [str(BIN), "prompt", "--format", "ansi"],
        }
        out = subprocess.run(commands["switchrole prompt"], env=env, capture_output=True,
                             text=True).stdout
        print(f"switchrole prompt prints: {out!r}")
        for args in commands.values():  # warm the page cache
            for _ in range(20):
                one_run(args, env)
        samples = {name: [] for name in commands}
        for _ in range(pairs):
            for name, args in commands.items():
                samples[name].append(one_run(args, env))
    base_cpu = [cpu for cpu, _ in samples["hello world"]]
    base_wall = [wall for _, wall in samples["hello world"]]
    print(f"{pairs} alternating runs of each; medians:")
    worst = 0.0
    for name, runs in samples.items():
        cpu = [c for c, _ in runs]
        wall = [w for _, w in runs]
        line = (f"  {name:34} cpu {statistics.median(cpu) * 1e3:6.3f} ms"
                f"   wall {statistics.median(wall) * 1e3:6.3f} ms")
        if name != "hello world":
            # Per-pair ratios; CPU times are in rusage's resolution, so a pair whose hello
            # world took no measurable CPU is left out of the CPU ratio.
            cpu_ratio = statistics.median(
                [c / b for c, b in zip(cpu, base_cpu) if b > 0] or [float("nan")])
            wall_ratio = statistics.median([w / b for w, b in zip(wall, base_wall)])
            line += f"   ratio cpu {cpu_ratio:.2f}x, wall {wall_ratio:.2f}x"
            worst = max(worst, wall_ratio)
        print(line)
    verdict = "within" if worst <= TARGET_RATIO else "OVER"
    print(f"target: within {TARGET_RATIO}x of hello world (wall, per pair): {verdict} "
          f"({worst:.2f}x)")
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
