import sys
from pathlib import Path

# the data-driven helpers (casefiles, seeds) live next to the tests
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "seeds"))
