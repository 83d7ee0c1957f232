"""The wildcards a flow derives in the app are computed exactly as the backend computes them:
the package's generated `aliasKey()` folds every alias of a table (and of hypothesis) to the
key `mitche.domain.aliases.alias_key` gives, and `reportId()` is the id firestore.rules'
`isReportId` demands. The generated TypeScript is compiled with the repository's tsc and run
with node."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.aliases import ALIAS_FOLDS, alias_key
from mitche_dev.clientgen._derived import render_derived

ROOT = Path(__file__).resolve().parents[3]
TSC = ROOT / "node_modules" / ".bin" / "tsc"

ALIASES = [
    "Calm Owl",
    "calm-owl",
    "CÀLM ÖWL",
    "Mödërätör",
    "Çédric Ñúñez 07",
    "quiet_bob_7",
    "Zoë ÿ",
    "Ąnna Ęwa Ůrsula",
    "~~~ ...",
    "ß and Æ stay out",
    "日本 owl 9",
]
TARGETS = [
    ("requests/r1", "alice"),
    ("users/u-9", "bob"),
    ("conversations/c1/messages/m1", "carol"),
    ("tapestryThreads/t 1", "dan"),
]


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated src/derived.ts, compiled to an ES module."""
    if not TSC.exists() or shutil.which("node") is None:
        pytest.fail("node and node_modules/.bin/tsc are needed (scripts/install)")
    folder = tmp_path_factory.mktemp("derived")
    source = folder / "derived.ts"
    source.write_text(render_derived(), encoding="utf-8")
    subprocess.run(
        [str(TSC), "--strict", "--target", "es2022", "--module", "es2022", str(source)],
        check=True,
        cwd=folder,
    )
    module = folder / "derived.mjs"
    (folder / "derived.js").rename(module)
    return module


def _run(module: Path, aliases: list[str], targets: list[tuple[str, str]]) -> dict[str, list[str]]:
    script = (
        f"import {{ aliasKey, reportId }} from {json.dumps(module.as_uri())};\n"
        f"const aliases = {json.dumps(aliases)};\n"
        f"const targets = {json.dumps(targets)};\n"
        "const ids = await Promise.all(targets.map(([path, uid]) => reportId(path, uid)));\n"
        "console.log(JSON.stringify({ keys: aliases.map(aliasKey), ids }));\n"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], check=True, capture_output=True, text=True
    )
    parsed: dict[str, list[str]] = json.loads(result.stdout)
    return parsed


def _report_id(path: str, uid: str) -> str:
    collection, document = path.split("/")[:2]
    digest = hashlib.sha256(f"{collection}/{document}".encode()).hexdigest()
    return f"{digest[:40]}_{uid}"


def test_alias_keys_and_report_ids_agree_with_the_backend(derived: Path) -> None:
    out = _run(derived, ALIASES, TARGETS)
    assert out["keys"] == [alias_key(alias) for alias in ALIASES]
    assert out["ids"] == [_report_id(path, uid) for path, uid in TARGETS]


_FOLDED = "".join(characters.strip("[]") for characters, _ in ALIAS_FOLDS)


@settings(max_examples=3, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(_FOLDED + "AbZ09 -_.ÀÖÇ"), max_size=20),
        min_size=20,
        max_size=20,
    )
)
def test_any_alias_folds_alike(derived: Path, aliases: list[str]) -> None:
    """Each example checks twenty aliases in one node process."""
    assert _run(derived, aliases, [])["keys"] == [alias_key(alias) for alias in aliases]
