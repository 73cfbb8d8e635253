"""The metadata of a statement published as Markdown: its YAML front matter, publisher, kind, slug, parties.

Plain functions, no database. ``read_front_matter`` splits a file into its front matter (every key with
the line it is on) and its body; ``publisher_of`` names who published a source URL from ``SITES``;
``kind_of`` tells the kind of document from its title; ``front_matter_header`` and ``derive_fields`` make
the text format's header of it, every field the curator did not give derived.
"""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml
from django.utils.text import slugify

from .lines import METADATA, PARTY, ParseWarning
from .parsing import HEADER_FIELDS

# libyaml's parser when PyYAML was built with it (the wheels are): ten times faster than the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FENCE = "---"
FENCE_ENDS = ("---", "...")


@dataclass(frozen=True)
class FrontMatter:
    """The front matter's keys as written, each with its value and the line it is on (1-based)."""

    values: dict  # key -> value (as YAML typed it: str, date, list, ...)
    lines: dict  # key -> line number
    body_start: int  # index of the body's first line in the file's lines (0-based)


class FrontMatterError(ValueError):
    def __init__(self, line, message):
        self.line = line
        super().__init__(message)


def read_front_matter(lines):
    """The YAML front matter at the top of ``lines`` (a file split into lines), or FrontMatterError.

    The front matter is the block between a first line ``---`` and the next line ``---`` (or ``...``);
    it must be a YAML mapping. A file without one has an empty front matter and all of it is body.
    """
    if not lines or lines[0].strip() != FENCE:
        return FrontMatter({}, {}, 0)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in FENCE_ENDS), None)
    if end is None:
        raise FrontMatterError(1, "the front matter opened by '---' on line 1 is never closed: end it with '---'")
    source = "\n".join(lines[1:end])
    loader = SAFE_LOADER(source)
    try:
        node = loader.get_single_node()  # the nodes carry the lines the keys are on
        values = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        raise FrontMatterError(line, f"the front matter is not valid YAML: {error.problem or error}") from error
    finally:
        loader.dispose()
    if values is None:
        return FrontMatter({}, {}, end + 1)
    if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(2, "the front matter must be 'key: value' lines")
    lines_of = {key_node.value: key_node.start_mark.line + 2 for key_node, _ in node.value}
    return FrontMatter({str(key): value for key, value in values.items()}, lines_of, end + 1)


# --- Publishers -------------------------------------------------------------------------------------

# Who publishes on a site, and the state whose government that is (the party it speaks for), keyed by the
# site's host name without "www."; a sub-domain matches its parent (``2021-2025.state.gov`` is ``state.gov``).
# Add a row for a new source; a URL on a site not listed here gets a warning and no publisher.
SITES = {
    "whitehouse.gov": ("The White House", "us"),
    "bidenwhitehouse.archives.gov": ("The White House", "us"),
    "trumpwhitehouse.archives.gov": ("The White House", "us"),
    "obamawhitehouse.archives.gov": ("The White House", "us"),
    "state.gov": ("U.S. Department of State", "us"),
    "fmprc.gov.cn": ("Ministry of Foreign Affairs of the People’s Republic of China", "cn"),
    "mfa.gov.cn": ("Ministry of Foreign Affairs of the People’s Republic of China", "cn"),
    "gov.uk": ("UK Government", "gb"),
    "pm.gc.ca": ("Prime Minister of Canada", "ca"),
    "elysee.fr": ("Élysée", "fr"),
    "bundesregierung.de": ("The Federal Government of Germany", "de"),
    "mofa.go.jp": ("Ministry of Foreign Affairs of Japan", "jp"),
    "kantei.go.jp": ("Prime Minister’s Office of Japan", "jp"),
    "mea.gov.in": ("Ministry of External Affairs, India", "in"),
    "pm.gov.au": ("Prime Minister of Australia", "au"),
    "dfat.gov.au": ("Department of Foreign Affairs and Trade, Australia", "au"),
    "mofa.go.kr": ("Ministry of Foreign Affairs of the Republic of Korea", "kr"),
    "kremlin.ru": ("President of Russia", "ru"),
    "president.gov.ua": ("President of Ukraine", "ua"),
    "consilium.europa.eu": ("Council of the European Union", "eu"),
    "ec.europa.eu": ("European Commission", "eu"),
    "eeas.europa.eu": ("European External Action Service", "eu"),
    "un.org": ("United Nations", "un"),
    "nato.int": ("NATO", "nato"),
    "asean.org": ("ASEAN", "asean"),
    "au.int": ("African Union", "african-union"),
}


def publisher_of(url):
    """(publisher, party code) for a source URL from SITES, or None for a site not listed."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    while host:
        if host in SITES:
            return SITES[host]
        host = host.partition(".")[2]
    return None


def slug_of(url):
    """The last segment of a source URL's path, as the publisher named the page, when it is a slug of words
    ("u-s-rok-leaders-joint-statement"); '' for a page named by a query or a number ("view.htm?dtl=37084")."""
    parts = urlsplit(url)
    segment = re.sub(r"\.(?:s?html?|php|aspx?)$", "", parts.path.rstrip("/").rpartition("/")[2])
    words = re.findall(r"[a-z]+", segment.lower())
    return segment if not parts.query and len(words) >= 3 and "-" in segment else ""


# --- Kinds ------------------------------------------------------------------------------------------

APOSTROPHE = "['’]?"
# What the title calls the document: (pattern, kind). The phrase that comes first in the title wins, so
# "The Jeddah Communique: A Joint Statement" is a communiqué and "Statement ... Welcoming the Aqaba Meeting
# and Communique" a press release (one government's statement); at one position the longer phrase wins
# ("Leaders' Joint Statement").
KIND_PHRASES = [
    (r"readout", "readout"),
    (r"communiqu[eé]", "communique"),
    (r"declaration", "declaration"),
    (rf"(?:joint\s+)?leaders{APOSTROPHE}\s+(?:joint\s+)?statement", "leaders_statement"),
    (r"joint\s+(?:vision\s+)?statement", "joint_statement"),
    (r"vision\s+statement", "joint_statement"),
    (r"statement", "press_release"),  # a statement by one government or official
    (r"press\s+release", "press_release"),
    (r"remarks|speech|address\s+by", "speech"),
]
# Case-insensitive phrases, but a capital may follow without a space ("Joint Leaders’ StatementBuilding ...").
KIND_PATTERNS = [(re.compile(rf"(?<!\w)(?i:{pattern})(?![a-z0-9])"), kind) for pattern, kind in KIND_PHRASES]


DEFAULT_KIND = "press_release"  # a title that names no kind: a publication of its publisher's


def kind_of(title):
    """The kind of document the title says it is (a DocumentKind value), or '' when it names none."""
    title = unicodedata.normalize("NFKC", title)
    found = []
    for pattern, kind in KIND_PATTERNS:
        match = pattern.search(title)
        if match:
            found.append((match.start(), -len(match.group()), kind))
    return min(found)[2] if found else ""


# --- The document's fields -------------------------------------------------------------------------

# Front matter keys the publisher's converter writes that say nothing the document records.
PUBLISHER_KEYS = {"published_time", "modified_time", "tags", "categories", "author", "description", "lang"}
# "... with Prime Minister Kishida of Japan": a leader "of" a place; the place should be a party.
LEADER_OF = re.compile(
    r"\b(?:President|Prime\s+Minister|King|Queen|Chancellor|Emir|Amir|Sultan|Crown\s+Prince|Premier|Taoiseach|"
    r"Secretary[-\s]General|Governor[-\s]General|Minister|Chairman|Chair)\s+(?:[A-Z][\w’'.-]*,?\s+){0,5}"
    r"of\s+((?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+|and\s+|the\s+)?[A-Z][\w’'.-]*){0,5})\s*$"
)


def in_front_matter_words(message):
    """An error of the text format's header, told in the front matter's words."""
    missing = re.match(r"missing header field '([^']+)'", message)
    if not missing:
        return message
    key = missing.group(1).lower().replace(" ", "_")
    hint = " (no party was found in the title or the opening paragraph)" if key == "parties" else ""
    return f"missing front matter key {key!r}{hint}: add '{key}: ...' to the front matter"


def front_matter_header(front, warnings):
    """The front matter as the text format's header: {field: (value as text, line)}."""
    header = {}
    for key, value in front.values.items():
        line = front.lines.get(key, 1)
        name = HEADER_FIELDS.get(re.sub(r"[\s_-]+", " ", key.strip().lower()))
        if name is None:
            if key not in PUBLISHER_KEYS:
                warnings.append(ParseWarning(line, METADATA, f"front matter key {key!r} is not used"))
            continue
        header[name] = (_text(value, date=name == "date"), line)
    if "date" not in header:
        # A page's publication time stands in for its date ("published_time: 2021-01-22 22:14:29-05:00").
        for key in ("published_time", "published", "date_published"):
            if front.values.get(key):
                header["date"] = (_text(front.values[key], date=True), front.lines.get(key, 1))
                break
    return header


ISO_DATE_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)[T ]\d")


def _text(value, date=False):
    """A front matter value as the text format's header writes it: lists comma-separated, yes/no, ISO dates
    (the date of a date and time when ``date``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if date and isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value).strip()
    match = ISO_DATE_TIME.match(text) if date else None
    return match.group(1) if match else text


def derive_fields(header, sections, find_parties, warnings):
    """Fill in what the front matter does not say: publisher, kind, slug, parties (each with its line).

    Returns {code: reason} of the parties derived ("publisher", "title", "text": machine-assigned), or None when the
    front matter states them (a curator's)."""
    title, title_line = header.get("title", ("", 1))
    url = header.get("source_url", ("", 0))[0]
    site = publisher_of(url) if url else None
    if url and site is None:
        warnings.append(
            ParseWarning(
                header["source_url"][1],
                METADATA,
                f"the site of {url!r} is not one the importer knows (SITES): no publisher; "
                "add 'publisher:' to the front matter",
            )
        )
    if "publisher" not in header and site:
        header["publisher"] = (site[0], header["source_url"][1])
    if "kind" not in header and title:
        kind = kind_of(title)
        if not kind:
            kind = DEFAULT_KIND
            warnings.append(
                ParseWarning(
                    title_line,
                    METADATA,
                    f"the title does not say what kind of document this is: {DEFAULT_KIND!r}; add 'kind:' to "
                    "the front matter if it is another",
                )
            )
        header["kind"] = (kind, title_line)
    if "slug" not in header and url and slug_of(url) and header.get("date", ("", 0))[0]:
        header["slug"] = (document_slug(slug_of(url), header["date"][0]), header["source_url"][1])
    if "parties" in header:
        return None
    opening = next((clause.text for section in sections for clause in section.clauses), "")
    derived = document_parties(title, opening, site, find_parties)
    header["parties"] = (", ".join(derived), title_line)
    if find_parties is not None:
        _warn_unknown_party(title, title_line, find_parties, warnings)
    return derived


def document_slug(name, date):
    """``<name>-<date>``: the publisher's name for the page slugified, cut to fit with a hash to keep it unique."""
    base = slugify(name)
    if len(base) > 100:
        digest = hashlib.sha1(base.encode()).hexdigest()[:8]
        base = f"{base[:90].rstrip('-')}-{digest}"
    date = str(date)
    return base if base.endswith(date) else f"{base}-{date}"


def document_parties(title, opening, site, find_parties):
    """The document's parties, in order, each with why: the publisher's own state ("publisher": it publishes its
    President's calls and the statements it joins), those the title names ("title"), and, when the title names no
    other, those of the opening paragraph ("text": "We, the leaders of ..."). A first guess that needs no
    attribution; the importer's tagging replaces it by ``statements.attribution.authors.document_parties``."""
    found = {site[1]: "publisher"} if site and site[1] else {}
    if find_parties is None:
        return found
    for code in find_parties(title):
        found.setdefault(code, "title")
    if len(found) <= (1 if site else 0):
        for code in find_parties(opening):
            found.setdefault(code, "text")
    return found


def _warn_unknown_party(title, line, find_parties, warnings):
    """The last "of <Name>" of a title ("... with Prime Minister X of Freedonia") names a party the vocabulary lacks."""
    title = title.replace("\u00a0", " ")
    match = LEADER_OF.search(title)
    if match and not find_parties(match.group(1)):
        warnings.append(
            ParseWarning(line, PARTY, f"{match.group(1)!r} may be a party but is not in the party vocabulary")
        )
