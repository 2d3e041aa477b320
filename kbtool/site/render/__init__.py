"""Markdown to safe HTML for the site: the parser, Obsidian's syntax, links, embeds, code."""
