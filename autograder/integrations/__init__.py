"""Formats other graders read, each made from one GradeResult (see shared INTEGRATIONS.md)."""
