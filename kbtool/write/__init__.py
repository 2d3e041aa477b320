"""The only code that changes files: atomic replacement through checked paths, byte-exact
frontmatter edits, and the guard of an output folder (a marker, a manifest, nothing else
removed)."""
