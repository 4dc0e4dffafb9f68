"""frontwatch: a sourced, dated, geocoded record of armed-conflict events and territorial control, read from news."""

__version__ = "0.1.0"
