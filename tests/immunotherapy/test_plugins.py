"""Enabling plugins by setting, environment and entry point; broken plugins stop start-up."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from immunotherapy.plugins import DEFAULT_PLUGINS, PluginError, plugin_apps
from tests.helpers import PROJECT_DIR, child_env, run_manage, run_python

BUILT_INS = ",".join(DEFAULT_PLUGINS)


def test_default_lists_the_four_built_ins_and_keeps_order() -> None:
    assert plugin_apps(DEFAULT_PLUGINS) == DEFAULT_PLUGINS
    assert plugin_apps([*DEFAULT_PLUGINS, DEFAULT_PLUGINS[0]]) == DEFAULT_PLUGINS


def test_an_app_config_path_is_accepted() -> None:
    path = "immunotherapy.therapies.car_t.apps.CarTConfig"
    assert plugin_apps([path]) == [path]


def test_an_unimportable_plugin_is_named() -> None:
    with pytest.raises(PluginError, match="'no_such.plugin': cannot be imported"):
        plugin_apps(["no_such.plugin"])


def test_environment_variable_replaces_the_list() -> None:
    result = run_python(
        "print(settings.IMMUNOTHERAPY_PLUGIN_APPS)\n"
        "from immunotherapy.registry import registry\n"
        "print([t.slug for t in registry])",
        "site_config.settings.dev",
        env={"IMMUNOTHERAPY_PLUGINS": "immunotherapy.therapies.cancer_vaccines"},
    )
    assert result.returncode == 0, result.stderr
    assert "['immunotherapy.therapies.cancer_vaccines']" in result.stdout
    assert "['cancer-vaccines']" in result.stdout


def write_plugin(root: Path, name: str, therapy_types: str) -> None:
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "therapy_types.py").write_text(textwrap.dedent(therapy_types))


BROKEN_PLUGINS = {
    "missing_model": (
        """
        from immunotherapy.registry import TherapyType, register_therapy_type
        register_therapy_type(TherapyType(slug="x", label="X", page_model="missing_model.Gone",
                                          plugin="missing_model"))
        """,
        "therapy plugin 'missing_model': page model is missing",
    ),
    "duplicate_slug": (
        """
        from immunotherapy.registry import TherapyType, register_therapy_type
        from immunotherapy.therapies.car_t.models import CellTherapyPage
        register_therapy_type(TherapyType(slug="cancer-vaccines", label="Again",
                                          page_model=CellTherapyPage, plugin="duplicate_slug"))
        """,
        "therapy plugin 'duplicate_slug': slug 'cancer-vaccines' is already registered",
    ),
    "too_new": (
        """
        from immunotherapy.registry import TherapyType, register_therapy_type
        from immunotherapy.therapies.car_t.models import CellTherapyPage
        register_therapy_type(TherapyType(slug="too-new", label="New", page_model=CellTherapyPage,
                                          supported_core=">=3.0", plugin="too_new"))
        """,
        "therapy plugin 'too_new' 0.1.0 supports core >=3.0, but this is core 0.1.0",
    ),
    "not_a_therapy": (
        """
        from immunotherapy.registry import TherapyType, register_therapy_type
        from home.models import HomePage
        register_therapy_type(TherapyType(slug="home", label="Home", page_model=HomePage,
                                          plugin="not_a_therapy"))
        """,
        "is not a TherapyPage subclass",
    ),
    "crashes": ("import does_not_exist\n", "therapy plugin 'crashes': therapy_types.py failed"),
    "registers_nothing": ("\n", "therapy plugin 'registers_nothing': registers no therapy type"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_PLUGINS))
def test_broken_plugin_stops_manage_py_with_one_line(tmp_path, name: str) -> None:
    code, message = BROKEN_PLUGINS[name]
    write_plugin(tmp_path, name, code)
    result = run_manage(
        "check",
        env={
            "PYTHONPATH": f"{tmp_path}:{PROJECT_DIR}",
            "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",
            "IMMUNOTHERAPY_PLUGINS": f"{BUILT_INS},{name}",
        },
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_unimportable_plugin_stops_manage_py_with_one_line() -> None:
    result = run_manage(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",
            "IMMUNOTHERAPY_PLUGINS": f"{BUILT_INS},no_such_plugin",
        },
    )
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "error: therapy plugin 'no_such_plugin': cannot be imported (is it installed?)"
    )


@pytest.mark.parametrize("module", ["site_config.wsgi", "site_config.asgi"])
def test_broken_plugin_stops_the_web_app_with_one_line(tmp_path, module: str) -> None:
    code, message = BROKEN_PLUGINS["too_new"]
    write_plugin(tmp_path, "too_new", code)
    env = child_env(
        {
            "PYTHONPATH": f"{tmp_path}:{PROJECT_DIR}",
            "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",
            "IMMUNOTHERAPY_PLUGINS": f"{BUILT_INS},too_new",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import {module}"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [f"error: {message}"]
