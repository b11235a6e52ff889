"""What users read out of the database: ``query`` (copies, origins, top),
``diff``, ``report``, ``export``, and ``display`` (crawled text made safe to show).
"""
