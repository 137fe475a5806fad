"""Auto-grader of the RNN course: release notebooks, grade submissions, report scores.

The flow, one module each: ``release`` (solutions -> assignments), ``submission`` (a notebook
-> its definitions), ``sandbox`` (run them fenced), ``checks`` (pytest checks with points and
hints), ``grading`` (run the checks on a submission), ``report`` (table, JSON, integrations).
Students use ``autograder.selfcheck`` from inside their notebooks.
"""

__version__ = "0.1.0"
