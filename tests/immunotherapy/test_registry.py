"""The therapy type registry: metadata checks that stop a broken plugin with one clear message."""

import pytest

from home.models import HomePage
from immunotherapy.plugins import PluginError
from immunotherapy.registry import TherapyType, TherapyTypeRegistry, registry
from immunotherapy.therapies.cancer_vaccines.models import CancerVaccinePage
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage

BUILT_IN_SLUGS = [
    "checkpoint-inhibitors",
    "adoptive-cell-therapy",
    "cancer-vaccines",
    "combination-therapies",
]


def therapy_type(**fields) -> TherapyType:
    defaults = {
        "slug": "checkpoint-inhibitors",
        "label": "Checkpoint inhibitors",
        "page_model": CheckpointInhibitorPage,
        "plugin": "example.plugin",
    }
    return TherapyType(**{**defaults, **fields})


def test_built_in_types_and_the_test_plugin_are_registered() -> None:
    slugs = [t.slug for t in registry]
    assert slugs[:4] == BUILT_IN_SLUGS
    assert "oncolytic-virus" in slugs
    assert registry.get("cancer-vaccines").page_model is CancerVaccinePage


def test_register_resolves_a_model_label() -> None:
    fresh = TherapyTypeRegistry()
    registered = fresh.register(
        therapy_type(page_model="checkpoint_inhibitors.CheckpointInhibitorPage")
    )
    assert registered.page_model is CheckpointInhibitorPage
    assert fresh.page_models() == [CheckpointInhibitorPage]


def test_duplicate_slug_names_both_plugins() -> None:
    fresh = TherapyTypeRegistry()
    fresh.register(therapy_type(plugin="first.plugin"))
    with pytest.raises(
        PluginError, match="'second.plugin': slug 'checkpoint-inhibitors' is already"
    ):
        fresh.register(therapy_type(plugin="second.plugin", page_model=CancerVaccinePage))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"page_model": None}, "'example.plugin': page model is missing"),
        ({"page_model": "nowhere.Missing"}, "'example.plugin': page model is missing"),
        ({"page_model": HomePage}, "is not a TherapyPage subclass"),
        ({"supported_core": ">=2.0"}, "supports core >=2.0, but this is core 0.1.0"),
        ({"supported_core": "not a specifier"}, "bad version metadata"),
        ({"slug": ""}, "slug is empty"),
    ],
)
def test_broken_metadata_is_refused(fields, message) -> None:
    fresh = TherapyTypeRegistry()
    with pytest.raises(PluginError, match=message):
        fresh.register(therapy_type(**fields))
    assert len(fresh) == 0


def test_a_newer_core_outside_the_range_is_refused() -> None:
    fresh = TherapyTypeRegistry(core_version="1.2.0")
    with pytest.raises(PluginError, match="this is core 1.2.0"):
        fresh.register(therapy_type())
