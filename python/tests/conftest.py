"""The tests run against the built CLI of this clone (or $MATCALC_CLI), and numpy."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import matcalc

REPO = Path(__file__).resolve().parents[2]
CLI_JS = REPO / "dist" / "src" / "cli" / "matcalc.js"

if not os.environ.get("MATCALC_CLI"):
    if not CLI_JS.is_file():
        raise RuntimeError(f"build the CLI first (npm run build in {REPO}), or set MATCALC_CLI")
    os.environ["MATCALC_CLI"] = str(CLI_JS)


@pytest.fixture(scope="session")
def cli():
    """The command line that runs the CLI once, as the package found it."""
    return matcalc.locate_cli()


@pytest.fixture(scope="session")
def cli_json(cli):
    """``matcalc <command> … --format json`` as a one-off run: what the package must agree with."""

    def run(command, expr, *options):
        out = subprocess.run(cli + [command, *options, "--format", "json", "--", expr], capture_output=True, encoding="utf-8")
        return json.loads(out.stdout)

    return run


@pytest.fixture
def session():
    with matcalc.Session() as s:
        yield s
