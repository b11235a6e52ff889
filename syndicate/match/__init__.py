"""From fingerprints to syndication: candidates and verification (``candidates``,
reading the sorted band copy of ``bandindex``), site template lines set aside
(``boilerplate``), template-written stories told apart (``templates``),
clusters (``cluster``) and the origin of each cluster (``origin``).
"""
