"""From fingerprints to syndication: candidates and verification (``candidates``),
site template lines set aside (``boilerplate``), clusters (``cluster``) and the
origin of each cluster (``origin``).
"""
