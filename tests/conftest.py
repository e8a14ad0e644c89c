"""Shared fixtures: small named example parks, fresh for every test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from model.examples import write_example
from model.park import Park, load_park

# pyam's unit registry (iam-units) caches parsed definition files under ~/.cache, keyed by
# their paths; a cache left by another environment breaks it, so each test run has its own.
os.environ["IAM_UNITS_CACHE"] = tempfile.mkdtemp(prefix="parkcap-iam-units-")
# writers' lock files go to a folder of this test run, not to the user's cache
os.environ.setdefault("PARKCAP_LOCK_DIR", tempfile.mkdtemp(prefix="parkcap-locks-"))


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A folder holding the three-stage 'mini' example park."""
    return write_example("mini", tmp_path / "mini")


@pytest.fixture
def shipped_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped data/ folder."""
    return write_example("shipped", tmp_path / "data")


@pytest.fixture(scope="session")
def park() -> Park:
    """The shipped park (read-only: Park is frozen)."""
    return load_park()


@pytest.fixture
def mini_park(mini_dir: Path) -> Park:
    """The 'mini' example park, loaded."""
    return load_park(mini_dir)
