"""The version, in the lowest layer: every layer may print it, and `import kbtool` re-exports it."""

__version__ = "0.1.0"
