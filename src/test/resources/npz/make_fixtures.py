#!/usr/bin/python3
"""Writes the .npz files NpzNumpyFixturesTest reads, so the tests never need NumPy.

Run from this folder with a Python that has NumPy (on Debian: /usr/bin/python3 with python3-numpy):
    /usr/bin/python3 make_fixtures.py
Every value is an exact binary fraction, so the test can compare float32 values exactly.
"""
import numpy as np

# Stored members, as lenet writes them: a 4-D conv weight, a bias, a scalar, a big-endian array.
np.savez(
    "numpy_savez.npz",
    **{
        "conv1.weight": np.arange(150, dtype=np.float32).reshape(6, 1, 5, 5) / 4,
        "conv1.bias": np.arange(6, dtype=np.float32) - 2.5,
        "step": np.float32(1234.0),
        "big_endian": (np.arange(4, dtype=np.float32) * 2).astype(">f4"),
    },
)

# Deflated members, in the layouts a reader must convert: float64, Fortran order, uint8.
np.savez_compressed(
    "numpy_savez_compressed.npz",
    float64=np.arange(12, dtype=np.float64).reshape(3, 4) / 8,
    fortran=np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4)),
    pixels=np.array([[0, 127], [128, 255]], dtype=np.uint8),
)
