"""Python's cyclic garbage collector paused for the length of one batch.

An import keeps tens of thousands of small objects alive for a few seconds (the rows of
the file, the values of the records it writes). Each of them counts towards the next
collection, and every few tens of thousands the collector scans the whole Odoo process
(a few hundred thousand objects: the registry, the caches) to find nothing to free:
for a 5,000-row list, two or three such scans, a tenth of a second each, about a tenth
of the import's time (benchmarks/README.md). Odoo's later versions pause it likewise
for their own bulk work (``odoo.tools.gc.disable_gc``, and collection thresholds raised
at start). Memory is not held longer: objects go when their last reference does, as
always; only cycles wait for the collector, which runs again once the batch is over.
"""

import contextlib
import gc


@contextlib.contextmanager
def paused_gc():
    """Pause the collector inside the block, unless someone else already did."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
