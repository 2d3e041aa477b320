"""A count of the text that the passes over a note read: the measure of the linearity tests.

A pass adds here what each search that its own advance does not bound reads (a
look ahead for a closing `]]`, a whole text walked again): tests read `steps`
before and after a pass, on an input and on the input doubled, and assert the
count at most doubles. Never a timing. One integer add per such search, and none
in the loops that only move forward, so the hot paths pay nothing measurable.
"""

steps = 0


def reset() -> int:
    """Set the count to 0 and return what it was (for tests)."""
    global steps
    was, steps = steps, 0
    return was
