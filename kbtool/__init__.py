"""kbtool: check, graph, index and schedule reviews of Markdown knowledge vaults."""

from kbtool.base.version import __version__

__all__ = ["__version__"]
