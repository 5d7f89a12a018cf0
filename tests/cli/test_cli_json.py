"""validate --json writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli import validate_json

scalar = st.one_of(st.none(), st.text(), st.sampled_from(['"', "\\", "\u2028", "\x00\x1f\x7f", "é—😀", "\ud800"]),
                   st.integers(), st.booleans(), st.floats())
problem = st.dictionaries(st.sampled_from(["severity", "code", "file", "line", "agent", "message", "é\n\""]),
                          scalar, max_size=7)


@settings(max_examples=300, deadline=None)
@given(agents=st.integers(min_value=0), problems=st.lists(problem, max_size=5))
def test_the_same_text_as_json_dumps(agents, problems):
    assert validate_json(agents, problems) == json.dumps({"agents": agents, "problems": problems}, indent=2,
                                                         ensure_ascii=False)


def test_a_value_that_is_not_a_scalar_is_written_as_json_dumps_writes_it():
    problems = [{"code": "x", "line": 3}, {"code": ["a", {"b": None}], "line": None}]
    assert validate_json(2, problems) == json.dumps({"agents": 2, "problems": problems}, indent=2, ensure_ascii=False)
