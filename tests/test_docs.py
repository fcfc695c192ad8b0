"""The repository stands on its own: code and docs cite documents it contains, and those exist."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tracked_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in names if name.endswith((".py", ".md", ".po", ".txt", ".html", ".sh"))]


def test_nothing_cites_documents_outside_the_repository():
    # The planning documents kept beside the repository, named without spelling them here.
    names = ["DESIGN" + " §", "DESIGN" + r"\.md", "GLOSS" + "ARY", "sha" + "red/"]
    outside = re.compile("|".join(names))
    citing = [str(path.relative_to(ROOT)) for path in tracked_files() if outside.search(path.read_text(errors="replace"))]
    assert citing == [], "cite docs/design.md (or another file under docs/) instead"


def test_every_docs_file_that_code_cites_exists():
    cited = set()
    for path in tracked_files():
        cited |= set(re.findall(r"docs/[a-z_]+\.md", path.read_text(errors="replace")))
    assert cited and sorted(name for name in cited if not (ROOT / name).exists()) == []
