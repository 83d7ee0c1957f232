"""The Markdown reference: a table per document, the maps and enums they use, the paths
and why subcollection documents are kept apart, with links that resolve."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche_dev.schemagen import Document, SchemaSet, render_markdown
from mitche_dev.schemagen._markdown import github_slug


@pytest.fixture(scope="module")
def sample_md(sample_schemas) -> str:
    return render_markdown(sample_schemas)


def _rows(text: str, heading: str) -> dict[str, list[str]]:
    """The rows of the first table under a heading, by their first cell."""
    lines = text.splitlines()
    start = lines.index(heading)
    table_start = next(i for i in range(start, len(lines)) if lines[i].startswith("|"))
    rows: dict[str, list[str]] = {}
    for line in lines[table_start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize(
    ("field", "cells"),
    [
        ("`name`", ["string<br>1–120 characters", "yes", "client", "Display name."]),
        (
            "`count`",
            [
                "integer<br>≥ 0, ≤ 1000",
                "no, default `0`",
                "server",
                "A counter kept by the server.",
            ],
        ),
        ("`mood`", ["[Mood](#mood-enum)", 'no, default `"calm"`', "client", "Current mood."]),
        (
            "`channel`",
            ['one of `"sms"`, `"email"`', "yes", "client-create", "Chosen once, on create."],
        ),
        (
            "`gauges`",
            [
                "list of ([Gauge](#gauge-map) or null)<br>at most 3 items",
                "no",
                "client",
                "A list whose items may be null.",
            ],
        ),
        ("`perMood`", ["map of [Mood](#mood-enum) to integer", "no", "server", "Counts per mood."]),
        (
            "`byCode`",
            [
                "map of string to integer<br>at most 10 entries<br>keys match `^[a-z]+$`"
                "<br>keys: 1–8 characters<br>each value: ≥ 0",
                "no",
                "server",
                "Counts by lowercase code.",
            ],
        ),
        (
            "`part`",
            [
                "[TextPart](#textpart-map) or [ImagePart](#imagepart-map)",
                "yes",
                "client",
                "Content, text or image.",
            ],
        ),
        ("`createdAt`", ["timestamp", "yes", "client-create", "When it was created."]),
        ("`place`", ["geopoint or null", "no, default `null`", "client", "Where it is."]),
        ("`authorRef`", ["reference", "yes", "client-create", "The author's profile document."]),
        (
            "`pair`",
            ["list (integer, string)", 'no, default `[0, ""]`', "client", "A fixed-length pair."],
        ),
        (
            "`code`",
            [
                "string<br>at most 8 characters<br>matches `^[A-Z]+$`",
                'no, default `"A"`',
                "client",
                "Upper-case code, a pattern with `*/` in prose.",
            ],
        ),
    ],
)
def test_collection_table_row_per_field(sample_md, field, cells):
    """Each field is a row: type with bounds, required or default, writer, description."""
    assert _rows(sample_md, "## Collection `users`")[field] == cells


def test_subcollection_section_says_why_it_is_apart(sample_md):
    """A subcollection document has its own section, stating why it is kept apart."""
    lines = sample_md.splitlines()
    start = lines.index("### Subcollection `users/{sampleId}/private/secret`")
    assert lines[start + 2] == "**Kept apart because:** Only the owner reads it."
    assert _rows(sample_md, "### Subcollection `users/{sampleId}/private/secret`")["`secret`"] == [
        "string<br>at most 50 characters",
        "yes",
        "server",
        "Hidden from everyone but the owner.",
    ]


def test_paths_table_lists_every_document(sample_md):
    """The paths table names every document path, its type and why it is separate."""
    assert _rows(sample_md, "## Documents and paths") == {
        "`users/{sampleId}`": ["[Sample](#collection-users)", "top-level collection"],
        "`users/{sampleId}/private/secret`": [
            "[SampleSecret](#subcollection-userssampleidprivatesecret)",
            "Only the owner reads it.",
        ],
        "`requests/{otherId}`": ["[Other](#collection-requests)", "top-level collection"],
        "`requests/config`": [
            "[OtherConfig](#document-requestsconfig)",
            "Read by the server only.",
        ],
    }


def test_nested_maps_have_tables_without_writer_column(sample_md):
    """A nested map's table has no writer column: its holder's writer covers it."""
    lines = sample_md.splitlines()
    start = lines.index("### `Gauge` (map)")
    assert lines[start + 4] == "| field | type | required | about |"


def test_enum_values_are_listed_with_their_meaning(sample_md):
    """An enum lists every value, with the member's docstring where it has one."""
    assert _rows(sample_md, "### `Mood` (enum)") == {
        '`"calm"`': ["Nothing to worry about."],
        '`"inAHurry"`': ["Needs attention soon."],
        '`"undocumented"`': [""],
    }


def test_every_link_points_at_a_heading(sample_md):
    """Every in-page link resolves to the anchor GitHub gives one of the headings."""
    anchors = {
        github_slug(line.lstrip("#")) for line in sample_md.splitlines() if line.startswith("#")
    }
    links = set(re.findall(r"\]\(#([^)]+)\)", sample_md))
    assert links
    assert links <= anchors


def test_every_document_links_its_json_schema(sample_md):
    """Each document section links the JSON Schema file of that document."""
    for name in ("users", "users.private.secret", "requests", "requests.config"):
        assert f"[json/{name}.schema.json](json/{name}.schema.json)" in sample_md


def test_header_says_generated(sample_md):
    """The first line is a comment naming the command and asking not to edit."""
    first = sample_md.splitlines()[0]
    assert first.startswith("<!-- Generated by `python -m mitche_dev.schemagen`")
    assert "Do not edit" in first


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Collection `users`", "collection-users"),
        (
            "Subcollection `users/{userId}/private/identity`",
            "subcollection-usersuseridprivateidentity",
        ),
        ("`HopePoints` (map)", "hopepoints-map"),
        ("Nested maps, enums and other types", "nested-maps-enums-and-other-types"),
    ],
)
def test_github_slug(heading, slug):
    """Anchors follow GitHub's rule: lowercase, punctuation dropped, spaces to dashes."""
    assert github_slug(heading) == slug


def _one_field(text: str) -> SchemaSet:
    model = {
        "type": "object",
        "title": "Doc",
        "properties": {"x": {"type": "string", "description": text, "x-writtenBy": "server"}},
    }
    document = Document("users", "users/{userId}", object, None)  # type: ignore[arg-type]
    return SchemaSet((document,), {"Doc": model}, {"users/{userId}": "Doc"}, {})


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("a |\n\\`<>"), max_size=30))
def test_descriptions_never_break_the_table(text):
    """Whatever a description contains, its row keeps exactly the table's five cells."""
    rendered = render_markdown(_one_field(text))
    row = next(line for line in rendered.splitlines() if line.startswith("| `x` |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 6


def test_discriminators_of_tagged_union_members_are_required(sample_md):
    """A tagged union member's discriminator is listed as required, as validation demands."""
    assert _rows(sample_md, "### `TextPart` (map)")["`kind`"][:2] == ['`"text"`', "yes"]


def test_a_field_described_like_its_type_keeps_its_description(sample_md):
    """A field whose docstring pydantic folded into its type's still shows it."""
    rows = _rows(sample_md, "### Subcollection `users/{sampleId}/private/secret`")
    assert rows["`spare`"][-1] == "A nested map with bounded numbers."


def test_a_fixed_document_in_a_collection_is_headed_as_a_document(sample_md):
    """A fixed-id document directly in a collection is a document, not a subcollection."""
    assert "### Document `requests/config`" in sample_md.splitlines()


def test_an_enum_without_member_docs_lists_its_values_inline(sample_md):
    """An enum none of whose members is documented lists its values on one line."""
    lines = sample_md.splitlines()
    start = lines.index("### `Priority` (enum)")
    assert lines[start + 4] == "Values: `1`, `2`."


def test_a_withdrawn_field_shows_its_withdrawal_beside_its_writer():
    """The `written by` cell of a `client-withdraw` field holds the one value a client writes."""
    schemas = _one_field("Approval.")
    prop = schemas.defs["Doc"]["properties"]["x"]
    prop["x-writtenBy"] = "client-withdraw"
    prop["x-withdrawal"] = {"state": "pending", "submittedAt": "serverTimestamp()"}
    row = next(line for line in render_markdown(schemas).splitlines() if line.startswith("| `x` |"))
    assert "client-withdraw (`{state: 'pending', submittedAt: serverTimestamp()}`)" in row
