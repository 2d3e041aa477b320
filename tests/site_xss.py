"""Hostile notes for the site tests: strings from OWASP's XSS Filter Evasion Cheat Sheet
(each made to call `alert` with its own number, and to load nothing from the network),
put in every place of a note that reaches a page."""

from __future__ import annotations

import json
from pathlib import Path

_SVG = (
    "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxzY3JpcHQ+YWxlcnQoNDApPC9zY3Jp"
    "cHQ+PC9zdmc+"
)
VECTORS = [
    "<SCRIPT SRC=/xss.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(2)//'>",
    '<IMG SRC="javascript:alert(3);">',
    "<IMG SRC=JaVaScRiPt:alert(4)>",
    "<IMG SRC=`javascript:alert(5)`>",
    '<a onmouseover="alert(6)">xxs link</a>',
    '<IMG """><SCRIPT>alert(7)</SCRIPT>"\\>',
    '<IMG SRC=# onmouseover="alert(8)">',
    '<IMG SRC=/ onerror="alert(9)"></img>',
    '<img src=x onerror="&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049'
    '&#0000048&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#49;&#49;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72"
    "&#x74&#x28&#x31&#x32&#x29>",
    '<IMG SRC="jav\tascript:alert(13);">',
    '<IMG SRC="jav&#x09;ascript:alert(14);">',
    '<IMG SRC="jav&#x0A;ascript:alert(15);">',
    '<IMG SRC=" &#14;  javascript:alert(16);">',
    '<SCRIPT/XSS SRC="/xss.js"></SCRIPT>',
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(18)>",
    "<<SCRIPT>alert(19);//\\<</SCRIPT>",
    "<SCRIPT SRC=/xss.js?< B >",
    "</TITLE><SCRIPT>alert(21);</SCRIPT>",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(22);">',
    '<BODY BACKGROUND="javascript:alert(23)">',
    '<IMG DYNSRC="javascript:alert(24)">',
    '<STYLE>li {list-style-image: url("javascript:alert(25)");}</STYLE><UL><LI>XSS</br>',
    "<svg/onload=alert(26)>",
    "<BODY ONLOAD=alert(27)>",
    '<LINK REL="stylesheet" HREF="javascript:alert(28);">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(29);">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,'
    'PHNjcmlwdD5hbGVydCgzMCk8L3NjcmlwdD4K">',
    '<IFRAME SRC="javascript:alert(31);"></IFRAME>',
    '<FRAMESET><FRAME SRC="javascript:alert(32);"></FRAMESET>',
    '<TABLE BACKGROUND="javascript:alert(33)">',
    '<DIV STYLE="background-image: url(javascript:alert(34))">',
    '<DIV STYLE="width: expression(alert(35));">',
    '<BASE HREF="javascript:alert(36);//">',
    '<OBJECT TYPE="text/x-scriptlet" DATA="/scriptlet.html"></OBJECT>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgzOCk8L3NjcmlwdD4=">d</a>',
    '<a href="&#x6A;avascript:alert(39)">x</a>',
    f'<EMBED SRC="data:image/svg+xml;base64,{_SVG}" type="image/svg+xml">',
    '<math><mi xlink:href="javascript:alert(41)">x</mi></math>',
    "<details open ontoggle=alert(42)>",
    '<svg><a xlink:href="javascript:alert(43)"><text x="20" y="20">X</text></a></svg>',
    '<form><button formaction="javascript:alert(44)">X</button></form>',
    '"><img src=x onerror=alert(45)>',
    '<OBJECT DATA="evil.svg" TYPE="image/svg+xml"></OBJECT>',  # a document: its script runs
    '<EMBED SRC="evil.svg">',
]
#: An attachment that runs script when it is opened as a document (not as an image).
EVIL_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(48)</script></svg>\n'


#: Notes whose file names are themselves hostile (a name cannot hold `/`).
NAMES = ['"><img src=x onerror=alert(46)>', "<svg onload=alert(47)>"]


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def write_hostile_vault(root: Path) -> Path:
    """A note per vector, with the vector as its title, alias, tag, property, link
    target and display texts, callout title, in a Mermaid and a math block, and in its
    body as raw HTML; plus notes with hostile file names, linked from the first."""
    for i, vector in enumerate(VECTORS):
        text = f"""---
title: {_yaml(vector)}
aliases: [{_yaml(vector)}]
tags: [{_yaml("x" + vector.replace(" ", "-"))}]
source: {_yaml(vector)}
see_also: [{_yaml(f"[[{vector}]]")}]
---
{vector}

![[evil.svg]]

Links: [[V{(i + 1) % len(VECTORS)}|{vector}]] [{vector}](V0.md) [[{vector}]] [[{NAMES[0]}]]

> [!note] {vector}
> callout

```mermaid
graph TD; A["{vector}"]
```

${vector}$
"""
        path = root / "Owasp" / f"V{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "Owasp" / "evil.svg").write_text(EVIL_SVG, encoding="utf-8")
    for name in NAMES:
        (root / "Owasp" / f"{name}.md").write_text(f"{name}\n\n[[V0]]\n", encoding="utf-8")
    return root
