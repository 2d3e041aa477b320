"""One module per rule; each registers itself with `kbtool.lint.registry.rule`."""
