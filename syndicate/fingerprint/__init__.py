"""Normalise, shingle, MinHash and band-hash article text (``minhash``), with a compiled XXH3 (``xxh3``).
"""
