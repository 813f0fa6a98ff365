"""Fig. 3: D at t_final over the (k, Δω) plane.

- :mod:`.quantum`: the quantum dimer (Eq. 8), each |k| solved once (k → −k symmetry).
- :mod:`.classical`: the classical stochastic Stuart–Landau dimer.
- :mod:`.gather`: chunk files combined into one grid.

The package imports nothing itself, so a rule's code inputs are exactly the submodules its
script uses.
"""
