"""Which students' code is most alike (batch/similarity.py)."""

import pytest

from autograder.batch import similarity
from tests import batch_class

pytestmark = pytest.mark.unit

ORIGINAL = '''
def make_windows(features, targets, length):
    """Docstring every student is given."""
    # turn the inputs into arrays
    features = np.asarray(features, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    n = len(features)
    if not 1 <= length < n:
        raise ValueError(f"length must be below {n}")
    X = np.stack([features[i:i + length] for i in range(n - length)])
    return X, targets[length:]
'''

RENAMED = '''
def make_windows(features, targets, length):
    """A docstring rewritten."""
    feats = np.asarray(features,
                       dtype=np.float32)   # same code, other names and layout
    tgts = np.asarray(targets, dtype=np.float32)
    count = len(feats)

    if not 1 <= length < count:
        raise ValueError(f"bad length: {count}")
    windows = np.stack([feats[j:j + length] for j in range(count - length)])
    return windows, tgts[length:]
'''

OWN_WORK = '''
def make_windows(features, targets, length):
    data = pd.DataFrame(features).to_numpy(dtype="float32")
    out_x, out_y = [], []
    for start in range(0, data.shape[0] - length):
        out_x.append(data[start:start + length])
        out_y.append(np.float32(np.asarray(targets)[start + length]))
    if not out_x:
        raise ValueError("length")
    return np.array(out_x), np.array(out_y)
'''

STUB = '''
def make_windows(features, targets, length):
    """Cut windows."""
    ### BEGIN SOLUTION
    raise NotImplementedError()
'''


def tokens(source):
    return similarity.normalised_tokens(source, "make_windows")


def test_names_comments_layout_and_literals_do_not_count():
    """Is a copy with other variable names, comments, docstring, line breaks and string
    literals the same code? Attribute names (library calls) are kept."""
    assert tokens(ORIGINAL) == tokens(RENAMED)
    assert "asarray" in tokens(ORIGINAL) and "LIT" in tokens(ORIGINAL)
    assert "features" not in tokens(ORIGINAL)


def test_stubs_and_missing_definitions_are_not_evidence():
    assert tokens(STUB) is None
    assert tokens("def other():\n    return 1\n") is None
    assert tokens("def make_windows(:\n") is None


def test_a_renamed_copy_ranks_above_own_work():
    """Among a class, is the renamed copy of the reference the top pair, own work below the
    threshold, and the stub left out?"""
    code = {"reference": tokens(ORIGINAL), "copycat": tokens(RENAMED),
            "honest": tokens(OWN_WORK)}
    scores = {(a, b): similarity.jaccard(similarity.shingles(code[a]), similarity.shingles(code[b]))
              for a in code for b in code if a < b}
    assert scores["copycat", "reference"] == 1.0
    assert scores["honest", "reference"] < 0.3
    pairs = similarity.similar_pairs(code, 0.5)
    assert [(a, b) for a, b, _, _ in pairs] == [("reference", "copycat")]
    assert pairs[0][2] == 1.0 and pairs[0][3] == len(code["copycat"])


def test_notebooks_of_the_test_class(tmp_path):
    """On real notebooks: does the renamed copy of the reference score 1 on every function,
    does the mistake differ on make_windows alone, and do the stubs give nothing?"""
    batch_class.write_class(tmp_path)
    from autograder.course import reference_notebook

    sources = {"reference": similarity.notebook_source(reference_notebook("01_sequence_data"))}
    for student in ("eve", "cam", "ben"):
        folder = batch_class.tree_of(tmp_path, student) / batch_class.ASSIGNMENT
        notebook = folder / batch_class.NOTEBOOK
        sources[student] = similarity.notebook_source(notebook)
    code = similarity.class_code(sources, batch_class.FUNCTIONS)
    for function in batch_class.FUNCTIONS:
        assert "ben" not in code[function]
        pairs = similarity.similar_pairs(code[function], 0.8)
        top = {(a, b) for a, b, score, _ in pairs if score == pairs[0][2]}
        assert ("reference", "eve") in top and pairs[0][2] == 1.0, function
    windows = similarity.similar_pairs(code["make_windows"], 0.0)
    assert windows[0][:2] == ("reference", "eve")
    assert all(score < 1.0 for a, b, score, _ in windows if "cam" in (a, b))
