"""Extract the article body, its metadata and the evidence of its source from one page.

``article`` is the extraction itself; ``evidence`` reads source links, credits
and canonicals; ``worker`` is what a worker process runs on each page.
"""
