"""MinHash signatures of sets of words, on numpy.

The scheme is datasketch's "affine32" (datasketch 2.x), value for value, so that sketches
stored in a state by earlier versions of gossipcrawl (which used datasketch) stay
comparable with new ones:

1. a word's base hash is the first 4 bytes of its UTF-8 SHA-1, read little-endian;
2. the base hash is mixed once with the MurmurHash3 32-bit finalizer (a bijection that
   spreads structured input);
3. permutation k maps a mixed hash h to `a[k] * h + b[k] mod 2**32`, with `a[k]` odd (so
   the map is a bijection) and `a[k]`, `b[k]` drawn from numpy's legacy `RandomState(seed)`;
4. value k of the signature is the minimum of permutation k over the words (2**32 - 1 for
   the empty set).

The fraction of equal values of two signatures estimates the Jaccard similarity of the two
sets. `tests/test_minhash.py` pins signatures computed by datasketch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

EMPTY = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=4)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The multipliers (odd) and offsets of `num_perm` affine permutations, as uint32 arrays."""
    generator = np.random.RandomState(seed)
    halves = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32)
    offsets = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    multipliers = halves * np.uint32(2) + np.uint32(1)
    multipliers.flags.writeable = offsets.flags.writeable = False
    return multipliers, offsets


def base_hashes(words: Iterable[str]) -> np.ndarray:
    """SHA-1 of each word, first 4 bytes little-endian, mixed by the MurmurHash3 finalizer."""
    digests = b"".join(hashlib.sha1(word.encode("utf-8")).digest()[:4] for word in words)
    hashes = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    # uint32 array arithmetic wraps around: that is the intended mod 2**32.
    hashes ^= hashes >> np.uint32(16)
    hashes *= np.uint32(0x85EBCA6B)
    hashes ^= hashes >> np.uint32(13)
    hashes *= np.uint32(0xC2B2AE35)
    hashes ^= hashes >> np.uint32(16)
    return hashes


def signature(words: Iterable[str], num_perm: int, seed: int) -> np.ndarray:
    """The MinHash signature of a set of words: `num_perm` uint32 values."""
    multipliers, offsets = permutations(num_perm, seed)
    hashes = base_hashes(words)
    if not len(hashes):
        return np.full(num_perm, EMPTY, dtype=np.uint32)
    # One row per word, one column per permutation; the minimum of each column.
    return (hashes[:, None] * multipliers + offsets).min(axis=0)


def estimated_jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Jaccard similarity of two sets estimated from their signatures."""
    if len(first) != len(second) or not len(first):
        raise ValueError("signatures of different lengths (or empty)")
    return float(np.count_nonzero(first == second)) / len(first)
