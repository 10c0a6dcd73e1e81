"""Load ``activcrea_odoo.rules`` without Odoo.

Importing the addon package would run its ``__init__`` (which imports Odoo):
register it as a bare namespace whose ``__path__`` is the addon folder so
that only the plain-Python ``rules`` sub-package is loaded.
"""

import sys
import types
from pathlib import Path

import pytest

ADDON = Path(__file__).resolve().parent.parent / "activcrea_odoo"

if "activcrea_odoo" not in sys.modules:
    package = types.ModuleType("activcrea_odoo")
    package.__path__ = [str(ADDON)]
    sys.modules["activcrea_odoo"] = package


# pytest-odoo, when installed, opens an Odoo registry for every test through
# these session fixtures: the plain tests need none (see ../conftest.py).
@pytest.fixture(scope="session")
def load_registry():
    yield


@pytest.fixture(scope="session")
def load_http():
    yield


@pytest.fixture(scope="module")
def enable_odoo_test_flag():
    yield
