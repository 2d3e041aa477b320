"""A small vault for the site tests, written into a temporary folder by each test."""

from __future__ import annotations

from pathlib import Path

NOTES = {
    "Target Note.md": """---
title: Target Note
tags: [topic/net]
---
# Target Note

## Alpha

### Beta

Beta under alpha.

## Other

### Beta

Beta under other.

- first item
- the random item ^blk-1
- last item

The end ==marked text== here %%a secret comment%% done.
""",
    "Folder/Linker.md": """---
title: Linker
tags: [topic/net/sub]
---
Links: [[target note]], [[Target Note#Alpha#Beta]], [[Target Note#Other#Beta|other beta]],
[[Target Note#^blk-1]], [[Missing Note]], [md](../Target%20Note.md#alpha).

> [!tip]- Folded title
> Hidden body
> > [!warning] Inner
> > Inner body

$E = mc^2$

```python
def f(x):
    return x
```

```mermaid
graph TD; A-->B
```

![[pic.png|300]]

![[Target Note#Alpha]]

![[Loop A]]
""",
    "Loop A.md": "---\ntitle: Loop A\n---\nA embeds B:\n\n![[Loop B]]\n",
    "Loop B.md": "---\ntitle: Loop B\n---\nB embeds A:\n\n![[Loop A]]\n",
}

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def write_vault(root: Path, notes: dict[str, str] | None = None) -> Path:
    """The notes above (or `notes`), plus `pic.png` (linked) and `unused.png` (not)."""
    for rel, text in (notes if notes is not None else NOTES).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "pic.png").write_bytes(PNG)
    (root / "unused.png").write_bytes(PNG)
    return root
