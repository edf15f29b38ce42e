"""Read raw exports into the validated canonical tables of :mod:`src.schemas`."""
