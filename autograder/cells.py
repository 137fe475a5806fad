"""The three recurrent cells by the names the exercises use: "rnn", "lstm", "gru".

One table for the grader, the probes and the checks, so a name means the same layer everywhere.
"""

from __future__ import annotations

CELL_CLASSES = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}  # name -> keras.layers class
WEIGHT_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}  # kernel is (D, WEIGHT_BLOCKS * H)


def layer_class(cell_type: str):
    """The Keras layer class of ``cell_type`` (case-insensitive); KeyError for other names."""
    from autograder import quiet

    keras = quiet.import_tensorflow()
    return getattr(keras.layers, CELL_CLASSES[cell_type.lower()])
