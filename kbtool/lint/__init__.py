"""Rules to diagnostics: the registry (one rule per module in rules/), the engine that
selects and suppresses, the schema pass, fixes, rule docs, and the output formats.

Named `lint`, not `check`, so that `kbtool.check` can stay the library's function."""
