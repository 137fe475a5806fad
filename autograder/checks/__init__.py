"""Graded checks, and nothing else: one folder per assignment, named like the assignment folder.

    autograder/checks/01_sequence_data/test_make_windows.py          public checks
    autograder/checks/01_sequence_data/hidden/test_hidden_windows.py hidden checks

How a check is written and run: ``autograder.engine``. What the checks of an assignment
compare against and how they name a mistake: ``autograder.expected.<assignment name>``.
``python -m autograder checks`` lists every check with its points and hint.
"""
