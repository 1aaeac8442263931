"""Install Debian packages the test suite needs when their binaries are missing.

`debian_packages.py chromium=/usr/bin/chromium postgresql` installs each PACKAGE whose
FILE (when given) does not exist yet, with one `apt-get update` at most. Without root
or apt-get it says what is missing and exits 0: the suites that need it then fail or
skip loudly, which is the honest outcome on such a machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def install(packages: list[str]) -> bool:
    """apt-get install `packages`; False when this machine cannot (no root, no apt)."""
    if not packages:
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"debian_packages: cannot install {' '.join(packages)} (needs root and apt-get)", file=sys.stderr)
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    done = subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False, env=env)
    return done.returncode == 0


def main(arguments: list[str]) -> int:
    missing = []
    for argument in arguments:
        package, _, path = argument.partition("=")
        if not path or not Path(path).exists():
            missing.append(package)
    install(missing)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
