"""Many notes: find and load them (with the parse cache), resolve their links the way
Obsidian does, index their headings and blocks, suggest names, build the link graph."""
