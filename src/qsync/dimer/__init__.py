"""The anti-PT-symmetric quantum dimer of Eqs. 8 and 25 (Figs. 2, 3; SPEC §5).

- :mod:`.model`: the parameters (:class:`~.model.DimerParams`) and the bath rates.
- :mod:`.operators`: H0, Hc, the jump operators and the initial state in a truncated Fock space.
- :mod:`.blocks`, :mod:`.quantum`, :mod:`.expmv`: the exact solution of Eq. 8 in a truncated
  Fock space, the linear equation propagated block by block in total photon number.
- :mod:`.closure`: Gaussian moment closure for (n1, n2, c), with blow-up detection.
- :mod:`.saddle`: the large-photon-number limit, the leading-order saddle of the Husimi
  function (issue 12), valid after the undamped divergence time t*.
- :mod:`.moments`: D, χ, L and the covariance from the moments (n1, n2, c).
- :mod:`.diagnostics`: a cheap lower bound on the weight of each photon-number sector.
- :mod:`.runs`: one run from the workflow's parameters.
- :mod:`.reference`: a plain QuTiP ``mesolve`` of the full Liouvillian, for tests.

The package imports nothing itself, so importing one submodule loads only what that submodule
needs (the workflow computes each rule's code inputs from these imports).
"""
