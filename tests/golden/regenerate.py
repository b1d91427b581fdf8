"""Regenerate every golden package (``generated/`` and ``tests/golden/packages/*``) with the CLI.

Run after a deliberate change to the generator or templates, then review the diff:

    python tests/golden/regenerate.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import CASES  # noqa: E402


def main() -> int:
    """Run ``vapi-codegen generate --force`` for each case; the exit status is the first failure's."""
    for case in CASES:
        command = [sys.executable, "-m", "vapi_codegen", "generate", str(case.spec), "--out", str(case.out)]
        command += ["--package", case.package, "--force", "--quiet"]
        result = subprocess.run(command, check=False)
        if result.returncode:
            return result.returncode
        print(f"{case.out}: regenerated from {case.spec.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
