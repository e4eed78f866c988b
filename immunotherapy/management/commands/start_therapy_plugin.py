import importlib.util
import keyword
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from string import Template
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from immunotherapy.registry import registry

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "plugin_template"
NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class Command(BaseCommand):
    help = (
        "Write a new therapy type plugin: an installable package with its page model, a block "
        "and its template, its first migration, a demo page, a README and tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "name", help="The plugin's package and app label, in snake_case: bispecific_antibodies"
        )
        parser.add_argument(
            "--directory",
            type=Path,
            help="Where to write the plugin project (default: ./immunotherapy-<name>, dashed).",
        )

    def handle(self, *args: Any, name: str, directory: Path | None, **options: Any) -> None:
        context = self._context(name)
        target = directory or Path(context["dist"])
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(f"{target} already exists and is not empty; nothing was written")
        try:
            self._write(target, context)
            self._make_initial_migration(target, name)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"Wrote the {context['verbose']} plugin to {target}"))
        self.stdout.write(
            f"Next: pip install {target} && python manage.py migrate && "
            "python manage.py load_demo_content"
        )

    def _context(self, name: str) -> dict[str, str]:
        if not NAME.match(name) or keyword.iskeyword(name):
            raise CommandError(
                f"{name!r} is not a valid plugin name: use lower-case words joined by"
                " underscores, starting with a letter (e.g. bispecific_antibodies)"
            )
        slug = name.replace("_", "-")
        if name in {config.label for config in apps.get_app_configs()}:
            raise CommandError(f"{name!r} is already the label of an installed app; choose another")
        if registry.get(slug) is not None:
            raise CommandError(f"therapy type slug {slug!r} is already registered; choose another")
        if _importable(name):
            raise CommandError(f"{name!r} is already an importable Python package; choose another")
        camel = "".join(part.capitalize() for part in name.split("_"))
        verbose = name.replace("_", " ").capitalize()
        return {
            "name": name,
            "slug": slug,
            "camel": camel,
            "model": f"{camel}Page",
            "block": f"{camel}HighlightBlock",
            "verbose": verbose,
            "verbose_lower": verbose.lower(),
            "dist": f"immunotherapy-{slug}",
            "core_spec": ">=0.1,<1.0",
        }

    def _write(self, target: Path, context: dict[str, str]) -> None:
        for source in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
            relative = source.relative_to(TEMPLATE_DIR).with_suffix("")
            parts = [context["name"] if part == "package" else part for part in relative.parts]
            if parts[-1] == "test_plugin.py":
                parts[-1] = f"test_{context['name']}.py"
            if parts[-1] == "page.html":  # Wagtail's default template name for the page model
                parts[-1] = f"{context['name']}_page.html"
            path = target.joinpath(*parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(Template(source.read_text("utf-8")).substitute(context), "utf-8")
        (target / context["name"] / "demo" / "images").mkdir(exist_ok=True)
        (target / context["name"] / "static" / context["name"]).mkdir(parents=True)

    def _make_initial_migration(self, target: Path, name: str) -> None:
        """Django writes the first migration, for the TherapyPage of this very core version:
        a child process with the new package enabled runs makemigrations."""
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(target.resolve()), *sys.path]),
            "IMMUNOTHERAPY_PLUGINS": ",".join([*settings.IMMUNOTHERAPY_PLUGINS, name]),
            "IMMUNOTHERAPY_ENTRY_POINTS": "false",
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "site_config.settings.dev"
            ),
        }
        code = (
            "import django; django.setup()\n"
            "from django.core.management import call_command\n"
            f"call_command('makemigrations', {name!r}, verbosity=0)\n"
        )
        result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
            raise CommandError(f"could not write the first migration: {last}")


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
