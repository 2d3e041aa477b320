"""One module per rule; each registers itself with `kbtool.registry.rule`."""
