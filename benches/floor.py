#!/usr/bin/env python3
"""Issue 14's table: every speed path of switchrole against what this machine cannot beat,
as ratios measured side by side in one run (the machine is shared and noisy; absolute
milliseconds are not stable).

Each row runs the command and its floor alternately, pair by pair, and reports the median
of the per-pair ratios of CPU time (user + system, from wait4's rusage) and of wall time,
and the peak RSS (GNU time for `list`, the PTY child's VmHWM for the TUI). The network rows also count the requests the local STS
(moto's server) logged for one run. The TUI rows time the first frame in a real PTY (from
the spawn to the first byte of a row name on the terminal) against `/bin/echo` printing
that name through the same harness.

Uses the release binaries (`cargo build --release`) and the local STS that
`python3 tests/run.py` installs under target/test-venv.

Usage: python3 benches/floor.py [--pairs N] [--only SUBSTRING]
"""
import fcntl
import os
import pty
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "switchrole"
MOTO = ROOT / "target" / "test-venv" / "bin" / "moto_server"
SERIAL = "arn:aws:iam::111122223333:mfa/bench"


def run_once(argv: list, env: dict, before=None) -> tuple:
    """(cpu s, wall s, peak RSS KiB) of one run with stdout thrown away."""
    if before:
        before()
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv} failed (exit {os.waitstatus_to_exitcode(status)})")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss


def first_frame(argv: list, env: dict, marker: bytes) -> tuple:
    """(cpu s, wall s, peak RSS KiB) until `marker` appears on a PTY the command runs on."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(argv[0], argv, env)
    seen = b""
    wall = None
    while wall is None:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            sys.exit(f"{argv}: no {marker!r} on the terminal within 10 s")
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        seen = (seen + chunk)[-4096:]
        if marker in seen:
            wall = time.perf_counter() - start
        elif not chunk:
            sys.exit(f"{argv} ended before drawing {marker!r}")
    peak_kb = 0
    try:
        with open(f"/proc/{pid}/status") as status:  # since its exec: the TUI's own peak
            peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        pass
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.perf_counter() + 10
    while True:  # drain, so that the process is not stuck on a full PTY
        ready, _, _ = select.select([fd], [], [], max(deadline - time.perf_counter(), 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            sys.exit(f"{argv}: still running 10 s after SIGTERM")
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    _, _, usage = os.wait4(pid, 0)
    os.close(fd)
    return usage.ru_utime + usage.ru_stime, wall, peak_kb


def peak_rss_mb(argv: list, env: dict):
    """The command's peak RSS in MB, from GNU time (a child of this Python process would
    report Python's own RSS as its peak: Linux keeps the larger of the two across exec)."""
    time_bin = "/usr/bin/time"
    if not os.path.exists(time_bin):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run([time_bin, "-f", "%M", "-o", out.name, *argv], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return int(out.read().split()[-1]) / 1024


def paired(measure_a, measure_b, pairs: int) -> dict:
    for _ in range(3):  # warm the page cache
        measure_a()
        measure_b()
    a, b = [], []
    for _ in range(pairs):
        a.append(measure_a())
        b.append(measure_b())
    return {
        "cpu": statistics.median(x[0] / max(y[0], 1e-6) for x, y in zip(a, b)),
        "wall": statistics.median(x[1] / y[1] for x, y in zip(a, b)),
        "cpu_ms": statistics.median(x[0] for x in a) * 1000,
        "floor_cpu_ms": statistics.median(y[0] for y in b) * 1000,
        "wall_ms": statistics.median(x[1] for x in a) * 1000,
        "floor_wall_ms": statistics.median(y[1] for y in b) * 1000,
        "rss_mb": max(x[2] for x in a) / 1024,  # meaningful for the PTY runs only
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    """The local STS, its request log in a file."""

    def __init__(self, tmp: Path):
        if not MOTO.exists():
            sys.exit("run `python3 tests/run.py` once first: it installs the local STS")
        self.port = free_port()
        self.log = tmp / "moto.log"
        self.proc = subprocess.Popen([str(MOTO), "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        sys.exit("the local STS did not start")

    def requests(self) -> int:
        return sum('"POST /' in line for line in self.log.read_text().splitlines())

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def write_config(path: Path, roles: int, defaults: str = "") -> None:
    parts = [f"# benchmark: {roles} client roles\n[defaults]\nregion = \"eu-west-1\"\n{defaults}"]
    for i in range(roles):
        parts.append(
            f"\n[[roles]]\nname = \"Client {i:06}\"\naccount_id = \"{100000000000 + i}\"\n"
            f"role_name = \"OrganizationAccountAccessRole\"\ncolor = \"#99bce3\"\n"
            f"tags = [\"tier-{i % 7}\", \"team-{i % 13}\"]\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts))


def environment(home: Path, config: Path, endpoint: str) -> dict:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "SWITCHROLE_CONFIG": str(config),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    }


def hello_world(tmp: Path) -> str:
    source = tmp / "hello.rs"
    source.write_text('fn main() {\n    println!("hello");\n}\n')
    subprocess.run(["rustc", "-O", "-o", str(tmp / "hello"), str(source)], check=True)
    return str(tmp / "hello")


def row(path: str, floor: str, target: str, result: dict, limit: float, key: str = "cpu",
        extra: str = "") -> None:
    ok = "ok" if result[key] <= limit else "OVER"
    print(f"| {path} | {floor} | {target} | {key} {result[key]:.2f}x ({result['cpu_ms']:.2f} vs "
          f"{result['floor_cpu_ms']:.2f} ms cpu; wall {result['wall']:.2f}x) "
          f"{extra}| {ok} |", flush=True)


def main() -> None:
    pairs = int(sys.argv[sys.argv.index("--pairs") + 1]) if "--pairs" in sys.argv else 40
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    if not BIN.exists() or not BIN.with_name("switchrole-core").exists():
        sys.exit("build the release binaries first: cargo build --release")
    cat = shutil.which("cat")
    echo = "/bin/echo"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        hello = hello_world(tmp)
        moto = Moto(tmp)
        endpoint = f"http://127.0.0.1:{moto.port}"
        configs = {}
        for count in (1, 10_000, 100_000):
            home = tmp / f"home-{count}"
            configs[count] = home / "config" / "switchrole" / "config.toml"
            write_config(configs[count], count)
        env = {n: environment(configs[n].parents[3], configs[n], endpoint) for n in configs}
        bin_ = str(BIN)
        name = "Client 000000"
        for count in configs:  # a miss fills the cache; the run after writes the snapshot
            for _ in range(2):
                run_once([bin_, "env", name], env[count])
        time.sleep(2.1)  # the snapshot is written once the file is older than 2 s
        for count in configs:
            run_once([bin_, "list"], env[count])
        print("| path | measured against | target | measured | |")
        print("| --- | --- | --- | --- | --- |")

        def want(label):
            return only in label

        if want("env-1"):
            result = paired(lambda: run_once([bin_, "env", name, "--format", "json"], env[1]),
                            lambda: run_once([hello], env[1]), pairs)
            row("cached `env NAME --format json`, 1 role", "hello world", "cpu within 1.5x",
                result, 1.5)
        if want("env-10k"):
            result = paired(lambda: run_once([bin_, "env", name], env[10_000]),
                            lambda: run_once([hello], env[10_000]), pairs)
            row("cached `env NAME`, 10,000 roles", "hello world", "within 2x", result, 2.0)
        if want("list 10k"):
            result = paired(lambda: run_once([bin_, "list"], env[10_000]),
                            lambda: run_once([cat, str(configs[10_000])], env[10_000]), pairs)
            row("`list`, 10,000 roles", "`cat` of the config", "within 2x", result, 2.0)
        if want("json 10k"):
            result = paired(lambda: run_once([bin_, "list", "--json"], env[10_000]),
                            lambda: run_once([cat, str(configs[10_000])], env[10_000]), pairs)
            row("`list --json`, 10,000 roles", "`cat`", "within 3x", result, 3.0)
        if want("list 100k"):
            result = paired(lambda: run_once([bin_, "list"], env[100_000]),
                            lambda: run_once([cat, str(configs[100_000])], env[100_000]),
                            max(pairs // 4, 5))
            rss = peak_rss_mb([bin_, "list"], env[100_000])
            row("`list`, 100,000 roles", "`cat`", "within 2.5x; peak RSS < 60 MB", result, 2.5,
                extra=f"peak RSS {rss:.1f} MB " if rss else "peak RSS n/a (no /usr/bin/time) ")
        if want("edit"):
            snapshots = configs[10_000].parents[3] / "cache" / "switchrole" / "snapshots"
            result = paired(lambda: run_once([bin_, "list"], env[10_000],
                                             before=lambda: shutil.rmtree(snapshots, True)),
                            lambda: run_once([cat, str(configs[10_000])], env[10_000]),
                            max(pairs // 4, 5))
            row("first run after an edit (no snapshot), 10,000 roles", "`cat`", "within 20x",
                result, 20.0)
        if want("miss"):
            before = moto.requests()
            run_once([bin_, "env", name, "--refresh"], env[1])
            requests = moto.requests() - before
            body = ("Action=AssumeRole&Version=2011-06-15&RoleSessionName=bench&RoleArn="
                    "arn%3Aaws%3Aiam%3A%3A100000000000%3Arole%2FOrganizationAccountAccessRole")
            auth = ("Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/"
                    "us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0")
            raw = [shutil.which("curl") or "/usr/bin/curl", "-sf", "-o", "/dev/null", "-H", auth,
                   "-d", body, endpoint + "/"]
            result = paired(lambda: run_once([bin_, "env", name, "--refresh"], env[1]),
                            lambda: run_once(raw, env[1]), pairs)
            row("cache miss", "one raw AssumeRole request (curl) over loopback",
                "1 STS request per miss; wall within 1.25x", result, 1.25, key="wall",
                extra=f"{requests} STS request(s) ")
        if want("mfa"):
            home = tmp / "home-mfa"
            config = home / "config" / "switchrole" / "config.toml"
            write_config(config, 2, f"mfa_serial = \"{SERIAL}\"\n")
            mfa_env = environment(home, config, endpoint)
            cache = home / "cache" / "switchrole"
            before = moto.requests()
            run_once([bin_, "env", name, "--mfa-code", "123456"], mfa_env)
            very_first = moto.requests() - before
            # The next day: the MFA session and the roles' sessions have ended; the base
            # user's identity is still remembered.
            for stale in list(cache.glob("mfa-*.json")) + list(cache.glob("role-*.json")):
                stale.unlink()
            before = moto.requests()
            run_once([bin_, "env", name, "--mfa-code", "123456"], mfa_env)
            first = moto.requests() - before
            run_once([bin_, "env", "Client 000001"], mfa_env)
            second = moto.requests() - before - first
            print(f"| first switch of the day with MFA | | 2 requests; the next role 1 "
                  f"| {first} requests; the next role {second} (the very first switch with "
                  f"these base credentials: {very_first}) "
                  f"| {'ok' if (first, second) == (2, 1) else 'OVER'} |")
        if want("tui"):
            marker = b"Client 000000"
            for count, target, limit in ((10_000, "within 3x", 3.0),
                                         (100_000, "peak RSS < 80 MB", None)):
                result = paired(lambda: first_frame([bin_], env[count], marker),
                                lambda: first_frame([echo, "Client 000000"], env[count], marker),
                                max(pairs // 4, 5))
                rss = f"peak RSS {result['rss_mb']:.1f} MB "
                if limit:
                    row(f"TUI first frame, {count:,} roles, real PTY", "`/bin/echo` in the same "
                        "PTY harness", target, result, limit, key="wall", extra=rss)
                else:
                    ok = "ok" if result["rss_mb"] < 80 else "OVER"
                    print(f"| TUI first frame, {count:,} roles | | {target} | {rss}(wall "
                          f"{result['wall']:.2f}x of echo) | {ok} |")
        moto.stop()


if __name__ == "__main__":
    main()
