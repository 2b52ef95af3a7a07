#!/usr/bin/env python3
"""The test command: makes sure the pinned local STS (moto's server) is installed in a
virtualenv under target/, then runs `cargo test` with MOTO_SERVER pointing at it.

Usage: python3 tests/run.py [extra cargo test arguments]
"""
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "test-venv"
REQUIREMENTS = ROOT / "tests" / "requirements.txt"
STAMP = VENV / "requirements.installed"


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / (name + suffix)


def ensure_venv() -> None:
    wanted = REQUIREMENTS.read_text()
    if venv_bin("moto_server").exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("tests/run.py: installing the local STS (moto) into", VENV, flush=True)
    if not venv_bin("python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    subprocess.run(
        [str(venv_bin("python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(REQUIREMENTS)],
        check=True,
    )
    STAMP.write_text(wanted)


def main() -> int:
    ensure_venv()
    env = dict(os.environ)
    env["MOTO_SERVER"] = str(venv_bin("moto_server"))
    env["MOTO_PYTHON"] = str(venv_bin("python"))
    command = ["cargo", "test", "--all-targets", *sys.argv[1:]]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
