"""tools/gc_pause.py: the collector is paused inside the block and always comes back."""

import gc

import pytest

from activcrea_odoo.tools.gc_pause import paused_gc


@pytest.fixture(autouse=True)
def _collector_restored():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_enabled_after():
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_enabled_again_after_an_error():
    with pytest.raises(ZeroDivisionError), paused_gc():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_left_paused_when_paused_by_someone_else():
    gc.disable()
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()
