"""Fuzz targets for the parsers that read untrusted note text (issue 8): run with
`python -m fuzz.run --seconds 60`; see fuzz/run.py."""
