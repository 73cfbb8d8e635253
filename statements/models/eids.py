"""Eids: the stable identifiers of sections and clauses within a document (Akoma Ntoso style, e.g. para_12).

With the document slug a clause's eid forms its citation, which never changes once published: an eid in
use or retired is never given to other text. Plain functions over sets of eids, shared by the admin and
the importer through statements.models.placement.
"""

import re

from django.core.validators import RegexValidator

EID_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9]*_[a-z0-9]+(?:__[a-z][a-z0-9]*_[a-z0-9]+)*$",
    "An eid is lowercase Akoma Ntoso style: a name, an underscore and a number or "
    "label, e.g. para_12 or sec_3 (nested parts joined by a double underscore).",
)
PARA_EID = re.compile(r"^para_(\d+)$")


def next_para(taken):
    """``para_N`` with N one past the highest para_N in ``taken`` (para_1 when there is none)."""
    numbers = [int(match[1]) for eid in taken if (match := PARA_EID.match(eid))]
    return f"para_{max(numbers, default=0) + 1}"


def fresh_eid(eid, taken):
    """``eid`` if free, else eid + v2, v3 ...: a retired or kept eid is never given to other text."""
    if eid not in taken:
        return eid
    version = 2
    while f"{eid}v{version}" in taken:
        version += 1
    return f"{eid}v{version}"


def eid_order(eid):
    """A sort key putting eids in their document's order as far as they tell it (para_2 before para_10): for retired
    clauses, which have no position any more."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"_+", eid)]
