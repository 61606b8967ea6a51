"""The analyst report: ``build_report`` writes the folder an analyst sends."""

from graphkit.report.build import Report, build_report

__all__ = ["Report", "build_report"]
