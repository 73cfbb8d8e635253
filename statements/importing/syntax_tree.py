"""The syntax tree of a Markdown body, parsed by markdown-it.rs (markdown-it-pyrs) in the shape of markdown-it's tokens.

markdown-it.rs is the Rust port of markdown-it, from the organisation that maintains markdown-it-py, which the importer
used before: the same CommonMark rules with GFM tables, strikethrough and pandoc footnotes, parsed in a tenth of the
CPU. Its tree is shaped otherwise than markdown-it's token stream, which statements.importing.markdown's rules read;
``syntax_tree`` gives it that shape (``_Tree`` says where they differ) and mends where markdown-it.rs parses
otherwise than markdown-it-py did: node for node the same on every shipped and test source
(``bench/readings.py`` compares two versions' readings). Where the two still differ (README "Importing Markdown"):
a Unicode symbol (``€``, ``°``) beside an emphasis marker that could open and close (markdown-it.rs follows
CommonMark 0.30, where symbols are not punctuation); an HTML comment with ``--`` inside; a table whose header row has
no ``|``; a code span after an unclosed ``[`` (markdown-it.rs keeps its backticks as text); a footnote definition
indented by one to three spaces (markdown-it.rs misreads where its text starts), or inside a block quote right under a
paragraph line; a Unicode space inside an autolink.
"""

import bisect
import re

from markdown_it_pyrs import MarkdownIt

# CommonMark with GFM tables, strikethrough and pandoc footnotes (what markdown-it-py parsed with mdit-py-plugins'
# footnotes, inline ones off). A backslash escape stays a node of its own, as with markdown-it-py's "text_join" off:
# an asterisk the parser could not pair as emphasis ("**,\u00a0**") can be told from a literal one ("\*").
MARKDOWN = MarkdownIt("commonmark").enable_many(["table", "strikethrough", "footnote"])
LIST_NUMBER = re.compile(rb"[0-9]+")
# a footnote definition's first line ("[^1]: ..."), after the first line of a paragraph
FOOTNOTE_IN_PARAGRAPH = re.compile(rb"(?<=[^\n])\n {0,3}\[\^[^\] \n]+\]:")
LINE_BREAKS = ("softbreak", "hardbreak")
# what markdown-it.rs puts inside a paragraph (or straight in a tight list item, a table cell, a heading)
INLINE_KINDS = frozenset(
    {
        "text",
        "text_special",
        "softbreak",
        "hardbreak",
        "strong",
        "em",
        "strikethrough",
        "link",
        "autolink",
        "image",
        "code_inline",
        "html_inline",
        "footnote_ref",
        "footnote_ref_anchor",
    }
)


class Node:
    """A node of the syntax tree, in the shape of markdown-it's token stream: a block (``line``: its first line,
    counted from 0 in the parsed text) with its blocks, or with one ``inline`` node whose children are the text as
    tokens (escapes and entities ``text_special``, neighbouring text one ``text`` node), with the attributes
    statements.importing.markdown's rules read (most nodes need only the first three: the others are the class's)."""

    line, meta, info, markup, tag = None, {}, "", "", ""

    def __init__(self, kind, children=(), content="", **attributes):
        self.type, self.children, self.content = kind, children, content
        if attributes:
            self.__dict__.update(attributes)


# nodes that are all alike, shared (an image's text is not what a statement says: the rules skip it)
SOFTBREAK, HARDBREAK, IMAGE = Node("softbreak"), Node("hardbreak"), Node("image")


class ParserFailure(Exception):
    """markdown-it.rs could not parse a source."""


CHUNKS = re.compile(r"(\n\n+)")
BACKTICK_OR_ESCAPE = re.compile(r"\\[\s\S]|`+")
BACKTICK_RUN = re.compile(r"`+")
FENCE = re.compile(r"(?:^|\n) {0,3}$")  # what comes before a run of three backticks or more that starts a fence


def escape_unmatched_backticks(source):
    """``source`` with each run of backticks that opens no code span escaped, paragraph by paragraph (text between
    blank lines): a run no later run of the same length closes, outside a code span and not escaped already."""
    chunks = CHUNKS.split(source)
    for index, chunk in enumerate(chunks):
        unmatched, position = [], 0
        while (match := BACKTICK_OR_ESCAPE.search(chunk, position)) is not None:
            position = match.end()
            if match.group()[0] == "\\" or _is_fence(chunk, match):
                continue
            length = len(match.group())
            closer = next((m for m in BACKTICK_RUN.finditer(chunk, position) if len(m.group()) == length), None)
            if closer is None:
                unmatched.append(match.span())
            else:
                position = closer.end()
        for start, end in reversed(unmatched):
            chunk = chunk[:start] + "\\`" * (end - start) + chunk[end:]
        chunks[index] = chunk
    return "".join(chunks)


def escape_backticks(source):
    """``source`` with every run of backticks escaped but a fence's."""
    return BACKTICK_OR_ESCAPE.sub(
        lambda m: m.group() if m.group()[0] == "\\" or _is_fence(source, m) else "\\`" * len(m.group()), source
    )


def _is_fence(text, match):
    return len(match.group()) >= 3 and FENCE.search(text, 0, match.start()) is not None


def syntax_tree(source):
    """The root Node of the Markdown ``source``."""
    return _Tree(source).root()


class _Tree:
    """markdown-it.rs's tree of one source turned into Nodes. Its positions are byte offsets into the UTF-8 text:
    a block's line is the count of newlines before it; a numbered list item's number is read where it starts.

    Where markdown-it.rs's tree is shaped otherwise than markdown-it's tokens: a tight list item and a table cell
    hold their text straight (here in a paragraph, or the cell's inline node); a setext heading is ``lheading``;
    an autolink's text is ``text_special`` (here text, as a link's); a link reference definition is a node (here
    none); footnotes come in the order they are defined (here in the order of their first reference). And a footnote
    definition does not end a paragraph: markdown-it's does, so a blank line is put before one that would, and the
    lines after it are counted as in the source."""

    def __init__(self, source):
        self.source = source
        self.encoded = source.encode()
        self.added = []  # the lines of the parsed text that are blank lines put before a footnote definition
        self.counted = (0, 0)  # (a byte offset, the newlines before it)

    def root(self):
        tree = self._parse()
        while self._separate_footnotes(tree):
            tree = self._parse()
        return Node("root", self.blocks(tree.children))

    def _parse(self):
        """markdown-it.rs's tree of the source. markdown-it.rs 0.6 panics (an index out of bounds in Rust, raised as
        a BaseException) when it scans a second time a run of backticks that no later run closes, the first time for
        a link's text after a "[" ("[sic] ... `"): such a run is text, so it is escaped ("\\`", the same text) and
        the source parsed again; then every backtick but a fence's. A parse that still fails is a ParserFailure."""
        for escape in (None, escape_unmatched_backticks, escape_backticks):
            if escape is not None:
                self.source = escape(self.source)
                self.encoded, self.counted = self.source.encode(), (0, 0)
            try:
                return MARKDOWN.tree(self.source)
            except BaseException as error:  # pyo3's PanicException is a BaseException
                if type(error).__name__ != "PanicException":
                    raise
                failure = str(error)
        raise ParserFailure(failure)

    def _separate_footnotes(self, tree):
        """Put a blank line before each footnote definition that a paragraph (a tight list item's text included)
        took as its text; True when there was one."""
        if b"[^" not in self.encoded or not FOOTNOTE_IN_PARAGRAPH.search(self.encoded):
            return False
        breaks = sorted(
            {
                self.encoded.count(b"\n", 0, match.start() + 1)
                for node in tree.walk()
                if node.name in ("paragraph", "list_item")
                for match in FOOTNOTE_IN_PARAGRAPH.finditer(self.encoded, *node.srcmap)
            }
        )
        if not breaks:
            return False
        lines = self.source.split("\n")
        for added, index in enumerate(breaks):
            lines.insert(index + added, "")
            self.added.append(index + added)
        self.added.sort()
        self.source = "\n".join(lines)
        self.encoded, self.counted = self.source.encode(), (0, 0)
        return True

    def line(self, node):
        offset = node.srcmap[0]
        if offset < self.counted[0]:  # blocks come in order: newlines are counted on from the last one
            self.counted = (0, 0)
        line = self.counted[1] + self.encoded.count(b"\n", self.counted[0], offset)
        self.counted = (offset, line)
        return line - bisect.bisect_left(self.added, line) if self.added else line

    def blocks(self, nodes, line=None):
        """Nodes of blocks; text straight among them (a tight list item's) is a paragraph on ``line``, the item's:
        where its text starts, as a paragraph's line inside a list is never read and markdown-it.rs's positions of
        inline nodes are not always right."""
        blocks, inline = [], []
        for node in nodes:
            if node.name in INLINE_KINDS:
                inline.append(node)
                continue
            if inline:
                blocks.append(Node("paragraph", [self.inline(inline)], line=line))
                inline = []
            block = self.block(node)
            if block is not None:
                blocks.append(block)
        if inline:
            blocks.append(Node("paragraph", [self.inline(inline)], line=line))
        return blocks

    def block(self, node):
        kind, line = node.name, node.srcmap and self.line(node)
        if kind == "paragraph":
            return Node(kind, [self.inline(node.children)], line=line)
        if kind in ("heading", "lheading"):
            return Node("heading", [self.inline(node.children)], line=line, tag=f"h{node.meta['level']}")
        if kind in ("bullet_list", "ordered_list"):
            marker = node.meta["marker"]
            items = []
            for item in node.children:
                item_line = self.line(item)
                children = self.blocks(item.children, item_line)
                items.append(Node("list_item", children, line=item_line, markup=marker, info=self.number(item)))
            return Node(kind, items, line=line, markup=marker)
        if kind == "table":
            rows = [row for part in node.children for row in part.children]
            cells = [[Node("td", [self.inline(cell.children)]) for cell in row.children] for row in rows]
            return Node(kind, [Node("tr", row) for row in cells], line=line)
        if kind in ("code_block", "fence", "html_block"):
            return Node(kind, line=line, content=node.meta["content"])
        if kind == "blockquote":
            return Node(kind, self.blocks(node.children), line=line)
        if kind == "footnote_container":
            return Node("footnote_block", self.footnotes(node.children))
        if kind == "definition":
            return None  # a link reference definition: no text
        return Node(kind, self.blocks(node.children), line=line)  # hr

    def number(self, item):
        """An ordered list item's number as written ("01"), or "" for a bullet."""
        match = LIST_NUMBER.match(self.encoded, item.srcmap[0])
        return match.group().decode() if match else ""

    def footnotes(self, definitions):
        """The footnote definitions in the order of their first reference, each ``meta`` its label and index."""

        def first_reference(definition):
            return min(n.meta["ref_ids"] for n in definition.walk() if n.name == "footnote_ref_anchor")

        ordered = sorted(definitions, key=first_reference)
        return [
            Node("footnote", self.blocks(definition.children), meta={"label": definition.meta["label"], "id": index})
            for index, definition in enumerate(ordered)
        ]

    def inline(self, nodes):
        """A paragraph's, heading's or cell's text, white space stripped from its ends as markdown-it strips the
        block's text before parsing it: non-breaking and other Unicode spaces too (markdown-it.rs strips spaces and
        tabs only), with a line break they leave first, and a backslash they leave last is a backslash."""
        children = self.inline_children(nodes)
        stripped = False
        while children and (children[0].type == "text" or (stripped and children[0].type in LINE_BREAKS)):
            if children[0].type == "text":
                children[0].content = children[0].content.lstrip()
                if children[0].content:
                    break
            del children[0]
            stripped = True
        while children and children[-1].type == "text":
            children[-1].content = children[-1].content.rstrip()
            if children[-1].content:
                break
            del children[-1]
        last = children[-1] if children else None
        if last is not None and last.type == "text_special" and last.content[0] == "\\" and last.content[1:].isspace():
            last.type, last.content = "text", "\\"
            if len(children) > 1 and children[-2].type == "text":
                children[-2].content += children.pop().content
        return Node("inline", children)

    def inline_children(self, nodes, autolink=False):
        children = []
        for node in nodes:
            kind = node.name
            if kind == "text" or (autolink and kind == "text_special"):
                content = node.meta["content"]
                if children and children[-1].type == "text":
                    children[-1].content += content
                else:
                    children.append(Node("text", (), content))
            elif kind in ("text_special", "html_inline"):
                children.append(Node(kind, (), node.meta["content"]))
            elif kind == "code_inline":
                children.append(Node(kind, content="".join(child.meta["content"] for child in node.children)))
            elif kind == "footnote_ref":
                children.append(Node(kind, meta={"label": node.meta["label"]}))
            elif kind == "softbreak":
                children.append(SOFTBREAK)
            elif kind == "hardbreak":
                children.append(HARDBREAK)
            elif kind == "image":
                children.append(IMAGE)
            elif kind == "autolink":
                children.append(Node("link", self.inline_children(node.children, autolink=True)))
            elif kind != "footnote_ref_anchor":  # strong, em, strikethrough, link
                children.append(Node(kind, self.inline_children(node.children)))
        return children
