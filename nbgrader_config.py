# nbgrader's course layout for this repository: solutions/ is the source, assignments/ the release.
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# Student copies hold no outputs and no execution counts, like the committed sources.
c.ClearOutput.enabled = True
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True
c.Exchange.root = ".nbgrader-exchange"
