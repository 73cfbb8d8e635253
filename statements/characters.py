"""What text in the data may hold: no control characters. One definition for every way text comes in and goes out.

Control characters (C0 but tab, line feed and carriage return; DEL; C1) have no place in a statement: no source
prints them, a copy-paste or a broken converter leaves them. XML 1.0 cannot hold most of them at all (a vertical
tab in a publisher took the Atom feed down; a form feed made the Akoma Ntoso export ill-formed), and NUL breaks
PostgreSQL's text. So:

- **in**: ``refuse_control_characters`` is the validator of every text field of the data (``RefusesControlCharacters``,
  a base of every model of the data, hence the admin's forms) and what the importer checks each line with
  (``first_control_character``), naming the character and where it is;
- **out**: ``xml_safe`` replaces any that are already stored (loaded before this rule, written with raw SQL) with
  U+FFFD, the replacement character, so XML output stays well-formed and shows where something was.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold besides those: the non-characters U+FFFE, U+FFFF and lone surrogates.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def describe(character):
    """``U+000B`` for a vertical tab: how an error names a character that cannot be shown."""
    return f"U+{ord(character):04X}"


def first_control_character(text):
    """The first control character in ``text`` and its index, or None."""
    found = CONTROL_CHARACTERS.search(text or "")
    return (found.group(), found.start()) if found else None


@deconstructible
class ControlCharacterValidator:
    """Refuses text holding a control character (tab, line feed and carriage return are text), naming it."""

    message = "Remove the control character {character} at position {position}: text may hold no control characters."
    code = "control_character"

    def __call__(self, value):
        found = first_control_character(value if isinstance(value, str) else str(value))
        if found:
            character, index = found
            raise ValidationError(
                self.message.format(character=describe(character), position=index + 1), code=self.code
            )

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator)


refuse_control_characters = ControlCharacterValidator()


def xml_safe(text):
    """``text`` with every character XML 1.0 cannot hold (and every control character) replaced by U+FFFD."""
    return NOT_IN_XML.sub(REPLACEMENT, text) if text else text


class RefusesControlCharacters(models.Model):
    """A model whose every text field (CharField, TextField) refuses control characters when cleaned: the admin's
    forms (which clean the instance) name the field. One mixin rather than a validator on each field: a new text
    field is covered without anyone remembering it."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.name in (exclude or ()):
                continue
            try:
                refuse_control_characters(getattr(self, field.attname))
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
