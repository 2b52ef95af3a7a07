#!/usr/bin/env python3
"""Speed of the credential server (issue 10's benchmark), on the release binary, cache hit:

- start-up: `exec NAME -- true` (static: exec'd) against `exec --server NAME -- true` (server
  thread, private files, the child, then the port closed), alternated run by run; the median
  of each and of the per-pair ratio (the machine is shared and noisy).
- answer time: inside `exec --server`, a client on one keep-alive-free connection per request
  times `GET /` with the token (what an SDK does when it refreshes), median over N requests.

Usage: python3 benches/server_speed.py [--runs N]
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "switchrole"
sys.path.insert(0, str(ROOT / "benches"))
from cli_speed import environment, free_port  # noqa: E402

CLIENT = r"""
import os, socket, statistics, time
uri = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
port = int(uri.rsplit(":", 1)[1].strip("/"))
token = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
request = f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n".encode()
samples = []
for _ in range(int(os.environ["N"])):
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    samples.append((time.perf_counter() - start) * 1e6)
    assert b"AccessKeyId" in data, data
print(f"{statistics.median(samples):.0f} {min(samples):.0f}")
"""


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 30
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    moto = ROOT / "target" / "test-venv" / "bin" / "moto_server"
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        config = home / "config" / "switchrole" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text('[[roles]]\nname = "A"\naccount_id = "111122223333"\nrole_name = "Admin"\n')
        port = free_port()
        server = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            env = environment(home, f"http://127.0.0.1:{port}")
            for _ in range(100):
                if subprocess.run([str(BIN), "env", "A"], env=env, capture_output=True).returncode == 0:
                    break
                time.sleep(0.1)
            # From here on a cache miss would fail: nothing listens at the endpoint.
            env = environment(home, "http://127.0.0.1:9")
            static, served, ratios = [], [], []
            for _ in range(runs):
                pair = []
                for args in (["exec", "A", "--", "true"], ["exec", "--server", "A", "--", "true"]):
                    start = time.perf_counter()
                    subprocess.run([str(BIN), *args], env=env, check=True)
                    pair.append((time.perf_counter() - start) * 1000)
                static.append(pair[0])
                served.append(pair[1])
                ratios.append(pair[1] / pair[0])
            print(f"start-up, static  median {statistics.median(static):6.2f} ms ({runs} runs)")
            print(f"start-up, server  median {statistics.median(served):6.2f} ms "
                  f"(median ratio server/static {statistics.median(ratios):.2f})")
            out = subprocess.run([str(BIN), "exec", "--server", "A", "--", sys.executable, "-c", CLIENT],
                                 env=dict(env, N="2000"), check=True, capture_output=True, text=True)
            median, best = out.stdout.split()
            print(f"server answer, cached  median {median} us  min {best} us  (2000 requests, "
                  "connect + GET + read, Python client)")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
