"""`make bench`: the benchmark of the app on ten years of demo data (see run.py)."""
