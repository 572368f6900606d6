"""Unit tests for the calibrated answer gate (bot.domain.gate) and its use by the engine."""

from __future__ import annotations

import pytest

from bot.domain.gate import FEATURES, Gate, choose_threshold, fit
from bot.domain.knowledge import DecisionKind, KnowledgeIndex, Lexicon, Topic


def _row(confidence: float, lead: float) -> dict[str, float]:
    return {name: 0.0 for name in FEATURES} | {"confidence": confidence, "lead": lead}


def test_fit_learns_that_confidence_and_lead_mean_right() -> None:
    rows = [_row(c / 10, c / 20) for c in range(11)] * 3
    labels = [c >= 5 for c in range(11)] * 3
    gate = fit(rows, labels, l2=0.1)
    assert gate.probability(_row(0.9, 0.45)) > 0.9
    assert gate.probability(_row(0.1, 0.05)) < 0.1
    assert gate.weights[FEATURES.index("confidence")] > 0


def test_fit_is_deterministic_and_survives_a_constant_feature() -> None:
    rows = [_row(c / 10, 0.3) for c in range(10)]
    labels = [c > 4 for c in range(10)]
    assert fit(rows, labels) == fit(rows, labels)
    with pytest.raises(ValueError):
        fit([], [])


def test_threshold_rejects_the_target_share_of_out_of_scope() -> None:
    out_of_scope = [i / 100 for i in range(100)]  # 0.00 .. 0.99
    in_scope = [(0.97, True), (0.5, True), (0.99, False)]
    threshold = choose_threshold(in_scope, out_of_scope, target_rejection=0.95)
    assert sum(p < threshold for p in out_of_scope) >= 95
    # Above the bound, the threshold keeps the most right minus wrong answers.
    assert threshold <= 0.97


def test_gate_round_trips_through_a_mapping_and_rejects_garbage() -> None:
    gate = fit([_row(c / 10, 0.1) for c in range(10)], [c > 4 for c in range(10)])
    again = Gate.from_dict(gate.as_dict())
    assert again.probability(_row(0.7, 0.1)) == pytest.approx(gate.probability(_row(0.7, 0.1)))
    with pytest.raises(ValueError):
        Gate.from_dict({"bias": 1.0, "features": {"confidence": {"weight": 1}}})
    with pytest.raises(ValueError):
        Gate.from_dict({"bias": "x", "features": gate.as_dict()["features"]})  # type: ignore[dict-item]


TOPICS = (
    Topic(id="maklumat", title="Maklumat pelayanan", short="Maklumat adalah janji layanan."),
    Topic(id="maklumat-isi", title="Isi maklumat pelayanan", short="Maklumat memuat janji."),
    Topic(id="kompensasi", title="Kompensasi pelayanan", short="Kompensasi bila tidak sesuai."),
)


def _always(probability_bias: float, threshold: float = 0.5) -> Gate:
    n = len(FEATURES)
    return Gate((0.0,) * n, probability_bias, (0.0,) * n, (1.0,) * n, threshold, 0.1, 0.2)


def test_engine_answers_when_the_gate_passes_and_declines_below_the_band() -> None:
    lexicon = Lexicon()
    yes = KnowledgeIndex.build(TOPICS, lexicon, gate=_always(3.0))
    decision = yes.decide("kompensasi pelayanan")
    assert decision.kind is DecisionKind.ANSWER and decision.topic is not None
    assert decision.topic.id == "kompensasi"
    no = KnowledgeIndex.build(TOPICS, lexicon, gate=_always(-3.0))  # p = 0.047
    decision = no.decide("kompensasi pelayanan")
    assert decision.kind is DecisionKind.DECLINE and decision.offered is None
    offer = KnowledgeIndex.build(TOPICS, lexicon, gate=_always(-1.0))  # p = 0.27, offered
    decision = offer.decide("kompensasi pelayanan")
    assert decision.kind is DecisionKind.DECLINE
    assert decision.offered is not None and decision.offered.id == "kompensasi"


def test_narrow_band_clarifies_but_never_between_equivalent_topics() -> None:
    band = _always(-0.1)  # p = 0.475: just under the threshold, inside the band
    plain = KnowledgeIndex.build(TOPICS, Lexicon(), gate=band)
    decision = plain.decide("maklumat")
    assert decision.kind is DecisionKind.CLARIFY
    assert {t.id for t in decision.candidates} == {"maklumat", "maklumat-isi"}
    equivalent = Lexicon(equivalent=(("maklumat", "maklumat-isi"),))
    merged = KnowledgeIndex.build(TOPICS, equivalent, gate=band)
    decision = merged.decide("maklumat")
    assert decision.kind is DecisionKind.ANSWER and decision.topic is not None
    assert decision.topic.id == "maklumat"  # the primary of the group


def test_narrow_band_with_one_topic_in_reach_offers_it_instead_of_answering() -> None:
    band = _always(-0.1)  # p = 0.475: just under the threshold, inside the band
    index = KnowledgeIndex.build(TOPICS, Lexicon(), gate=band)
    decision = index.decide("kompensasi")  # no other topic within the clarify window
    assert decision.kind is DecisionKind.DECLINE and decision.topic is None
    assert decision.offered is not None and decision.offered.id == "kompensasi"
