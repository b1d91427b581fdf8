"""The golden cases: each spec with the package it generates and where that output is committed.

``generated/`` is the project's own output (the phone spec, settings from pyproject.toml); the
others are small purpose-made specs whose packages live in ``tests/golden/packages/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "tests" / "golden" / "packages"


@dataclass(frozen=True)
class GoldenCase:
    spec: Path
    package: str
    out: Path


def _small(spec: Path) -> GoldenCase:
    package = spec.stem.replace("-", "_")
    return GoldenCase(spec, package, PACKAGES / package)


CASES = [
    GoldenCase(ROOT / "spec" / "vapi-phone-numbers-api-openapi.yml", "vapi_phone_numbers", ROOT / "generated"),
    *(
        _small(spec)
        for spec in [
            ROOT / "tests" / "golden" / "specs" / "pets.yaml",
            ROOT / "tests" / "golden" / "specs" / "vault.yaml",
            ROOT / "tests" / "corpus" / "allof_overrides.yaml",
            ROOT / "tests" / "corpus" / "oas31_webhooks.yaml",
            ROOT / "tests" / "corpus" / "odd_property_names.yaml",
            ROOT / "tests" / "corpus" / "recursion.yaml",
        ]
    ),
]
