"""Summaries the bench scripts share (tests/bench/run-*-bench.py)."""
import statistics


def stat3(values):
    """min, median and max of the samples that came back, and how many
    did: a lost run is None and is counted out, never hidden."""
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"min": min(v), "median": statistics.median(v), "max": max(v),
            "runs": len(v)}
