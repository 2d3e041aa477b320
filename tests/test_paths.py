"""One helper strips `.md` from a vault path, in any letter case, and nothing else."""

from kbtool.base.paths import without_md


def test_without_md_strips_only_a_final_md_in_any_case() -> None:
    assert without_md("a/Note.md") == "a/Note"
    assert without_md("a/Note.MD") == "a/Note"
    assert without_md("a/Note.mdx") == "a/Note.mdx"
    assert without_md("a.md/Note.png") == "a.md/Note.png"
    assert without_md(".md") == ""
