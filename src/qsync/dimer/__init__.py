"""The anti-PT-symmetric quantum dimer of Eqs. 8 and 25 (Figs. 2, 3; SPEC §5).

- :func:`solve_exact`: exact normalized solution of Eq. 8 in a truncated Fock space, by the
  linear equation propagated block by block in total photon number.
- :func:`solve_closure`: Gaussian moment closure for (n1, n2, c), with blow-up detection.
- :func:`no_jump_sector_weights`: cheap lower bound on the weight of each photon-number sector,
  to judge whether a Fock cutoff can be adequate.
- :mod:`.reference`: the model as QuTiP operators and a plain ``mesolve`` reference.
"""

from .closure import closure_rhs, solve_closure
from .diagnostics import no_jump_sector_weights, sector_effective_hamiltonian, sector_growth_rates
from .model import PAPER_K_VALUES, DimerParams
from .moments import covariance_from_moments
from .quantum import ExactSolver, NumericalBreakdown, solve_exact
from .reference import dimer_operators, initial_state, linear_liouvillian, mesolve_linear

__all__ = [
    "PAPER_K_VALUES",
    "DimerParams",
    "ExactSolver",
    "NumericalBreakdown",
    "closure_rhs",
    "covariance_from_moments",
    "dimer_operators",
    "initial_state",
    "linear_liouvillian",
    "mesolve_linear",
    "no_jump_sector_weights",
    "sector_effective_hamiltonian",
    "sector_growth_rates",
    "solve_closure",
    "solve_exact",
]
