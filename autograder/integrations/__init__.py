"""Formats other graders read, each made from one GradeResult (see docs/integrations.md)."""
