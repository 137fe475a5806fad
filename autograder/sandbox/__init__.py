"""Run student code apart from the grader: a fork server, fenced children, a data-only wire."""
