"""The only code that changes notes: atomic replacement through checked paths, byte-exact
frontmatter edits, and the check of where an output may go. (The site's output folder,
with its marker and manifest, is the site's own: kbtool.site.output.)"""
