"""Enabling plugins by setting, environment and entry point; broken plugins stop start-up."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from immunotherapy.plugins import DEFAULT_PLUGINS, PluginError, plugin_apps
from tests.helpers import PROJECT_DIR, child_env, run_manage, run_python

BUILT_INS = ",".join(DEFAULT_PLUGINS)


# These name exactly the plugins they expect: entry points of whatever else is installed in the
# environment stay out (use_entry_points=False, IMMUNOTHERAPY_ENTRY_POINTS=false).


def test_default_lists_the_four_built_ins_and_keeps_order() -> None:
    assert plugin_apps(DEFAULT_PLUGINS, use_entry_points=False) == DEFAULT_PLUGINS
    repeated = [*DEFAULT_PLUGINS, DEFAULT_PLUGINS[0]]
    assert plugin_apps(repeated, use_entry_points=False) == DEFAULT_PLUGINS


def test_disabled_plugins_are_left_out_by_path_or_label() -> None:
    by_label = plugin_apps(DEFAULT_PLUGINS, ["car_t"], use_entry_points=False)
    assert "immunotherapy.therapies.car_t" not in by_label and len(by_label) == 3
    by_path = plugin_apps(DEFAULT_PLUGINS, [DEFAULT_PLUGINS[0]], use_entry_points=False)
    assert by_path == DEFAULT_PLUGINS[1:]


def test_an_app_config_path_is_accepted() -> None:
    path = "immunotherapy.therapies.car_t.apps.CarTConfig"
    assert plugin_apps([path], use_entry_points=False) == [path]


def test_an_unimportable_plugin_is_named() -> None:
    with pytest.raises(PluginError, match="'no_such.plugin': cannot be imported"):
        plugin_apps(["no_such.plugin"])


def test_environment_variable_replaces_the_list() -> None:
    result = run_python(
        "print(settings.IMMUNOTHERAPY_PLUGIN_APPS)\n"
        "from immunotherapy.registry import registry\n"
        "print([t.slug for t in registry])",
        "site_config.settings.dev",
        env={
            "IMMUNOTHERAPY_PLUGINS": "immunotherapy.therapies.cancer_vaccines",
            "IMMUNOTHERAPY_ENTRY_POINTS": "false",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "['immunotherapy.therapies.cancer_vaccines']" in result.stdout
    assert "['cancer-vaccines']" in result.stdout


def write_plugin(root: Path, name: str, apps: str) -> None:
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "apps.py").write_text(textwrap.dedent(apps).format(name=name))


def plugin_config(**declaration: str) -> str:
    """An apps.py declaring a therapy plugin (the name is filled in by write_plugin)."""
    lines = "".join(f"    {key} = {value!r}\n" for key, value in declaration.items())
    return (
        "from immunotherapy.registry import TherapyPluginConfig\n"
        "class Config(TherapyPluginConfig):\n"
        "    name = '{name}'\n" + lines
    )


BROKEN_PLUGINS = {
    "missing_model": (
        plugin_config(therapy_slug="x", page_model="Gone"),
        "therapy plugin 'missing_model': page model is missing",
    ),
    "duplicate_slug": (
        plugin_config(therapy_slug="cancer-vaccines", page_model="car_t.CellTherapyPage"),
        "therapy plugin 'duplicate_slug': slug 'cancer-vaccines' is already registered",
    ),
    "too_new": (
        plugin_config(
            therapy_slug="too-new", page_model="car_t.CellTherapyPage", supported_core=">=3.0"
        ),
        "therapy plugin 'too_new' 0.1.0 supports core >=3.0, but this is core 0.1.0",
    ),
    "not_a_therapy": (
        plugin_config(therapy_slug="home", page_model="home.HomePage"),
        "is not a TherapyPage subclass",
    ),
    "no_slug": (
        plugin_config(page_model="car_t.CellTherapyPage"),
        "therapy plugin 'no_slug': slug is empty",
    ),
    "registers_nothing": (
        "from django.apps import AppConfig\nclass Config(AppConfig):\n    name = '{name}'\n",
        "therapy plugin 'registers_nothing': declares no therapy type",
    ),
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
