"""frontwatch: a sourced, dated, geocoded record of armed-conflict events and territorial control, read from news."""

from frontwatch import torch_guard

__version__ = "0.1.0"

torch_guard.install()  # before anything imports spaCy: see torch_guard
