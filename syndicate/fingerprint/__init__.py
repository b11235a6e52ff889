"""Normalise, shingle, MinHash and band-hash article text (``minhash``): numpy and the xxhash binding, no JIT."""
