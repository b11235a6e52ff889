"""Engines that run the stages over a corpus: ``local`` (worker processes on one
machine) and ``spark`` (the same library functions as Spark tasks).
"""
