"""quizbot's benchmark suite: ``python -m benchmarks`` (``--quick`` for the under-a-minute version).

Every figure is printed next to a baseline measured in the same run on the same machine, and the ratio
between them is what the targets constrain. See :mod:`benchmarks.suite` for the list and how to add one.
"""
