#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")
    from django.core.management import execute_from_command_line

    from immunotherapy.plugins import PluginError

    try:
        execute_from_command_line(sys.argv)
    except PluginError as exc:
        # A broken therapy plugin: one readable line, not a traceback.
        sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()
