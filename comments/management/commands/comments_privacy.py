"""Export or erase one commenter's personal data: `manage.py comments_privacy export a@b.org`."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from comments.services import commenter_erase, commenter_export


class Command(BaseCommand):
    help = (
        "Export (as JSON) or erase the personal data stored with one commenter's comments, "
        "found by email address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email", help="The commenter's email address.")
        parser.add_argument(
            "--remove-text",
            action="store_true",
            help="When erasing, also replace the text of their comments.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not a valid email address.") from error
        if options["action"] == "export":
            data = commenter_export(email=email)
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        changed = commenter_erase(email=email, remove_text=options["remove_text"])
        if not changed:
            self.stdout.write(f"No comments were found for {email}.")
            return
        self.stdout.write(f"Personal data removed from {changed} comment(s) by {email}.")
