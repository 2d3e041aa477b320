"""Code, Mermaid and math blocks: highlighted with CSS classes, or kept as source.

Pygments writes class names (`<span class="k">`), never inline styles, so the
pages stay under a strict Content-Security-Policy; the colours are in the
stylesheet (`pygments_css`). Mermaid fences and math are kept as their source
text, for an optional client-side renderer; without one they read as source.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return None


def highlight_fence(code: str, language: str, _attrs: str) -> str:
    """The `highlight` option of markdown-it: a whole `<pre>` for every fence."""
    lang = language.strip().lower()
    if lang == "mermaid":
        return f'<pre class="mermaid">{escape(code)}</pre>'
    lexer = _lexer(lang) if lang else None
    body = highlight(code, lexer, _FORMATTER) if lexer is not None else escape(code)
    css_lang = escape("".join(ch for ch in lang if ch.isalnum() or ch in "-_+"))
    code_class = f' class="language-{css_lang}"' if css_lang else ""
    return f'<pre class="highlight"><code{code_class}>{body}</code></pre>'


def math_html(tex: str, *, block: bool) -> str:
    """TeX kept as text in a MathML `<math>` element (a script may typeset it later)."""
    display = ' display="block"' if block else ""
    return f'<math class="tex"{display}><mtext>{escape(tex.strip())}</mtext></math>'


def _style_rules(style: str, scope: str) -> str:
    formatter = HtmlFormatter(style=style)
    return str(formatter.get_style_defs(scope))  # type: ignore[no-untyped-call]


def pygments_css(light: str = "default", dark: str = "monokai") -> str:
    """Highlighting colours for light pages and for dark ones (system setting or toggle)."""
    light_css = _style_rules(light, ".highlight")
    dark_rules = _style_rules(dark, ":root[data-theme=dark] .highlight")
    auto_rules = _style_rules(dark, ":root:not([data-theme=light]) .highlight")
    return f"{light_css}\n{dark_rules}\n@media (prefers-color-scheme: dark) {{\n{auto_rules}\n}}\n"
