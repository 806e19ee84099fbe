"""The level above's aggregation: combining rules (combine.py), the result (model.py) and the summary
report built from it (summary.py). Queries live in services/aggregation.py."""
