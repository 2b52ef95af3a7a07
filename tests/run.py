#!/usr/bin/env python3
"""The test command: makes sure the pinned local STS (moto's server) and the other Python
packages of tests/requirements.txt are installed under target/, then runs
`cargo test --all-targets` with MOTO_SERVER and MOTO_PYTHON pointing at them.

Usage: python3 tests/run.py [extra cargo test arguments]

It prefers a virtualenv (target/test-venv). Where `python3 -m venv` is unavailable (Debian's
python3 without python3-venv), it installs the packages with pip into target/test-pydeps and
runs them through small wrapper scripts instead.

The shell-integration tests run real shells and the team-source tests real git: as root on
Debian, zsh, fish and git are installed with apt-get when missing; elsewhere those tests
print SKIPPED.
"""
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "tests" / "requirements.txt"
VENV = ROOT / "target" / "test-venv"
PYDEPS = ROOT / "target" / "test-pydeps"
WINDOWS = os.name == "nt"


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if WINDOWS else "bin") / (name + (".exe" if WINDOWS else ""))


def pip_install(python: str, extra: list) -> None:
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    *extra, "-r", str(REQUIREMENTS)], check=True)


def up_to_date(stamp: Path) -> bool:
    return stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text()


def with_venv() -> tuple:
    """(moto_server, python) from target/test-venv, installing when needed."""
    stamp = VENV / "requirements.installed"
    if not (venv_bin("moto_server").exists() and up_to_date(stamp)):
        print("tests/run.py: installing the local STS (moto) into", VENV, flush=True)
        if not venv_bin("python").exists():
            venv.EnvBuilder(with_pip=True).create(VENV)
        pip_install(str(venv_bin("python")), [])
        stamp.write_text(REQUIREMENTS.read_text())
    return venv_bin("moto_server"), venv_bin("python")


def with_pip_target() -> tuple:
    """(moto_server, python) wrappers over packages pip-installed into target/test-pydeps."""
    stamp = PYDEPS / "requirements.installed"
    bin_dir = PYDEPS / "wrappers"
    if not up_to_date(stamp):
        print("tests/run.py: no venv here; installing the local STS (moto) into", PYDEPS,
              flush=True)
        pip_install(sys.executable, ["--target", str(PYDEPS / "lib"), "--upgrade"])
        stamp.write_text(REQUIREMENTS.read_text())
    bin_dir.mkdir(parents=True, exist_ok=True)
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{PYDEPS / "lib"}" exec "{sys.executable}" "$@"\n')
    server = bin_dir / "moto_server"
    server.write_text(f'#!/bin/sh\nexec "{python}" -m moto.server "$@"\n')
    for script in (python, server):
        script.chmod(0o755)
    return server, python


def install_tools() -> None:
    """zsh and fish for the shell-integration tests and git for the team-source tests,
    where apt-get can install them."""
    missing = [name for name in ("zsh", "fish", "git") if shutil.which(name) is None]
    if not missing:
        return
    if WINDOWS or not Path("/etc/debian_version").exists() or os.geteuid() != 0:
        print(f"tests/run.py: {' and '.join(missing)} not installed: their tests are skipped",
              flush=True)
        return
    print(f"tests/run.py: installing {' '.join(missing)} for the shell and git tests",
          flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", *missing]
    if subprocess.run(install, env=env).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env)
        if subprocess.run(install, env=env).returncode != 0:
            print(f"tests/run.py: could not install {' '.join(missing)}: their tests are skipped",
                  flush=True)


def main() -> int:
    install_tools()
    try:
        if os.environ.get("SWITCHROLE_TEST_NO_VENV"):
            raise OSError("venv disabled by SWITCHROLE_TEST_NO_VENV")
        moto_server, python = with_venv()
    except (OSError, subprocess.CalledProcessError) as err:
        print(f"tests/run.py: no usable venv ({err}); falling back to pip --target", flush=True)
        moto_server, python = with_pip_target()
    # One test at a time in each test binary: expectrl's PTY spawn waits on a pipe that a
    # concurrent fork in another test thread can inherit, which hangs it (seen under load).
    env = dict(os.environ, MOTO_SERVER=str(moto_server), MOTO_PYTHON=str(python))
    env.setdefault("RUST_TEST_THREADS", "1")
    command = ["cargo", "test", "--all-targets", *sys.argv[1:]]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
