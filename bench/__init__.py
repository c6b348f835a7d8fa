"""Load benchmark: bulk-seeds PostgreSQL to production size, then measures the hot paths.

Run `python -m bench --help`; see bench/README.md for what it prints and why.
"""
