"""Rule-based tagging: which topics a clause is about and which parties speak in it.

Plain functions over plain values, so they can be tested and reported on without a database: a rule is (name, topic
slug or party code, compiled pattern). The rules themselves are data (statements.models.TopicRule, PartyAlias),
compiled by ``statements.models.tagging_rules.load_rules()``; this package imports no model.

- ``rules``: ``Rule``, a curator's pattern compiled (``compile_pattern``) and bounded in time
  (``refuse_slow_pattern`` when saved, ``MATCH_TIMEOUT_S`` when run).
- ``needles``: the literal text every match of a rule starts with (``needles``), and ``NeedleIndex``, where a text
  holds the needles of a list of rules: a rule's regex is tried only there.
- ``matching``: ``RuleMatcher`` (one text against one list of rules), ``matching_rules``, and ``match_parties``, the
  speaking parties a document's aliases find.
- ``topics``: ``match_topics``, the topics a clause is about (strong and weak evidence; child, else parent).

The importer (statements.importing.tagging) and re-tagging (statements.retagging) call ``match_topics`` and
``match_parties``; the reader's fingerprint (statements.importing.digests) covers this whole package.
"""
