"""Keep TensorFlow's chatter off stderr: students read hints, not C++ log lines.

Call ``silence_tensorflow()`` before the first ``import tensorflow`` of a process. Stderr never
decides a grade; this only keeps the grader's and the notebook's output readable.
"""

from __future__ import annotations

import logging
import os
import warnings

QUIET_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO, WARNING and ERROR logs
    "TF_ENABLE_ONEDNN_OPTS": "0",  # also makes float results independent of CPU features
    "KERAS_BACKEND": "tensorflow",
    "PYTHONHASHSEED": "0",
    "CUDA_VISIBLE_DEVICES": "",  # no GPU probing messages
}


def silence_tensorflow() -> None:
    for key, value in QUIET_ENVIRONMENT.items():
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
