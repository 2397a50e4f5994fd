"""The comparison CI uses to check regenerated metafor values against the stored ones."""

from tests.reference.compare import differences


def test_identical_and_noise_level_values_agree() -> None:
    stored = {"name": "x", "values": [1.0, 0.1 + 0.2, 1e-300], "n": 3}
    fresh = {"name": "x", "values": [1.0, 0.3, 0.0], "n": 3}
    assert differences(stored, fresh) == []


def test_a_changed_number_is_reported_with_its_place() -> None:
    stored = {"cases": [{"name": "fig4a", "fits": {"DL": {"tau2": 0.0392115}}}]}
    fresh = {"cases": [{"name": "fig4a", "fits": {"DL": {"tau2": 0.0392116}}}]}
    assert differences(stored, fresh) == [
        "/cases[fig4a]/fits/DL/tau2: stored 0.0392115, regenerated 0.0392116"
    ]


def test_structure_and_text_must_match() -> None:
    found = differences({"a": 1, "v": "3.8.1"}, {"b": 1, "v": "4.0.0"})
    assert sorted(found) == [
        "/a: only in one file",
        "/b: only in one file",
        "/v: stored '3.8.1', regenerated '4.0.0'",
    ]
    assert differences([1, 2], [1, 2, 3]) == [": 2 items stored, 3 regenerated"]


def test_nan_agrees_only_with_nan() -> None:
    """R reports NaN where metafor takes the root of a negative variance: stored the same."""
    assert differences({"se": float("nan")}, {"se": float("nan")}) == []
    assert differences({"se": float("nan")}, {"se": 0.5}) == ["/se: stored nan, regenerated 0.5"]
