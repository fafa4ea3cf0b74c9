"""`python -m mockmarketo` runs the command-line interface."""

from mockmarketo.cli import main

raise SystemExit(main())
