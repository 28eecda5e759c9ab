"""What-if simulation on the real engine: a process definition, a scenario of arrivals,
durations, branch probabilities and people, a virtual clock, and the [audit] metrics of what
happened (:func:`simulate`); two variants on the same random streams (:func:`compare`).

The modules: :mod:`~wfengine.simulation.scenario` (the YAML),
:mod:`~wfengine.simulation.distributions` and :mod:`~wfengine.simulation.calendar` (what it
draws and when people work), :mod:`~wfengine.simulation.binding` (the scenario checked
against the process), :mod:`~wfengine.simulation.simulator` (one run on the engine),
:mod:`~wfengine.simulation.people` (the simulated people), :mod:`~wfengine.simulation.report`
(the figures) and :mod:`~wfengine.simulation.experiments` (replications and comparisons).
"""

from wfengine.simulation.calendar import WorkingCalendar
from wfengine.simulation.distributions import ScenarioError
from wfengine.simulation.experiments import VariantError, compare, simulate
from wfengine.simulation.report import Comparison, Estimate, SimulationReport
from wfengine.simulation.scenario import Scenario

__all__ = [
    "Comparison",
    "Estimate",
    "Scenario",
    "ScenarioError",
    "SimulationReport",
    "VariantError",
    "WorkingCalendar",
    "compare",
    "simulate",
]
