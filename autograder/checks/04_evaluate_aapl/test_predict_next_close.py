"""Public checks of predict_next_close: what it guarantees on the shipped AAPL data.

Each check runs in a fresh sandbox, but a call is made once per grading: dates,
beats_persistence and not_persistence read one call on all of AAPL (the call cache of
engine/student.py); same_seed and no_lookahead read three calls made in one process on the
years from 2006 on (three_runs: the same call twice, really run, and once on a changed copy).
"""

from autograder.engine import check
from autograder.expected.evaluate_aapl import (
    TRAIN_END, assert_beats_persistence, assert_dates, assert_no_lookahead, assert_not_persistence,
    assert_same_seed, shipped_prices, three_runs)

AAPL = shipped_prices("aapl")
AAPL_RECENT = shipped_prices("aapl", start="2006-01-01")


@check("predict_next_close.dates", points=3, timeout=60,
       hint="A Series named 'Predicted Close' in dollars, no NaN, labelled with the day each value "
            "predicts: every date after train_end that has `length` rows before it.")
def test_dates(student):
    assert_dates(student.predict_next_close(AAPL.copy(), TRAIN_END), AAPL, TRAIN_END, 20)


@check("predict_next_close.beats_persistence", points=3, timeout=60,
       hint="Scaled price levels fit on 2000-2010 cannot reach 2011-2013 prices: model a "
            "stationary target (log returns, or the window relative to its last close).")
def test_beats_persistence(student):
    assert_beats_persistence(student.predict_next_close(AAPL.copy(), TRAIN_END), AAPL,
                             TRAIN_END, 20)


@check("predict_next_close.not_persistence", points=1, timeout=60,
       hint="The forecast must be your model's: fit a recurrent model on the rows up to "
            "train_end and turn its output into dollars. Handing in persistence itself (the "
            "previous close) is the baseline, not a forecast.")
def test_not_persistence(student):
    assert_not_persistence(student.predict_next_close(AAPL.copy(), TRAIN_END), AAPL,
                           TRAIN_END, 20)


SEED = 3  # not the default: the seed argument is passed on


@check("predict_next_close.same_seed", points=2, timeout=90,
       hint="Call keras.utils.set_random_seed(seed) first thing in the function: the same inputs "
            "and seed must give the same predictions.")
def test_same_seed(student):
    assert_same_seed(three_runs(student, AAPL_RECENT, TRAIN_END, 20, SEED), SEED)


@check("predict_next_close.no_lookahead", points=4, timeout=90,
       hint="A prediction for day d uses rows before d only: fit scalers on the rows up to "
            "train_end, and end the window for d on the day before d.")
def test_no_lookahead(student):
    assert_no_lookahead(student, AAPL_RECENT, TRAIN_END, 20,
                        three_runs(student, AAPL_RECENT, TRAIN_END, 20, SEED))
