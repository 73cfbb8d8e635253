"""Measures of the tagging (speakers, topics) against the gold set in fixtures/gold/."""
