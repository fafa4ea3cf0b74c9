"""bench/baseline.py's bare syncLead app as a module-level WSGI `app`, for servers that import one
(granian in bench/front_ends.py)."""

from bench.baseline import make_baseline_app
from mockmarketo.config import DEFAULT_SECRET_KEY

app = make_baseline_app(DEFAULT_SECRET_KEY)
