"""The static site of a vault: `kbtool build`.

A consumer of the vault like check, graph and index: it reads the loaded
`Vault` and renders every link through the vault's one `Resolver`, so a link
that `check` accepts lands where Obsidian would take it, and one that `check`
reports is inert text on the page.

- `urls`: one stable, readable URL per note, attachment and site page;
- `render/`: Markdown to safe HTML (links, embeds, callouts, code, math);
- `pages`: what a page shows besides its body (properties, backlinks, tags, folders);
- `search`: the sharded static search index;
- `output`: the output-folder guard, the manifest and atomic writes;
- `builder`: all of the above, page by page.
"""
