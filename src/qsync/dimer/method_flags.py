"""Which method produced a point of a large-N result (``method_used``): the flag codes that the
solvers write and the figures and summaries read, in one light module (NumPy-free) so that
reading them does not import the solvers."""

__all__ = ["METHOD_NONE", "METHOD_EXACT", "METHOD_SADDLE", "FLAG_ATTRS"]

#: no solution (the saddle's continuation failed)
METHOD_NONE = -1
#: the exact block-Fock solver
METHOD_EXACT = 0
#: the leading-order large-N saddle
METHOD_SADDLE = 1
#: CF-convention attributes of a ``method_used`` variable
FLAG_ATTRS = {"flag_values": [METHOD_NONE, METHOD_EXACT, METHOD_SADDLE],
              "flag_meanings": "none exact saddle"}
