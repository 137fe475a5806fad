# nbgrader's course layout for this repository: solutions/ is the source, assignments/ the release.
import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))  # the folder of this file
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# Student copies hold no outputs and no execution counts, like the committed sources.
c.ClearOutput.enabled = True
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True
c.Exchange.root = ".nbgrader-exchange"
# autograde runs every notebook top to bottom in a kernel, each cell within Execute.timeout
# seconds. nbgrader's default, 30 s, dropped whole submissions on a busy machine ("Removing
# failed assignment": the TensorFlow import cell alone took 47 s), and a check("f") cell runs
# every check of f, hidden ones included. The slowest cell of the four reference notebooks took
# 41 s on two cores loaded six-fold (docs/integrations.md); 300 s leaves seven times that, and
# a student's endless loop still ends there.
c.Execute.timeout = 300
c.Execute.startup_timeout = 180  # starting a kernel under load (nbclient's default: 60 s)
