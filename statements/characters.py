"""What text in the data may hold: no control characters. One definition for every way text comes in and goes out.

Control characters (C0 but tab, line feed and carriage return; DEL; C1) have no place in a statement: no source
prints them, a copy-paste or a broken converter leaves them. XML 1.0 cannot hold most of them at all (a vertical
tab in a publisher took the Atom feed down; a form feed made the Akoma Ntoso export ill-formed), and NUL breaks
PostgreSQL's text. So:

- **in**: ``refuse_control_characters`` is the validator of every text field of the data (the models, hence the
  admin's forms) and what the importer checks each line with, naming the character and where it is;
- **out**: ``xml_safe`` replaces any that are already stored (loaded before this rule, written with raw SQL) with
  U+FFFD, the replacement character, so XML output stays well-formed and shows where something was.
"""

import re

from django.core.exceptions import ValidationError
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
