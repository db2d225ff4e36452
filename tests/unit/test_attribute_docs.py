"""Settings descriptions are read from the source only when ``config init`` asks; they must
be what pydantic's ``use_attribute_docstrings`` gave when it read them at every start."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from console.config import Settings, section_models
from console.config_file import attribute_docstrings
from console.tui.ui_state import LayoutChoice, UIState

MODELS: list[type[BaseModel]] = [Settings, *section_models().values(), UIState, LayoutChoice]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_field_has_the_description_pydantic_read(model: type[BaseModel]) -> None:
    # pydantic's own reader (what ``use_attribute_docstrings`` ran at class creation)
    from pydantic._internal._docs_extraction import extract_docstrings_from_cls

    expected = extract_docstrings_from_cls(model, use_inspect=True)
    assert attribute_docstrings(model) == expected
    assert set(expected) <= set(model.model_fields)


def test_the_example_settings_file_still_explains_each_setting() -> None:
    from console.config_file import example_config

    text = example_config()
    assert "# Seed of the synthetic market: the same seed gives the same market." in text
    assert attribute_docstrings(int) == {}
