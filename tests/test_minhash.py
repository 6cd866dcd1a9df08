"""gossipcrawl.minhash: the values of datasketch's "affine32" MinHash, so that sketches
stored by earlier versions (which used datasketch 2.x) stay comparable with new ones.

The pinned values below were computed by datasketch 2.0.0 (`MinHash(num_perm=128, seed=1,
scheme="affine32")`, `update_batch` of the UTF-8 words) and by the storyId pipeline of that
era; where datasketch is installed (the bench extra), the equality is also checked live on
random word sets.
"""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest

from gossipcrawl.minhash import estimated_jaccard, permutations, signature
from gossipcrawl.pipelines.story import (
    NUM_PERM,
    SEED,
    content_words,
    similarity,
    sketch,
)

SOAP_HEADLINE = "Sonny Corinthos faces a new threat in Port Charles"
SOAP_BODY = ("General Hospital spoilers: Sonny Corinthos learns that Jason Morgan is back in "
             "Port Charles, and Carly Spencer keeps a secret from everyone at the Metro Court.")
WORD_SETS = {
    "one": {"genoa"},
    "soap": content_words(SOAP_HEADLINE, SOAP_BODY),
    "unicode": {"café", "naïve", "straße", "ñandú", "東京", "x1", "2024"},
}
# name: (first four values, SHA-256 of all 128 values as little-endian uint32)
DATASKETCH_SIGNATURES = {
    "one": ([3175736797, 1353732118, 233925828, 2066275333],
            "74dd59daf0998eee809acef4ca73fd3bed5e20e5b864598e6af1438aa0a4980b"),
    "soap": ([58896257, 147965733, 545302668, 155782029],
             "b9324701f7fb03f383d16097611f28c7c9c48235f3c5526e3eb78a8a2d54a92a"),
    "unicode": ([288086095, 385455102, 321861374, 573764676],
                "f44aa3dfcea3cbce85a17902e520ec9a3aac3008e8083f5c32fef1a30c19b9cd"),
}
# name: (first three band keys, SHA-256 of repr(all 32 band keys), SHA-256 of the b-bit
# signature), as the storyId pipeline computed them with datasketch.
DATASKETCH_SKETCHES = {
    "one": ([3138828801, 7501579648, 10958401448],
            "9d10bfc82a6b2522e96938229959484c4ba526019b9bce3aaebc2a2633f39e94",
            "f7f4d84a7903f55a566d252ff10235226f02a7d2ca7b296d647a5ac8ba92cc0f"),
    "soap": ([2963868549, 6281684469, 11158265807],
             "c8280ec3134a590e7284077eb5437d580aeb30efbcb1b4d336e076c36ab7df72",
             "541bbba229ad445a26758f6a32d718e16b537e2b002de4cfc626ac588c12b0fe"),
    "unicode": ([3368366790, 7357587565, 9395540412],
                "aacebb8f6a32e6af74aed4330657754e34deed4f8973f93b166e3f7ffc6ee290",
                "a8f8780994a8e6d991c97b987d2de4eeaafcc21277cc26899cbe7acd53445827"),
}


def _sha256(values: np.ndarray) -> str:
    return hashlib.sha256(values.astype("<u4").tobytes()).hexdigest()


def _random_words(rng: random.Random, count: int) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyzéñß東"
    return {"".join(rng.choice(letters) for _ in range(rng.randint(1, 10)))
            for _ in range(count)}


def test_permutations_are_datasketchs_for_seed_1():
    multipliers, offsets = permutations(NUM_PERM, SEED)
    assert multipliers.dtype == offsets.dtype == np.uint32
    assert [int(v) for v in multipliers[:3]] == [3582191691, 4270784983, 1892572953]
    assert [int(v) for v in offsets[:3]] == [214548472, 3287733501, 2301657549]
    assert np.all(multipliers % 2 == 1)  # odd: each permutation is a bijection
    assert hashlib.sha256(multipliers.astype("<u4").tobytes() + offsets.astype("<u4").tobytes()
                          ).hexdigest() == (
        "b14750dd0abf30bb02469d6062895f1dee4f3bf2ef2d0a91310e8dafee9dc551")


@pytest.mark.parametrize("name", sorted(DATASKETCH_SIGNATURES))
def test_signatures_equal_the_pinned_datasketch_values(name):
    values = signature(WORD_SETS[name], NUM_PERM, SEED)
    first, digest = DATASKETCH_SIGNATURES[name]
    assert values.dtype == np.uint32 and len(values) == NUM_PERM
    assert [int(v) for v in values[:4]] == first
    assert _sha256(values) == digest


@pytest.mark.parametrize("name", sorted(DATASKETCH_SKETCHES))
def test_band_keys_and_b_bit_signatures_are_unchanged(name):
    bands, bbit = sketch(WORD_SETS[name])
    first, bands_digest, bbit_digest = DATASKETCH_SKETCHES[name]
    assert len(bands) == 32 and bands[:3] == first
    assert hashlib.sha256(repr(bands).encode()).hexdigest() == bands_digest
    assert len(bbit) == NUM_PERM
    assert hashlib.sha256(bbit).hexdigest() == bbit_digest


def test_empty_set_has_the_empty_signature():
    assert _sha256(signature(set(), NUM_PERM, SEED)) == (
        "9f56cda75fefeab90f6fa5d5ddc9601544b121732c5ecccab32e631060453a5d")
    assert np.all(signature([], NUM_PERM, SEED) == 0xFFFFFFFF)


def test_order_and_repetition_of_words_do_not_matter():
    words = sorted(WORD_SETS["soap"])
    forward = signature(words, NUM_PERM, SEED)
    assert np.array_equal(forward, signature(reversed(words), NUM_PERM, SEED))
    assert np.array_equal(forward, signature(words + words[:5], NUM_PERM, SEED))


def test_equal_to_datasketch_on_random_word_sets():
    datasketch = pytest.importorskip("datasketch")
    template = datasketch.MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
    multipliers, offsets = permutations(NUM_PERM, SEED)
    assert np.array_equal(template.permutations[0], multipliers)
    assert np.array_equal(template.permutations[1], offsets)
    rng = random.Random(17)
    for count in (0, 1, 2, 3, 10, 100, 1000, 5000):
        words = _random_words(rng, count)
        expected = datasketch.MinHash(num_perm=NUM_PERM, permutations=template.permutations,
                                      scheme="affine32")
        expected.update_batch([word.encode("utf-8") for word in words])
        assert np.array_equal(signature(words, NUM_PERM, SEED), expected.hashvalues), count


@pytest.mark.parametrize("jaccard", [0.0, 0.1, 0.3, 0.5, 0.8, 1.0])
def test_estimated_jaccard_is_close_to_the_true_jaccard(jaccard):
    # Pairs of 400-word sets sharing `shared` words: Jaccard = shared / (800 - shared).
    shared = round(800 * jaccard / (1 + jaccard))
    true = shared / (800 - shared)
    rng = random.Random(3)
    estimates, bbit_estimates = [], []
    for trial in range(10):
        words = [f"w{trial}-{n}-{rng.random()}" for n in range(800 - shared)]
        first = set(words[:400])
        second = set(words[:shared]) | set(words[400:])
        assert len(second) == 400
        sig_first = signature(first, NUM_PERM, SEED)
        sig_second = signature(second, NUM_PERM, SEED)
        estimates.append(estimated_jaccard(sig_first, sig_second))
        bbit_estimates.append(similarity(sketch(first)[1], sketch(second)[1]))
    # One estimate's standard deviation is sqrt(J(1-J)/128) <= 0.045; the mean of ten,
    # <= 0.014. The b-bit estimate adds a little noise from chance byte collisions.
    assert all(abs(estimate - true) < 0.2 for estimate in estimates)
    assert abs(sum(estimates) / len(estimates) - true) < 0.05
    assert abs(sum(bbit_estimates) / len(bbit_estimates) - true) < 0.06


def test_estimated_jaccard_refuses_signatures_of_different_lengths():
    with pytest.raises(ValueError):
        estimated_jaccard(np.zeros(3, np.uint32), np.zeros(4, np.uint32))
