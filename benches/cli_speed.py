#!/usr/bin/env python3
"""Speed of the scripting path with 10,000 remembered roles (issue 2's benchmark).

Measures, on the release binary: `switchrole list` and `switchrole env NAME` on a cache hit.
Also checks, with strace when available, that the cache-hit path opens no AWS config file
and makes no network connection. Uses hyperfine when installed, else its own timing loop.

Then (issue 12, team sources) the same two commands with a 10,000-role team source plus 100
own roles, next to the 10,000-role own config: the two alternate run by run, and the
medians of each and of the per-pair ratios (wall and CPU time, from wait4) are reported.

Usage: python3 benches/cli_speed.py [--runs N]
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "switchrole"
ROLES = 10_000
TARGET_MS = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def roles_text(count: int, name: str = "Client", first_account: int = 100000000000) -> str:
    lines = []
    for i in range(count):
        lines.append(
            f"\n[[roles]]\nname = \"{name} {i:05}\"\naccount_id = \"{first_account + i}\"\n"
            f"role_name = \"OrganizationAccountAccessRole\"\ncolor = \"#99bce3\"\n"
            f"tags = [\"tier-{i % 7}\", \"team-{i % 13}\"]\n"
        )
    return "".join(lines)


def settle(path: Path) -> None:
    """Times an hour back: a file changed in the last seconds is not snapshotted yet."""
    past = time.time() - 3600
    os.utime(path, (past, past))


def write_config(path: Path) -> None:
    header = "# benchmark: 10,000 client roles\n[defaults]\nregion = \"eu-west-1\"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + roles_text(ROLES))
    settle(path)


def write_team_config(home: Path) -> None:
    """100 own roles and a team source of 10,000 (the same names as `write_config`'s)."""
    config = home / "config" / "switchrole" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("# benchmark: 100 own roles, a 10,000-role team source\n"
                      "[defaults]\nregion = \"eu-west-1\"\n"
                      + roles_text(100, name="Own", first_account=200000000000)
                      + "\n[[sources]]\nname = \"platform\"\npath = \"~/team/roles.toml\"\n")
    team = home / "team" / "roles.toml"
    team.parent.mkdir(parents=True, exist_ok=True)
    team.write_text("# the team's roles\n" + roles_text(ROLES))
    settle(config)
    settle(team)


def environment(home: Path, endpoint: str) -> dict:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_STS": endpoint,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    }


def seed_cache(env: dict) -> None:
    moto = Path(os.environ.get("MOTO_SERVER")
                or ROOT / "target" / "test-venv" / "bin" / "moto_server")
    if not moto.exists():
        sys.exit("run `python3 tests/run.py` once first: it installs the local STS")
    port = free_port()
    server = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        seed_env = dict(env, AWS_ENDPOINT_URL_STS=f"http://127.0.0.1:{port}")
        for _ in range(100):
            if subprocess.run([str(BIN), "env", "Client 05000"], env=seed_env,
                              capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        sys.exit("could not seed the cache from moto")
    finally:
        server.terminate()
        server.wait()


def own_timing(args: list, env: dict, runs: int) -> list:
    samples = []
    for _ in range(3):
        subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True)
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure(label: str, args: list, env: dict, runs: int) -> float:
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        subprocess.run([hyperfine, "--warmup", "3", "--runs", str(runs), "-N", "--style", "basic",
                        " ".join(f"'{a}'" for a in args)], env=env, check=True)
    samples = own_timing(args, env, runs)
    median = statistics.median(samples)
    print(f"{label:32} median {median:6.2f} ms  min {min(samples):6.2f} ms  "
          f"max {max(samples):6.2f} ms  ({runs} runs)  target < {TARGET_MS:.0f} ms: "
          f"{'ok' if median < TARGET_MS else 'MISSED'}")
    return median


def run_once(args: list, env: dict) -> tuple:
    """Wall and CPU time (user + system, from wait4) of one run, in ms."""
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{args} failed ({child.returncode})")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def compare(label: str, args: list, own: dict, team: dict, runs: int) -> None:
    """`args` in the two environments, alternating run by run."""
    for _ in range(3):
        run_once(args, own)
        run_once(args, team)
    samples = {"own": [], "team": []}
    for _ in range(runs):
        samples["own"].append(run_once(args, own))
        samples["team"].append(run_once(args, team))
    med = lambda which, i: statistics.median(s[i] for s in samples[which])
    ratio = lambda i: statistics.median(t[i] / o[i] for o, t in zip(samples["own"],
                                                                   samples["team"]))
    print(f"{label:22} 10,000 own: {med('own', 0):6.2f} ms wall {med('own', 1):6.2f} ms cpu | "
          f"10,000 team + 100 own: {med('team', 0):6.2f} ms wall {med('team', 1):6.2f} ms cpu | "
          f"ratio {ratio(0):.2f} wall {ratio(1):.2f} cpu  ({runs} pairs)")


def check_cache_hit_is_local(env: dict) -> None:
    strace = shutil.which("strace")
    if not strace:
        print("strace not installed: skipped the no-config-file / no-network check")
        return
    with tempfile.NamedTemporaryFile("r", suffix=".trace") as trace:
        subprocess.run([strace, "-f", "-qq", "-e", "trace=openat,connect", "-o", trace.name,
                        str(BIN), "env", "Client 05000"], env=env, stdout=subprocess.DEVNULL,
                       check=True)
        calls = trace.read().splitlines()
    aws_files = [c for c in calls if "/.aws/" in c]
    connects = [c for c in calls if "connect(" in c and "AF_INET" in c]
    print(f"cache hit: {len(aws_files)} AWS config file opens, {len(connects)} network connects")
    if aws_files or connects:
        sys.exit("the cache-hit path touched AWS config files or the network:\n"
                 + "\n".join(aws_files + connects))


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 30
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        write_config(home / "config" / "switchrole" / "config.toml")
        env = environment(home, "http://127.0.0.1:9")
        seed_cache(env)
        # From here on nothing listens at the STS endpoint: a cache miss would fail.
        measure("list (10,000 roles)", [str(BIN), "list"], env, runs)
        measure("env NAME, cache hit", [str(BIN), "env", "Client 05000"], env, runs)
        check_cache_hit_is_local(env)

        team_home = home / "team-user"
        write_team_config(team_home)
        team_env = environment(team_home, "http://127.0.0.1:9")
        seed_cache(team_env)
        check_cache_hit_is_local(team_env)
        print("team source: the same commands, the two configs alternating run by run")
        compare("list", [str(BIN), "list"], env, team_env, runs)
        compare("env NAME, cache hit", [str(BIN), "env", "Client 05000"], env, team_env, runs)


if __name__ == "__main__":
    main()
