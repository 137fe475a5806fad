"""Hidden checks of predict_next_close on other tickers, another train_end and length."""

from autograder.engine import check
from autograder.expected.evaluate_aapl import assert_dates, assert_no_lookahead, shipped_prices

# Four and a half years each: enough rows on both sides of train_end for the point of each check
# (no look-ahead, the dates of another length), few enough that a call trains in about a second.
MSFT_RECENT = shipped_prices("msft", start="2009-01-01")
IBM = shipped_prices("ibm", start="2008-01-01")


@check("predict_next_close.no_lookahead_msft", points=3, timeout=60,
       hint="No look-ahead on any ticker: scale with statistics of the rows up to train_end "
            "only, and predict day d from rows before d.")
def test_no_lookahead_msft(student):
    assert_no_lookahead(student, MSFT_RECENT, "2011-06-30", 10)


@check("predict_next_close.dates_ibm", points=2, timeout=60,
       hint="Use train_end and length as given (no dates or window length written into the "
            "function): every date after train_end with `length` rows before it.")
def test_dates_ibm(student):
    assert_dates(student.predict_next_close(IBM.copy(), "2012-06-29", length=30), IBM,
                 "2012-06-29", 30)
