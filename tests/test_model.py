"""The committed weights (bot/core/data/model.json) are what benchmarks/fit.py says they are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.matcher import CONFIDENCE_INPUTS, FEATURES, Model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import wiki  # noqa: E402


def test_every_feature_has_a_weight_and_the_bands_are_ordered():
    model = Model.load()
    assert set(model.rank) == set(FEATURES)
    assert set(model.confidence) == {"bias", *CONFIDENCE_INPUTS}
    assert 0.0 < model.threshold <= model.confident < 1.0


@pytest.mark.skipif(
    not (wiki.BENCH / "DRCD_dev.json").exists(), reason=f"the Wikipedia sets are not at {wiki.BENCH}"
)
def test_committed_weights_reproduce_the_committed_validation_figures():
    """Re-measure the validation split (never fitted on) with the committed weights: the figures
    must be the ones the fit recorded, so weights and report cannot drift apart."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fit.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    measured = json.loads(run.stdout.strip().splitlines()[-1])
    recorded = Model.load().meta["validation"]
    for key in ("speech", "reject", "wiki"):
        assert abs(measured[key] - recorded[key]) < 0.005, (key, measured, recorded)


def test_each_feature_holds_the_measure_its_weight_is_named_for(engine):
    """The weights are keyed by name: a feature computed into another's slot would make the fit's
    ablation report blame the wrong measure (and a refit silently re-learn the swap)."""
    matcher = engine._matcher
    query = matcher.analyse("发现隐患要多快整改")
    hits = matcher.rank(query, limit=3)
    assert hits
    for hit in hits:
        named = dict(zip(FEATURES, hit.features, strict=True))
        assert named["coverage"] == pytest.approx(matcher.coverage(query, hit.passage))
        assert named["missing"] == named["missing_vague"] == 0.0  # it asks for no detail
        assert 0.0 <= named["chars"] <= 1.0 and named["sentence"] <= 1.0
    found = dict(zip(FEATURES, hits[0].features, strict=True))
    assert found["coverage"] > 0.5 and found["absent"] == 0.0  # every word is in the speech
