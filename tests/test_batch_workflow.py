"""The GitHub Actions workflow that grades a class in shards (batch/workflow.py)."""

import pytest
import yaml

from autograder import cli
from autograder.batch import workflow

pytestmark = pytest.mark.unit


def steps(job):
    return {step.get("name", step.get("uses")): step for step in job["steps"]}


def test_matrix_of_shards_then_one_merge(tmp_path):
    """Does `batch-workflow --shards 3` write a workflow whose matrix runs shards 0/3..2/3 of
    one cloned class, uploads each shard's results, and merges them in one last job?"""
    path = tmp_path / "grade-class.yml"
    assert cli.main(["batch-workflow", str(path), "--shards", "3"]) == 0
    spec = yaml.safe_load(path.read_text())
    trigger = spec.get("on", spec.get(True))  # YAML 1.1 reads a bare `on` as true
    assert trigger["workflow_dispatch"]["inputs"]["assignment_id"]["required"] is True
    assert spec["permissions"] == {"contents": "read"}
    jobs = spec["jobs"]
    assert list(jobs) == ["clone", "grade", "merge"]

    clone = steps(jobs["clone"])["Clone the student repositories"]
    assert clone["env"]["GH_TOKEN"] == "${{ secrets.CLASSROOM_TOKEN }}"
    assert "gh classroom clone student-repos" in clone["run"]
    assert steps(jobs["clone"])["Upload the class"]["with"]["name"] == "class"

    grade = jobs["grade"]
    assert grade["needs"] == "clone"
    assert grade["strategy"]["matrix"]["shard"] == [0, 1, 2]
    assert grade["strategy"]["fail-fast"] is False
    run = steps(grade)["Grade shard ${{ matrix.shard }} of 3"]["run"]
    assert "-m autograder grade-batch class --out out --shard \"${{ matrix.shard }}/3\"" in run
    assert steps(grade)["Download the class"]["with"]["name"] == "class"
    upload = steps(grade)["Upload the shard's results"]
    assert upload["if"] == "always()"
    assert upload["with"] == {"name": "results-${{ matrix.shard }}", "path": "out/results/",
                              "if-no-files-found": "ignore"}

    merge = jobs["merge"]
    assert merge["needs"] == ["clone", "grade"]
    assert "always()" in merge["if"]
    download = steps(merge)["Download the shards' results"]["with"]
    assert download == {"pattern": "results-*", "path": "out/results", "merge-multiple": True}
    merge_run = steps(merge)["Merge (grades any student a failed shard left out)"]["run"]
    assert "grade-batch class --out out" in merge_run and "--shard" not in merge_run
    assert steps(merge)["Upload grades, feedback and similarity"]["with"]["name"] == "grades"

    for job in jobs.values():
        assert job["runs-on"] == "ubuntu-latest" and job["timeout-minutes"] <= 360
        for step in job["steps"]:
            if "uses" in step:
                assert step["uses"].split("@")[1] in ("v4", "v5"), step["uses"]


def test_at_least_one_shard(tmp_path, capsys):
    assert cli.main(["batch-workflow", str(tmp_path / "w.yml"), "--shards", "0"]) == 2
    assert "--shards" in capsys.readouterr().err
    with pytest.raises(ValueError):
        workflow.workflow(0)
