"""Create or update the development superuser named by DJANGO_SUPERUSER_USERNAME / _PASSWORD (/ _EMAIL)."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create or update a superuser from DJANGO_SUPERUSER_USERNAME and DJANGO_SUPERUSER_PASSWORD "
        "(and DJANGO_SUPERUSER_EMAIL); does nothing when they are unset. Safe to run on every start. "
        "The password must pass AUTH_PASSWORD_VALIDATORS, as createsuperuser's does."
    )

    def handle(self, *args, **options):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "").strip()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        if not username or not password:
            if username or password:
                self.stderr.write("Set both DJANGO_SUPERUSER_USERNAME and DJANGO_SUPERUSER_PASSWORD: no superuser.")
            return
        user_model = get_user_model()
        with transaction.atomic():
            user, created = user_model._default_manager.get_or_create(**{user_model.USERNAME_FIELD: username})
            user.is_active = user.is_staff = user.is_superuser = True
            email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "").strip()
            if email:
                user.email = email
            try:
                # With the user, so the similarity validator compares the password with the username and email.
                validate_password(password, user)
            except ValidationError as error:  # leaving the transaction undoes get_or_create's new user
                raise CommandError(
                    f"DJANGO_SUPERUSER_PASSWORD is refused: {' '.join(error.messages)} No superuser was saved."
                ) from error
            user.set_password(password)
            user.save()
        self.stdout.write(f"Superuser {username!r} {'created' if created else 'updated'}.")
