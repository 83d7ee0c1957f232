"""Google API errors are translated once, at the boundary, to Mitché errors."""

from __future__ import annotations

import pytest
from google.api_core import exceptions as google_errors

from mitche.errors import MitcheError
from mitche.services import TRANSLATED, translate_errors


@pytest.mark.parametrize(("upstream", "ours"), list(TRANSLATED.items()))
def test_every_handled_upstream_error_is_translated(
    upstream: type[google_errors.GoogleAPICallError], ours: type[MitcheError]
) -> None:
    """Each Google error a handler acts on comes out as its Mitché error, with the original as
    the cause and the context in the message."""
    original = upstream("the document already exists")
    with pytest.raises(ours) as caught, translate_errors("offering transaction"):
        raise original
    assert caught.value.__cause__ is original
    assert caught.value.message.startswith("offering transaction: ")


def test_transient_errors_pass_through_untouched() -> None:
    """An unavailable backend is not translated, so the runtime sees a retryable failure."""
    original = google_errors.ServiceUnavailable("try again")
    with pytest.raises(google_errors.ServiceUnavailable) as caught, translate_errors("x"):
        raise original
    assert caught.value is original
