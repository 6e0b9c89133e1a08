"""docs/ and the README's rule table are rendered from the schemas and the rule table: never stale."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_docs_are_up_to_date():
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "render_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_every_rule_is_in_the_readme():
    from checkout_contracts import rules
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for r in rules.all_rules():
        assert f"`{r.id}`" in readme
