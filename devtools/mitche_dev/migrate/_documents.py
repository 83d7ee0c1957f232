"""Documents named by a path template (`users/{userId}`, `users/{userId}/private/account`),
read page by page in path order (or by a field, then path) so that a run can stop anywhere and
resume after a path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.field_path import FieldPath

__all__ = [
    "Page",
    "Snapshot",
    "check_template",
    "documents",
    "expand",
    "matches",
    "page",
    "page_scopes",
    "read_by",
]

Snapshot = Any
"""A google-cloud-firestore DocumentSnapshot (the library ships no type information)."""


def check_template(template: str, *, literal_collections: bool = True) -> str:
    """A document path template: an even number of segments; collection ids literal unless
    `literal_collections` is false (`systemSettings/nearMe/{list}/{entryId}`)."""
    segments = template.split("/")
    if len(segments) % 2 or any(not segment for segment in segments):
        raise ValueError(f"{template!r} is not a document path template (collection/{{id}}...)")
    for collection in segments[::2]:
        if literal_collections and collection.startswith("{"):
            raise ValueError(f"{template!r}: collection ids are literal, not {collection}")
    return template


def matches(template: str, path: str) -> bool:
    """Whether a document path fits a template (`{name}` matches any one id)."""
    wanted, actual = template.split("/"), path.split("/")
    return len(wanted) == len(actual) and all(
        w == a or (w.startswith("{") and w.endswith("}"))
        for w, a in zip(wanted, actual, strict=True)
    )


@dataclass(frozen=True, slots=True)
class Page:
    """One page: the documents that fit the template, and where the next page starts."""

    snapshots: tuple[Snapshot, ...]
    last: str | None
    """Path of the last document the page's query returned (matching or not)."""
    exhausted: bool
    """Whether no document follows."""


def _query(client: firestore.Client, template: str) -> Any:
    segments = check_template(template).split("/")
    if len(segments) == 2:
        return client.collection(segments[0])
    if all(not segment.startswith("{") for segment in segments[:-1]):
        return client.collection("/".join(segments[:-1]))
    return client.collection_group(segments[-2])


def read_by(template: str, path: str) -> bool:
    """Whether the query that pages `template` returns the document at `path`, fitting or not
    (a collection-group query also returns the group's other documents, such as
    `users/{userId}/private/dataKey` beside `.../private/identity`): a page may end on it, so a
    cursor there resumes that template."""
    segments, actual = check_template(template).split("/"), path.split("/")
    if len(segments) == 2:
        return len(actual) == 2 and actual[0] == segments[0]
    if all(not segment.startswith("{") for segment in segments[:-1]):
        return actual[:-1] == segments[:-1]
    return len(actual) >= 2 and actual[-2] == segments[-2]


def page(
    client: firestore.Client,
    template: str,
    *,
    after: str | None,
    size: int,
    order: str | None = None,
) -> Page:
    """Up to `size` documents after path `after` (None: from the start), in path order, or
    with `order` in that field's order, then path (documents without the field are left out,
    as Firestore leaves them out of any query ordered by it). The cursor stays a path: the
    next page starts after that document's place, read again (it must still exist)."""
    query = _query(client, template)
    if order is not None:
        query = query.order_by(order)
    query = query.order_by(FieldPath.document_id()).limit(size)
    if after is not None and order is None:
        query = query.start_after({FieldPath.document_id(): client.document(after)})
    elif after is not None:
        cursor = client.document(after).get()
        if not cursor.exists:
            raise LookupError(
                f"the run's cursor {after} was deleted: its place in {order} order is lost"
            )
        query = query.start_after(cursor)
    found = list(query.stream())
    fitting = tuple(s for s in found if matches(template, s.reference.path))
    last = found[-1].reference.path if found else after
    return Page(fitting, last, len(found) < size)


def page_scopes(
    client: firestore.Client,
    templates: tuple[str, ...],
    *,
    after: str | None,
    size: int,
    order: str | None = None,
) -> Page:
    """The next page of several templates read one after the other: a cursor names a path of
    the template it belongs to, and a template read to its end hands over to the next one (so
    one cursor and one `exhausted` cover them all; `order`: as for `page`). A cursor on a
    document that fits no template (a page of a collection group can end on one) resumes the
    first template whose query returns it: starting that template over would read the same
    page forever."""
    index = next(
        (i for i, t in enumerate(templates) if after and matches(t, after)),
        next((i for i, t in enumerate(templates) if after and read_by(t, after)), 0),
    )
    start = after if after and read_by(templates[index], after) else None
    while True:
        current = page(client, templates[index], after=start, size=size, order=order)
        final = index == len(templates) - 1
        if current.snapshots or not current.exhausted or final:
            return Page(current.snapshots, current.last or after, current.exhausted and final)
        index, start = index + 1, None


def expand(client: firestore.Client, template: str) -> list[str]:
    """Templates with literal collection ids that together cover `template`, whose collection
    ids may be wildcards: each wildcard becomes the subcollections its parents hold."""
    segments = check_template(template, literal_collections=False).split("/")
    for index in range(0, len(segments), 2):
        if not segments[index].startswith("{"):
            continue
        parent = "/".join(segments[:index])
        parents = (
            [snapshot.reference.path for snapshot in documents(client, parent)]
            if "{" in parent
            else [parent]
        )
        rest = segments[index + 1 :]
        return [
            concrete
            for each in parents
            for collection in client.document(each).collections()
            for concrete in expand(client, "/".join([each, collection.id, *rest]))
        ]
    return [template]


def documents(
    client: firestore.Client, template: str, *, size: int = 300, limit: int | None = None
) -> Iterator[Snapshot]:
    """Every document fitting the template (at most `limit`), in path order per literal
    template (see `expand`)."""
    seen = 0
    for concrete in expand(client, template):
        after: str | None = None
        while True:
            current = page(client, concrete, after=after, size=size)
            for snapshot in current.snapshots:
                if limit is not None and seen >= limit:
                    return
                seen += 1
                yield snapshot
            if current.exhausted:
                break
            after = current.last
