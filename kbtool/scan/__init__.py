"""The body scanner (see `kbtool.scan.scanner`): its public API, importable as `kbtool.scan`."""

from kbtool.scan.scanner import BodyScan, Region, RegionKind, scan_body, scan_regions

__all__ = ["BodyScan", "Region", "RegionKind", "scan_body", "scan_regions"]
