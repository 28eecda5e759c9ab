"""validate() never raises, whatever shape the model has: random small graphs, dangling ends,
repeated Ids, broken references and expressions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.definition.test_validation import (  # noqa: F401  (_no_check_crashes: autouse)
    _no_check_crashes,
)
from wfengine.definition.diagnostics import CODES, Diagnostic
from wfengine.definition.model import (
    Activity,
    ActivityBody,
    ActivitySet,
    BlockActivity,
    Condition,
    ConditionType,
    Event,
    EventPosition,
    GatewayType,
    Join,
    NoImplementation,
    Package,
    Route,
    Split,
    StandardLoop,
    SubFlowImplementation,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.validation import validate

#: a small alphabet, so Ids collide and transitions sometimes name nothing
IDS = st.sampled_from(["a", "b", "c", "d", "e", "f"])
TEXTS = st.sampled_from(["x > 1", "x >", "", "  ", "unknown_name", "a && !b", "f(", "True"])
GATEWAYS = st.sampled_from(list(GatewayType))

bodies: st.SearchStrategy[ActivityBody] = st.one_of(
    st.just(NoImplementation()),
    st.builds(Route, gateway_type=st.none() | GATEWAYS),
    st.builds(Event, position=st.sampled_from(list(EventPosition)), target=st.none() | IDS),
    st.builds(BlockActivity, activity_set_id=IDS, start_activity_id=st.none() | IDS),
    st.builds(SubFlowImplementation, process_id=IDS, actual_parameters=st.lists(TEXTS).map(tuple)),
)

activities = st.builds(
    Activity,
    id=IDS,
    body=bodies,
    performers=st.lists(IDS | TEXTS, max_size=2).map(tuple),
    join=st.none() | st.builds(Join, type=GATEWAYS),
    split=st.none()
    | st.builds(Split, type=GATEWAYS, transition_refs=st.lists(IDS, max_size=3).map(tuple)),
    loop=st.none() | st.builds(StandardLoop, condition=st.none() | TEXTS),
)

transitions = st.builds(
    Transition,
    id=IDS,
    from_=IDS,
    to=IDS | st.just("nowhere"),
    condition=st.none()
    | st.builds(Condition, type=st.none() | st.sampled_from(list(ConditionType)), expression=TEXTS),
)

activity_sets = st.builds(
    ActivitySet,
    id=IDS,
    activities=st.lists(activities, max_size=4).map(tuple),
    transitions=st.lists(transitions, max_size=5).map(tuple),
    default_start_activity_id=st.none() | IDS,
)

processes = st.builds(
    WorkflowProcess,
    id=IDS,
    activities=st.lists(activities, max_size=7).map(tuple),
    transitions=st.lists(transitions, max_size=10).map(tuple),
    activity_sets=st.lists(activity_sets, max_size=2).map(tuple),
)

packages = st.builds(
    Package,
    id=st.just("pkg"),
    workflow_processes=st.lists(processes, max_size=3).map(tuple),
    source_version=st.sampled_from([None, "1.0", "2.1"]),
)


@given(packages)
def test_validate_never_raises_and_only_uses_catalogued_codes(package: Package) -> None:
    found = validate(package)
    assert all(isinstance(d, Diagnostic) and d.code in CODES for d in found)
    assert validate(package) == found  # deterministic
