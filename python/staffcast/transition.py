"""The transition (Markov manpower) model: states and yearly transition probabilities,
given or estimated from the register, with projections and the fundamental matrix
(docs/models.md). Part of the cohort engine of :mod:`staffcast.models`."""

from __future__ import annotations

import html
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from .register import DateLike, Register, _iso
from .statistics import AgeBands, _by, _filters

__all__ = ["TransitionModel"]


class TransitionModel:
    """A Markov manpower model: states and yearly transition probabilities (docs/models.md).

    ``P[i, j]`` is the probability that a person in state i at the start of a
    year is in state j at its end; 1 − row sum is the exit probability. Rows
    summing above 1 + 1e-9, negative or non-finite entries, a non-square P or
    a state count mismatch raise ``ValueError``. A singular I − P (some states
    never exit, e.g. P = I) is allowed for projections; the functions built on
    N = (I − P)⁻¹ raise ``ValueError`` for it.

    Example:
        >>> m = sc.TransitionModel(["junior", "senior"], [[0.6, 0.2], [0.1, 0.7]])
        >>> m.fundamental_matrix()          # [[3, 2], [1, 4]]
        >>> m.expected_tenure("junior")     # 5.0
        >>> m.project({"junior": 100, "senior": 50}, years=3, recruits="hold")
    """

    def __init__(self, states: Sequence[Any], P: Any) -> None:
        names = [str(s) for s in states]
        if isinstance(P, pd.DataFrame):
            if set(map(str, P.index)) == set(names) == set(map(str, P.columns)) and len(P.index) == len(names):
                P = P.set_axis(list(map(str, P.index)), axis=0).set_axis(list(map(str, P.columns)), axis=1)
                P = P.loc[names, names]
            P = P.to_numpy()
        matrix = np.asarray(P, dtype="float64")
        if matrix.ndim != 2:
            raise ValueError("P must be a square matrix (rows = from, columns = to)")
        self._core = _core.TransitionModel(names, matrix)
        self.counts: Optional[pd.DataFrame] = None
        self.persons: Optional[pd.Series] = None
        self.exits: Optional[pd.Series] = None

    # -- construction from the register

    @classmethod
    def from_register(cls, register: Register, start: DateLike, end: DateLike,
                      states: Union[str, Sequence[str]] = "department", *, age_bands: AgeBands = None,
                      extracted_on: Optional[DateLike] = None, **filters: Any) -> "TransitionModel":
        """P estimated from the register between two dates.

        A person's state on a day is their main spell's value of ``states`` (a
        dimension such as ``"department"``, ``"position"``, ``"age_band"`` or a
        pass-through column; several are joined by ``", "``), among the spells
        passing the filters. P[i, j] = the share of the persons in state i on
        ``start`` who are in state j on ``end``; those no longer in the
        (filtered) population on ``end`` exited. The states are every value
        seen on either day (a state with nobody on ``start`` has a zero row).
        For yearly probabilities take ``end`` one year after ``start``. The
        counts behind P are kept in ``.persons`` (per state on ``start``),
        ``.counts`` (from × to) and ``.exits``.

        Example:
            >>> m = sc.TransitionModel.from_register(reg, "2023-09-30", "2024-09-30", states="position",
            ...                                      employment_form="permanent")
            >>> m.P, m.exits
        """
        if not isinstance(register, Register):
            raise TypeError(f"expected a staffcast.Register, got {type(register).__name__}")
        bands = age_bands if age_bands is None or isinstance(age_bands, str) else [int(e) for e in age_bands]
        raw = _core.estimate_transitions(register._core, _iso(start), _iso(end), _by(states), _filters(filters),
                                         age_bands=bands, extracted_on=_iso(extracted_on))
        names = list(raw["states"])
        model = cls(names, raw["P"])
        model.persons = pd.Series(raw["persons"], index=names, name="persons")
        model.counts = pd.DataFrame(raw["counts"], index=pd.Index(names, name="from"),
                                    columns=pd.Index(names, name="to"))
        model.exits = pd.Series(raw["exits"], index=names, name="exits")
        return model

    # -- the model

    @property
    def states(self) -> list[str]:
        """The state names, in the order of P's rows and columns."""
        return list(self._core.states)

    @property
    def P(self) -> pd.DataFrame:
        """The transition matrix (index = from, columns = to).

        Example:
            >>> sc.TransitionModel(["a"], [[0.9]]).P
        """
        return pd.DataFrame(self._core.matrix, index=pd.Index(self.states, name="from"),
                            columns=pd.Index(self.states, name="to"))

    @property
    def exit_probabilities(self) -> pd.Series:
        """1 − row sum per state.

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).exit_probabilities   # 0.2, 0.2
        """
        return pd.Series(self._core.exit_probabilities, index=self.states, name="exit_probability")

    @property
    def transient(self) -> bool:
        """True when every state eventually exits (I − P is invertible, so N exists).

        Example:
            >>> sc.TransitionModel(["a", "b"], np.eye(2)).transient   # False: nobody ever leaves
        """
        return bool(self._core.transient)

    def _vector(self, values: Any, name: str) -> np.ndarray:
        """Per-state values from a sequence (model order), a dict or Series (missing states = 0)."""
        if isinstance(values, (Mapping, pd.Series)):
            items = dict(values.items())
            unknown = [k for k in items if str(k) not in self.states]
            if unknown:
                raise ValueError(f"{name}: unknown state(s) {', '.join(map(str, unknown))}")
            lookup = {str(k): v for k, v in items.items()}
            return np.array([float(lookup.get(s, 0.0)) for s in self.states], dtype="float64")
        array = np.asarray(values, dtype="float64")
        if array.ndim != 1 or len(array) != len(self.states):
            raise ValueError(f"{name} must have one value per state ({len(self.states)})")
        return array

    def project(self, stocks: Any, years: int = 1, recruits: Any = None, target: Any = None) -> pd.DataFrame:
        """Projects stocks ``years`` years ahead.

        Each year the stocks n become n·P, then recruits join at year end:
        ``recruits=None`` (none), a per-state vector or dict (the same every
        year), or ``"hold"``: r = max(0, target − n·P) with ``target`` (default:
        the start stocks). Per year and state: ``exits`` = n_i·(1 − Σ_j P_ij),
        ``moves_out`` = n_i·Σ_{j≠i} P_ij, ``moves_in`` = Σ_{i≠j} n_i·P_ij,
        ``end`` = n·P + recruits, so start − exits − moves_out + moves_in +
        recruits = end. Columns: ``year, state, start, exits, moves_out,
        moves_in, recruits, end`` (year = 1..years).

        Example:
            >>> m = sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]])
            >>> m.project([100, 50], years=2, recruits={"a": 30})
        """
        n = self._vector(stocks, "stocks")
        if isinstance(recruits, str):
            if recruits != "hold":
                raise ValueError("recruits must be None, a value per state, or 'hold'")
            raw = self._core.project(n, int(years), "hold",
                                     None if target is None else self._vector(target, "target"))
        elif recruits is None:
            if target is not None:
                raise ValueError("target is used with recruits='hold'")
            raw = self._core.project(n, int(years), "none", None)
        else:
            raw = self._core.project(n, int(years), "fixed", self._vector(recruits, "recruits"))
        names = np.asarray(self.states, dtype=object)
        frame = pd.DataFrame({
            "year": raw["year"].astype("int64"),
            "state": names[raw["state"].astype("int64")],
            **{c: raw[c] for c in ("start", "exits", "moves_out", "moves_in", "recruits", "end")},
        })
        frame.attrs["staffcast"] = {"table": "transition_projection",
                                    "kinds": {"year": "key", "state": "key",
                                              **{c: "number" for c in ("start", "exits", "moves_out", "moves_in",
                                                                       "recruits", "end")}}}
        return frame

    def fundamental_matrix(self) -> pd.DataFrame:
        """N = (I − P)⁻¹: N[i, j] = expected years in state j for a person now in state i.

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).fundamental_matrix()
        """
        return pd.DataFrame(self._core.fundamental_matrix(), index=self.states, columns=self.states)

    def expected_tenure(self, state: Any) -> float:
        """Expected years until exit for a person now in ``state`` (row sum of N).

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).expected_tenure("a")   # 5.0
        """
        return float(self._core.expected_tenure(str(state)))

    def reach_probability(self, from_state: Any, to_state: Any) -> float:
        """Probability of ever reaching ``to_state`` from ``from_state`` before exiting: N_ij / N_jj (1 when i = j).

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).reach_probability("a", "b")   # 0.5
        """
        return float(self._core.reach_probability(str(from_state), str(to_state)))

    def steady_state(self, recruits: Any) -> pd.Series:
        """The stocks that ``recruits`` per year (joining at year end) sustain: n* = r·(I − P)⁻¹.

        n* is the fixed point of the projection: n*·P + r = n*.

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).steady_state([10, 5])   # 35, 40
        """
        r = self._vector(recruits, "recruits")
        return pd.Series(self._core.steady_state(r), index=self.states, name="steady_state")

    def __repr__(self) -> str:
        return f"<staffcast.TransitionModel {len(self.states)} states: {', '.join(self.states[:6])}" + \
            (", ..." if len(self.states) > 6 else "") + ">"

    def _repr_html_(self) -> str:
        p = self.P
        p["exit"] = self.exit_probabilities.to_numpy()
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in p.columns)
        body = "".join(f"<tr><th>{html.escape(str(i))}</th>" + "".join(f"<td>{v:.3f}</td>" for v in row) + "</tr>"
                       for i, row in zip(p.index, p.to_numpy()))
        return (f"<div><strong>staffcast TransitionModel</strong> (rows: from, columns: to)"
                f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></div>")
