import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create a superuser if none exists, from ADMIN_USERNAME/ADMIN_PASSWORD, "
        "else 'admin' with a generated password printed once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account already exists; nothing to do.")
            return
        username = os.environ.get("ADMIN_USERNAME", "").strip() or "admin"
        password = os.environ.get("ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        if user_model.objects.filter(username=username).exists():
            raise CommandError(
                f"a non-admin user named {username!r} already exists; "
                "set ADMIN_USERNAME to another name"
            )
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created admin account {username!r}."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"  Sign in at /admin/ with username {username} and password {password}\n"
                    "  (shown only this once; set ADMIN_PASSWORD to choose your own)."
                )
            )
