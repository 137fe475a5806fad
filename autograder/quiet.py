"""Keep TensorFlow's chatter off stderr: students read hints, not C++ log lines.

``silence_tensorflow()`` sets the environment and loggers before the first ``import tensorflow``
of a process; ``import_tensorflow()`` also imports it with file descriptor 2 pointed at
/dev/null, because TF 2.21 writes absl's pre-initialisation lines ("Could not find cuda
drivers") whatever TF_CPP_MIN_LOG_LEVEL says. Stderr never decides a grade; this only keeps
the grader's and the notebook's output readable.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings

QUIET_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO, WARNING and ERROR logs
    "KERAS_BACKEND": "tensorflow",
    "CUDA_VISIBLE_DEVICES": "",  # no GPU probing messages
}
# Same submission, same score: no CPU-dependent oneDNN kernels, no per-process hash order.
DETERMINISTIC_ENVIRONMENT = {
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONHASHSEED": "0",
}
GRADING_ENVIRONMENT = QUIET_ENVIRONMENT | DETERMINISTIC_ENVIRONMENT


def silence_tensorflow() -> None:
    """Quiet, deterministic TensorFlow for this process (before its first import)."""
    for key, value in GRADING_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    for module in ("tensorflow", "keras", "absl", "google.protobuf"):
        warnings.filterwarnings("ignore", module=module)
    try:  # absl writes "WARNING: All log messages before absl::InitializeLog()" otherwise
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:
        pass


@contextlib.contextmanager
def stderr_to_devnull():
    """Point file descriptor 2 at /dev/null for the block (C++ code writes there directly)."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow():
    """Import TensorFlow and Keras once, silently; return the keras module."""
    silence_tensorflow()
    if "tensorflow" not in sys.modules:
        with stderr_to_devnull():
            import tensorflow  # noqa: F401
            import keras  # noqa: F401
    import keras

    return keras
