"""What the checks expect, and how they explain a difference: one module per assignment.

    assertions        shared by all: ValueError checks, assert_close with readable messages
    sequence_data     01: the lecture's six-row table, rows that name themselves
    rnn_internals     02: Keras as the reference for the by-hand recurrences, known mistakes
    recurrent_models  03: models as data, compared layer by layer; small tasks to train on
    evaluate_aapl     04: shipped prices, persistence, the guarantees of predict_next_close

Everything here runs in the grader's process; student code only ever receives copies of the
inputs. Keras is imported on first use, so collecting the checks stays fast.
"""
