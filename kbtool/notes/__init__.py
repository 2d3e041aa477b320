"""One note: bytes in, a `Note` out, with no I/O. Frontmatter and its values, the body's
links, headings, blocks and tags (scan/), link text, and the property vocabulary
(types, tags, dates, intervals) that every layer above reads notes with."""
