"""Personal on/off experiments (n-of-1 trials): the block schedule (design.py, pure)."""
