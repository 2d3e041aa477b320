"""kbtool: check, graph, index and schedule reviews of Markdown knowledge vaults."""

__version__ = "0.1.0"
