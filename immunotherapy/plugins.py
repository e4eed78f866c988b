"""Finds the therapy plugin apps to install: the setting (or environment) plus entry points.

Imported by the settings, so it must not import Django models or anything that needs settings.
"""

import importlib.util
from importlib.metadata import entry_points

from django.core.exceptions import ImproperlyConfigured

ENTRY_POINT_GROUP = "immunotherapy.plugins"

DEFAULT_PLUGINS = [
    "immunotherapy.therapies.checkpoint_inhibitors",
    "immunotherapy.therapies.car_t",
    "immunotherapy.therapies.cancer_vaccines",
    "immunotherapy.therapies.combination",
]


class PluginError(ImproperlyConfigured):
    """A therapy plugin is missing, broken or incompatible; the message names it."""


def entry_point_plugins() -> list[str]:
    """App paths declared by installed distributions in the `immunotherapy.plugins` group."""
    return [ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)]


def _importable(app_path: str) -> bool:
    # "package" or "package.apps.SomeConfig": for an AppConfig path, check its module.
    head, _, last = app_path.rpartition(".")
    module = head if head and last[:1].isupper() else app_path
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _names(app_path: str) -> set[str]:
    """The names a plugin may be disabled by: its app path, its package, its last component."""
    head, _, last = app_path.rpartition(".")
    package = head.removesuffix(".apps") if head and last[:1].isupper() else app_path
    return {app_path, package, package.rpartition(".")[2]}


def _candidates(configured: list[str], use_entry_points: bool) -> list[str]:
    """App paths from the setting then from entry points, each once."""
    found = entry_point_plugins() if use_entry_points else []
    paths: list[str] = []
    for app_path in [*configured, *found]:
        app_path = app_path.strip()
        if app_path and app_path not in paths:
            paths.append(app_path)
    return paths


def _disabled_names(disabled: list[str] | None) -> set[str]:
    return {name.strip() for name in disabled or [] if name.strip()}


def plugin_apps(
    configured: list[str], disabled: list[str] | None = None, *, use_entry_points: bool = True
) -> list[str]:
    """The enabled plugin apps, configured first then entry points, each once and importable.

    A plugin named in `disabled` (by app path, package or label-like last component, such as
    `car_t`) is left out, whether it comes from the setting or from an entry point.
    """
    off = _disabled_names(disabled)
    apps: list[str] = []
    for app_path in _candidates(configured, use_entry_points):
        if _names(app_path) & off:
            continue
        if not _importable(app_path):
            raise PluginError(f"therapy plugin {app_path!r}: cannot be imported (is it installed?)")
        apps.append(app_path)
    return apps


def disabled_plugin_apps(
    configured: list[str], disabled: list[str] | None = None, *, use_entry_points: bool = True
) -> list[str]:
    """The plugin apps `plugin_apps` leaves out because `disabled` names them (still installed)."""
    off = _disabled_names(disabled)
    return [
        app_path
        for app_path in _candidates(configured, use_entry_points)
        if _names(app_path) & off and _importable(app_path)
    ]
