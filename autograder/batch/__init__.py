"""Grading a whole class: ``python -m autograder grade-batch CLASS --out OUT`` (docs/grader.md).

One module per job, in the order a batch uses them:

- ``roster``: the students of CLASS and the tree ``grade`` accepts for each (a student
  repository, nbgrader's ``submitted/<student>/<assignment>/``), and the stable shard split;
- ``digest``: what a result was graded from (the notebook's bytes, the checks' files), so an
  unchanged student is not graded again;
- ``store``: OUT/results/<student>.json, written atomically, and OUT/grades.csv built from them;
- ``workers``: grading processes that each keep one warm sandbox for every student they grade,
  and the time budget that bounds one submission;
- ``worker``: what runs inside such a process;
- ``progress``: a progress bar on a terminal, one line per student in CI logs;
- ``coordinator``: the batch itself: plan, hand out, store, then write the class outputs;
- ``feedback``: OUT/feedback/<student>.md and .html, the words a student reads;
- ``similarity``: OUT/similarity.csv, pairs of students whose code is most alike;
- ``workflow``: a GitHub Actions workflow that runs the shards as a matrix and merges them.

Importing this package costs nothing: TensorFlow is imported only inside the workers.
"""
